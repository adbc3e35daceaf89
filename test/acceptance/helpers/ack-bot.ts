/**
 * The bot of the durability tests: every `message` appends its message id to the context and
 * replies `ack:<id>`. The context is then a log of every event the dialog applied, in order, and
 * the portal's call log a log of every reply that left, so "applied exactly once" and "sent at
 * least once" can be read back from the database file and the portal.
 */
import { assign, setup } from 'xstate';
import { defineBot } from '../../../src/dsl/define-bot';
import { say } from '../../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../../src/dsl/machine-events';

/** Code of {@link ackBot}; wire events must name it. */
export const ACK_BOT_CODE = 'ack_bot';

/** The text the bot replies for a message id. */
export const ackText = (messageId: number): string => `ack:${messageId}`;

const ackMachine = setup({
  types: {
    context: {} as { ids: number[] },
    events: {} as BotEvent,
    input: {} as DialogInput,
  },
}).createMachine({
  id: 'ack',
  context: { ids: [] },
  initial: 'open',
  states: {
    open: {
      on: {
        message: {
          actions: [
            assign({ ids: ({ context, event }) => [...context.ids, event.messageId] }),
            say(({ event }) => ackText(event.messageId)),
          ],
        },
      },
    },
  },
});

/** Applies and acknowledges every message (see the file comment). */
export const ackBot = defineBot({
  code: ACK_BOT_CODE,
  name: 'Ack',
  version: '1',
  machine: ackMachine,
});

/** The text of the idle tick after a message id (see {@link ackTimerBot}). */
export const tickText = (messageId: number): string => `tick:${messageId}`;

/**
 * {@link ackBot} plus a durable idle timer: `idleMs` after the last message, the dialog says
 * `tick:<last message id>` (each message re-arms it). Same code as ackBot.
 */
export function ackTimerBot(idleMs: number) {
  const machine = setup({
    types: {
      context: {} as { ids: number[] },
      events: {} as BotEvent,
      input: {} as DialogInput,
    },
  }).createMachine({
    id: 'ack-timer',
    context: { ids: [] },
    initial: 'open',
    states: {
      open: {
        on: {
          message: {
            target: 'open',
            reenter: true,
            actions: [
              assign({ ids: ({ context, event }) => [...context.ids, event.messageId] }),
              say(({ event }) => ackText(event.messageId)),
            ],
          },
        },
        after: {
          [idleMs]: {
            target: 'idle',
            actions: say(({ context }) => tickText(context.ids[context.ids.length - 1] ?? 0)),
          },
        },
      },
      idle: {
        on: {
          message: {
            target: 'open',
            actions: [
              assign({ ids: ({ context, event }) => [...context.ids, event.messageId] }),
              say(({ event }) => ackText(event.messageId)),
            ],
          },
        },
      },
    },
  });
  return defineBot({ code: ACK_BOT_CODE, name: 'Ack', version: '1', machine });
}
