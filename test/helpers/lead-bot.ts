/** A bot that makes an invoked REST call: on a message it says `saving`, creates a lead, says its id. */
import { assign, setup } from 'xstate';
import { isApiError } from '../../src/bitrix/rest-errors';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import { fromRestCall } from '../../src/dsl/from-rest-call';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { isOpenlinesError } from '../../src/errors';

export interface Refusal {
  name: string;
  code: string;
  /** The Bitrix24 error code of an `ApiError`. */
  error?: string;
}

/** On any message: says `saving`, creates a lead titled with the text, reports the outcome. */
export function leadMachine(method = 'crm.lead.add') {
  return setup({
    types: {
      context: {} as { title: string; leadId?: number; refusal?: Refusal },
      events: {} as BotEvent,
      input: {} as DialogInput,
    },
    actors: { rest: fromRestCall<number>() },
  }).createMachine({
    context: { title: '' },
    initial: 'ready',
    states: {
      ready: {
        on: {
          message: {
            target: 'saving',
            actions: assign({ title: ({ event }) => event.text }),
          },
        },
      },
      saving: {
        entry: say('saving'),
        invoke: {
          src: 'rest',
          input: ({ context }) => ({ method, params: { fields: { TITLE: context.title } } }),
          onDone: {
            target: 'ready',
            actions: [
              assign({ leadId: ({ event }) => event.output }),
              say(({ event }) => `lead ${event.output}`),
            ],
          },
          onError: {
            target: 'ready',
            actions: [
              assign({
                refusal: ({ event }) => {
                  const e = event.error;
                  return {
                    name: e instanceof Error ? e.name : typeof e,
                    code: isOpenlinesError(e) ? e.code : 'not an OpenlinesError',
                    ...(isApiError(e) ? { error: e.error } : {}),
                  };
                },
              }),
              say('refused'),
            ],
          },
        },
      },
    },
  });
}

export const leadBot = (method?: string) =>
  defineBot({ code: 'lead_bot', name: 'Lead', version: '1', machine: leadMachine(method) });
