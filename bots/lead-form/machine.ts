/**
 * The lead form's flow: asks the client's name, phone and e-mail (each validated with zod and
 * asked again when wrong), creates a CRM lead with an invoked `crm.lead.add` call (the new lead id
 * comes back to the machine), then hands the dialog to a line, whether or not the lead was created.
 */
import { assign, setup } from 'xstate';
import { z } from 'zod';
import {
  finish,
  fromRestCall,
  isApiError,
  isOpenlinesError,
  prompt,
  say,
  toOperator,
  transfer,
  textMatches,
  type BotEvent,
  type DialogInput,
  type RestCallInput,
} from 'openlines-bot';

/** What the form collects. */
export interface Lead {
  name: string;
  phone: string;
  email: string;
}

/** Options of {@link createLeadFormMachine}. */
export interface LeadFormMachineOptions {
  /** Open line (config id) that receives the dialog after the lead is created. Default: the current line's operators. */
  lineId?: number;
  /** Wrong answers to one question before the bot calls an operator. Default 3. */
  maxMisses?: number;
  /** Silence after which the bot finishes the session. Default 600. */
  idleSeconds?: number;
  /** Lead title. Default `Open line: <name>`. */
  leadTitle?: (lead: Lead) => string;
}

/** The lead form's context (persisted: JSON only). */
export interface LeadFormContext {
  dialog: DialogInput;
  lead: Partial<Lead>;
  /** The CRM lead's id, once `crm.lead.add` answered. */
  leadId?: number;
  /** Why the lead could not be created: the Bitrix24 error code (e.g. `ACCESS_DENIED`) or the error's code. */
  leadError?: string;
}

/** One zod schema per question; a message is accepted when it parses. */
export const leadSchemas = {
  name: z
    .string()
    .trim()
    .min(2)
    .max(100)
    .regex(/^\p{L}[\p{L}\s'.-]*$/u),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s().-]{7,25}$/)
    .refine((v) => {
      const digits = v.replace(/\D/g, '').length;
      return digits >= 7 && digits <= 15;
    }),
  email: z.string().trim().toLowerCase().pipe(z.email()),
} as const;

/** The lead form's fixed texts. */
export const LEAD_FORM_TEXTS = {
  askName:
    'Hello! Let me take your contact details so that a manager can get back to you. What is your name?',
  badName: 'Please type your name using letters only, e.g. Anna.',
  askPhone: 'Thank you! What phone number can we call you on?',
  badPhone: 'That does not look like a phone number. Please use digits, e.g. +49 30 1234567.',
  askEmail: 'And your e-mail address?',
  badEmail: 'That does not look like an e-mail address. Please check it, e.g. anna@example.com.',
  /** `{id}` is replaced by the new lead's id. */
  done: 'Thank you! Your request number is {id}. I have passed your details to our managers; one of them will continue this chat.',
  leadFailed:
    'Thank you! I could not register your request automatically, but a manager will take your details from this chat.',
  saving: 'One moment, I am saving your details.',
  tooManyMisses: 'Let me connect you with an operator who can help.',
  toOperator: 'Connecting you with an operator.',
  operatorSoon: 'A manager will answer you here soon.',
  cancelled: 'No problem, I have cancelled the form. Goodbye!',
  idleClose: 'Closing this chat for now. Write any time.',
} as const;

type Field = keyof Lead;
const HANDOFF_GRACE_MS = 5 * 60_000;
const capital = <F extends Field>(f: F) => (f[0]?.toUpperCase() + f.slice(1)) as Capitalize<F>;
const word = (alternatives: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, 'iu');

/** What Bitrix24 refused with (`ACCESS_DENIED`, ...), else the framework's error code. */
function errorCodeOf(error: unknown): string {
  if (isApiError(error)) return error.error;
  return isOpenlinesError(error) ? error.code : 'UNKNOWN';
}

/**
 * Builds the lead form's machine.
 *
 * @example
 * const machine = createLeadFormMachine({ lineId: 3, leadTitle: (lead) => `Website chat: ${lead.name}` });
 */
export function createLeadFormMachine(options: LeadFormMachineOptions = {}) {
  const { lineId } = options;
  if (lineId !== undefined && (!Number.isInteger(lineId) || lineId <= 0))
    throw new TypeError('lineId must be a positive integer');
  const maxMisses = options.maxMisses ?? 3;
  if (!Number.isInteger(maxMisses) || maxMisses < 1)
    throw new TypeError('maxMisses must be a positive integer');
  const title = options.leadTitle ?? ((lead: Lead) => `Open line: ${lead.name}`);

  /** One question (the prompt helper): ask, check with the field's schema, re-ask, give up at the last miss. */
  const question = (field: Field, next: string) =>
    prompt<LeadFormContext, string>({
      ask: LEAD_FORM_TEXTS[`ask${capital(field)}`],
      retry: LEAD_FORM_TEXTS[`bad${capital(field)}`],
      parse: leadSchemas[field],
      save: ({ context, value }) => ({ lead: { ...context.lead, [field]: value } }),
      retries: maxMisses - 1,
      done: next,
      fail: '#leadForm.tooManyMisses',
      idle: { after: 'idle', target: '#leadForm.closing' },
      message: [
        { guard: 'asksForOperator', target: '#leadForm.handoff' },
        { guard: 'cancels', target: '#leadForm.cancelled' },
      ],
    });

  const leadCall = ({ context }: { context: LeadFormContext }): RestCallInput => {
    const lead = context.lead as Lead;
    return {
      method: 'crm.lead.add',
      params: {
        fields: {
          TITLE: title(lead),
          NAME: lead.name,
          PHONE: [{ VALUE: lead.phone, VALUE_TYPE: 'WORK' }],
          EMAIL: [{ VALUE: lead.email, VALUE_TYPE: 'WORK' }],
          SOURCE_DESCRIPTION: `Open line chat ${context.dialog.dialogId}`,
        },
        params: { REGISTER_SONET_EVENT: 'Y' },
      },
    };
  };

  return setup({
    types: { context: {} as LeadFormContext, events: {} as BotEvent, input: {} as DialogInput },
    actors: { createLead: fromRestCall<number>() },
    delays: {
      idle: Math.round((options.idleSeconds ?? 600) * 1000),
      handoffGrace: HANDOFF_GRACE_MS,
    },
    guards: {
      asksForOperator: textMatches(word('operator|human|оператор')),
      cancels: textMatches(word('cancel|stop|bye|отмена|пока')),
      hasLine: () => lineId !== undefined,
      handoffRefused: ({ event }) =>
        event.type === 'effect.failed' &&
        (event.effect.type === 'transfer' || event.effect.type === 'toOperator'),
      transferRefused: ({ event }) =>
        event.type === 'effect.failed' && event.effect.type === 'transfer',
    },
    actions: {
      transferToLine: transfer(() => ({ lineId: lineId ?? 0 })),
    },
  }).createMachine({
    id: 'leadForm',
    context: ({ input }) => ({ dialog: input, lead: {} }),
    initial: 'start',
    // Whatever the bot was doing, once an operator writes in the chat the bot leaves it to them.
    on: { 'operator.message': '.quiet' },
    states: {
      // Waits for the first event, so that a client's opening message is not taken as the answer to the first question.
      start: {
        after: { idle: 'closing' },
        on: {
          join: 'name',
          command: 'name',
          message: [{ guard: 'asksForOperator', target: 'handoff' }, { target: 'name' }],
        },
      },
      name: question('name', '#leadForm.phone'),
      phone: question('phone', '#leadForm.email'),
      email: question('email', '#leadForm.submit'),
      // The turn waits for the call, and the hand-off is committed only after it: the lead exists
      // before the line sees the chat. A refused lead still goes to a human, who has the answers in the chat.
      submit: {
        invoke: {
          src: 'createLead',
          input: leadCall,
          onDone: {
            target: 'handOver',
            actions: [
              assign({ leadId: ({ event }) => Number(event.output) }),
              say(({ event }) => LEAD_FORM_TEXTS.done.replace('{id}', String(event.output))),
            ],
          },
          onError: {
            target: 'handOver',
            actions: [
              assign({ leadError: ({ event }) => errorCodeOf(event.error) }),
              say(LEAD_FORM_TEXTS.leadFailed),
            ],
          },
        },
        // In the runtime no event arrives while the call runs (the turn waits for it); a host that
        // delivers one anyway gets an answer, and a call that never settles still ends in a hand-off.
        after: { idle: 'handOver' },
        on: { message: { actions: say(LEAD_FORM_TEXTS.saving) } },
      },
      handOver: {
        always: [
          { guard: 'hasLine', target: 'handedOver', actions: 'transferToLine' },
          { target: 'handedOver', actions: toOperator() },
        ],
      },
      handedOver: {
        after: { handoffGrace: 'released' },
        on: {
          // A refused transfer (wrong line id, line without operators): try the current line's queue instead.
          'effect.failed': [
            { guard: 'transferRefused', target: 'released', actions: toOperator() },
            { guard: 'handoffRefused', target: 'released', actions: finish() },
          ],
          message: { actions: say(LEAD_FORM_TEXTS.operatorSoon) },
        },
      },
      tooManyMisses: { always: { target: 'handoff', actions: say(LEAD_FORM_TEXTS.tooManyMisses) } },
      handoff: {
        entry: [say(LEAD_FORM_TEXTS.toOperator), toOperator()],
        after: { handoffGrace: 'released' },
        on: {
          'effect.failed': { guard: 'handoffRefused', target: 'released', actions: finish() },
          message: { actions: say(LEAD_FORM_TEXTS.operatorSoon) },
        },
      },
      cancelled: { type: 'final', entry: [say(LEAD_FORM_TEXTS.cancelled), finish()] },
      closing: { type: 'final', entry: [say(LEAD_FORM_TEXTS.idleClose), finish()] },
      // An operator wrote: a person has the chat, so the bot stays silent until the chat goes idle.
      quiet: {
        after: { idle: 'released' },
        on: {
          message: { target: 'quiet', reenter: true },
          command: { target: 'quiet', reenter: true },
          'operator.message': { target: 'quiet', reenter: true },
        },
      },
      released: { type: 'final' },
    },
  });
}
