/**
 * The support bot's flow: greet with a menu, answer "where is my order", hand over to a person
 * on request or when the bot keeps failing, and close the session when the client goes quiet.
 */
import { assign, fromPromise, setup } from 'xstate';
import {
  finish,
  prompt,
  say,
  toOperator,
  transfer,
  isCommand,
  textMatches,
  keyboard,
  type BotEvent,
  type DialogInput,
} from 'openlines-bot';

/** What {@link SupportMachineOptions.lookupOrder} receives. */
export interface OrderLookupArgs {
  /** The order number as the client typed it, digits only. */
  orderNumber: string;
  /** The dialog the question came from (portal, chat, client, CRM bindings). */
  dialog: DialogInput;
}

/** Finds an order's status, e.g. in a shop's database. Resolves with a short status text. */
export type OrderLookup = (args: OrderLookupArgs) => Promise<string>;

/** Options of {@link createSupportMachine}. */
export interface SupportMachineOptions {
  /** Default: every order is "in transit". */
  lookupOrder?: OrderLookup;
  /** Silence after which the bot says goodbye and finishes the session. Default 600. */
  idleSeconds?: number;
  /** Line to transfer to when no operator can take the dialog. Default: none (apologise and finish). */
  fallbackLineId?: number;
}

/** The support machine's context (persisted with the dialog: JSON only). */
export interface SupportContext {
  dialog: DialogInput;
  firstName?: string;
  /** Fallback replies in a row. */
  fallbacks: number;
  orderNumber?: string;
}

/** After a hand-off the bot waits this long for a refusal of its `operator` call, then lets go. */
const HANDOFF_GRACE_MS = 5 * 60_000;

/** The bot's texts, exported so that tests and docs quote them instead of copying them. */
export const SUPPORT_TEXTS = {
  askOrder: 'Please send me your order number.',
  notANumber: 'That does not look like an order number. Please send the digits only, e.g. 12345.',
  fallback:
    'Sorry, I did not get that. I can check the status of an order or connect you with a person.',
  toOperator: 'Connecting you with an operator, please wait.',
  stillChecking: 'One moment, I am still checking your order.',
  operatorSoon: 'An operator will answer you here soon.',
  noOperator: 'Sorry, no operator is available right now. Please write to us again later.',
  goodbye: 'Goodbye! Write to us any time.',
  idleClose:
    'I have not heard from you for a while, so I am closing this chat. Write to us any time.',
} as const;

const menu = keyboard()
  .button('Order status', { command: 'order' })
  .button('Talk to a human', { command: 'operator' })
  .build();

// Whole words, Cyrillic included: JavaScript's \b only knows ASCII letters.
const word = (alternatives: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, 'iu');

const defaultLookup: OrderLookup = () => Promise.resolve('in transit');

function orderNumberOf(text: string): string | undefined {
  // "12345", "#12345", "№ 12345", "order 12345": one number, optionally labelled.
  return /^\s*(?:order\s*)?(?:#|№|no\.)?\s*(\d{1,18})\s*\.?\s*$/iu.exec(text)?.[1];
}

/**
 * Builds the support bot's machine. Every option is injectable so tests can plug in an order
 * lookup and short timeouts.
 *
 * @example
 * const machine = createSupportMachine({ lookupOrder: async ({ orderNumber }) => shop.status(orderNumber) });
 */
export function createSupportMachine(options: SupportMachineOptions = {}) {
  const lookupOrder = options.lookupOrder ?? defaultLookup;
  const idleMs = Math.round((options.idleSeconds ?? 600) * 1000);
  const fallbackLineId = options.fallbackLineId;

  return setup({
    types: {
      context: {} as SupportContext,
      events: {} as BotEvent,
      input: {} as DialogInput,
    },
    actors: {
      lookupOrder: fromPromise<string, OrderLookupArgs>(({ input }) => lookupOrder(input)),
    },
    delays: {
      idle: idleMs,
      handoffGrace: HANDOFF_GRACE_MS,
    },
    guards: {
      asksForOperator: textMatches(word('operator|human|оператор')),
      saysBye: textMatches(word('bye|пока')),
      mentionsOrder: textMatches(/order/i),
      operatorCommand: isCommand('operator'),
      orderCommand: isCommand('order'),
      isSecondFallback: ({ context }) => context.fallbacks >= 1,
      operatorRefusedWithLine: ({ event }) =>
        event.type === 'effect.failed' &&
        event.effect.type === 'toOperator' &&
        fallbackLineId !== undefined,
      operatorRefused: ({ event }) =>
        event.type === 'effect.failed' && event.effect.type === 'toOperator',
      transferRefused: ({ event }) =>
        event.type === 'effect.failed' && event.effect.type === 'transfer',
    },
    actions: {
      rememberClient: assign({
        firstName: ({ context, event }) =>
          (event.type === 'join' ? event.client?.firstName : undefined) ?? context.firstName,
      }),
      greet: say(
        ({ context }) =>
          `Hello${context.firstName ? `, ${context.firstName}` : ''}! I am the support bot. ` +
          'I can check the status of your order or connect you with a person.',
        { keyboard: menu },
      ),
      resetCounters: assign({ fallbacks: 0 }),
      countFallback: assign({ fallbacks: ({ context }) => context.fallbacks + 1 }),
      sayFallback: say(SUPPORT_TEXTS.fallback, { keyboard: menu }),
      transferToFallbackLine: transfer(() => ({ lineId: fallbackLineId ?? 0 })),
    },
  }).createMachine({
    id: 'support',
    context: ({ input }) => ({
      dialog: input,
      ...(input.client?.firstName ? { firstName: input.client.firstName } : {}),
      fallbacks: 0,
    }),
    initial: 'menu',
    // Whatever the bot was doing, once an operator writes in the chat the bot leaves it to them.
    on: { 'operator.message': '.quiet' },
    states: {
      menu: {
        after: { idle: 'closing' },
        on: {
          join: {
            target: 'menu',
            reenter: true,
            actions: ['rememberClient', 'resetCounters', 'greet'],
          },
          command: [
            { guard: 'operatorCommand', target: 'handoff' },
            { guard: 'orderCommand', target: 'order' },
            { target: 'menu', reenter: true, actions: 'greet' },
          ],
          message: [
            { guard: 'asksForOperator', target: 'handoff' },
            { guard: 'saysBye', target: 'goodbye' },
            { guard: 'mentionsOrder', target: 'order' },
            { guard: 'isSecondFallback', target: 'handoff' },
            { target: 'menu', reenter: true, actions: ['countFallback', 'sayFallback'] },
          ],
        },
      },
      // Asks for the number, re-asks twice when the answer is not one, hands over at the third miss.
      order: prompt<SupportContext, string>({
        entry: 'resetCounters',
        ask: SUPPORT_TEXTS.askOrder,
        retry: SUPPORT_TEXTS.notANumber,
        parse: orderNumberOf,
        save: ({ value }) => ({ orderNumber: value }),
        retries: 2,
        done: '#support.lookup',
        fail: '#support.handoff',
        idle: { after: 'idle', target: '#support.closing' },
        message: [
          { guard: 'asksForOperator', target: '#support.handoff' },
          { guard: 'saysBye', target: '#support.goodbye' },
        ],
        command: [
          { guard: 'operatorCommand', target: '#support.handoff' },
          { guard: 'orderCommand', target: '#support.order', reenter: true },
          { target: '#support.menu', actions: 'greet' },
        ],
      }),
      lookup: {
        invoke: {
          src: 'lookupOrder',
          input: ({ context }) => ({
            orderNumber: context.orderNumber ?? '',
            dialog: context.dialog,
          }),
          onDone: {
            target: 'menu',
            actions: [
              'resetCounters',
              say(
                ({ context, event }) =>
                  `Order ${context.orderNumber ?? ''}: ${String(event.output)}. Anything else?`,
                {
                  keyboard: menu,
                },
              ),
            ],
          },
          onError: {
            target: 'menu',
            actions: say(
              ({ context }) =>
                `Sorry, I could not check order ${context.orderNumber ?? ''} right now. Please try again later.`,
              { keyboard: menu },
            ),
          },
        },
        after: { idle: 'closing' },
        on: {
          message: { actions: say(SUPPORT_TEXTS.stillChecking) },
        },
      },
      handoff: {
        entry: [say(SUPPORT_TEXTS.toOperator), toOperator()],
        after: { handoffGrace: 'handedOff' },
        on: {
          'effect.failed': [
            {
              guard: 'operatorRefusedWithLine',
              target: 'transferred',
              actions: 'transferToFallbackLine',
            },
            { guard: 'operatorRefused', target: 'noOperator' },
          ],
          message: { actions: say(SUPPORT_TEXTS.operatorSoon) },
        },
      },
      transferred: {
        after: { handoffGrace: 'handedOff' },
        on: {
          'effect.failed': { guard: 'transferRefused', target: 'noOperator' },
          message: { actions: say(SUPPORT_TEXTS.operatorSoon) },
        },
      },
      noOperator: {
        type: 'final',
        entry: [say(SUPPORT_TEXTS.noOperator), finish()],
      },
      goodbye: {
        type: 'final',
        entry: [say(SUPPORT_TEXTS.goodbye), finish()],
      },
      closing: {
        type: 'final',
        entry: [say(SUPPORT_TEXTS.idleClose), finish()],
      },
      // An operator wrote: a person has the chat, so the bot stays silent until the chat goes idle.
      quiet: {
        after: { idle: 'handedOff' },
        on: {
          message: { target: 'quiet', reenter: true },
          command: { target: 'quiet', reenter: true },
          'operator.message': { target: 'quiet', reenter: true },
        },
      },
      handedOff: { type: 'final' },
    },
  });
}
