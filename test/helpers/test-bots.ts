/**
 * Small bots for runtime tests, written the way a bot author writes them.
 */
import { assign, fromPromise, setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { say, toOperator } from '../../src/dsl/effect-actions';
import { isCommand, textMatches } from '../../src/dsl/guards';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';

/**
 * Echoes every message as `<chatId>:<messageId>` and records the message ids it saw in context.
 * `boom` makes an action throw; `human` hands over; after 10 minutes of silence in `waiting` it
 * says `timeout`.
 */
export const echoMachine = setup({
  types: {
    context: {} as { chatId: number; seen: number[] },
    events: {} as BotEvent,
    input: {} as DialogInput,
  },
}).createMachine({
  id: 'echo',
  context: ({ input }) => ({ chatId: input.chatId, seen: [] }),
  initial: 'waiting',
  states: {
    waiting: {
      after: { 600_000: { target: 'idle', actions: say('timeout') } },
      on: {
        join: { target: 'waiting', reenter: true, actions: say('hello') },
        message: [
          {
            guard: textMatches(/^boom$/),
            actions: () => {
              throw new Error('the bot author made a mistake');
            },
          },
          { guard: textMatches(/^human$/), actions: toOperator() },
          {
            target: 'idle',
            actions: [
              assign({ seen: ({ context, event }) => [...context.seen, event.messageId] }),
              say(({ context, event }) => `${context.chatId}:${event.messageId}`),
            ],
          },
        ],
      },
    },
    idle: {
      on: {
        message: [
          {
            guard: textMatches(/^boom$/),
            actions: () => {
              throw new Error('the bot author made a mistake');
            },
          },
          {
            actions: [
              assign({ seen: ({ context, event }) => [...context.seen, event.messageId] }),
              say(({ context, event }) => `${context.chatId}:${event.messageId}`),
            ],
          },
        ],
        command: { guard: isCommand('wait'), target: 'waiting' },
      },
    },
  },
});

export const echoBot = defineBot({
  code: 'echo_bot',
  name: 'Echo',
  version: '1',
  machine: echoMachine,
});

/** Looks an order up through an invoked promise, then replies. */
export function lookupBot(lookup: (id: string) => Promise<string>) {
  const machine = setup({
    types: { context: {}, events: {} as BotEvent, input: {} as DialogInput },
    actors: { lookup: fromPromise(({ input }: { input: { id: string } }) => lookup(input.id)) },
  }).createMachine({
    context: {},
    initial: 'ready',
    states: {
      ready: { on: { message: 'looking' } },
      looking: {
        invoke: {
          src: 'lookup',
          input: ({ event }) => ({ id: event.type === 'message' ? event.text : '' }),
          onDone: {
            target: 'ready',
            actions: [
              assign({ status: ({ event }) => event.output }),
              say(({ event }) => `status: ${event.output}`),
            ],
          },
          onError: { target: 'ready', actions: say('lookup failed') },
        },
      },
    },
  });
  return defineBot({ code: 'lookup_bot', name: 'Lookup', version: '1', machine });
}
