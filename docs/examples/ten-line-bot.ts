import { setup } from 'xstate';
import { defineBot, say, toOperator, keyboard, isCommand, textMatches } from 'openlines-bot';
import type { BotEvent, DialogInput } from 'openlines-bot';

const menu = keyboard().button('Talk to a human', { command: 'operator' }).build();

const machine = setup({
  types: { events: {} as BotEvent, input: {} as DialogInput },
}).createMachine({
  initial: 'bot',
  states: {
    bot: {
      on: {
        join: { actions: say('Hi! Ask me anything.', { keyboard: menu }) },
        command: { guard: isCommand('operator'), target: 'operator' },
        message: [
          { guard: textMatches(/human|operator/i), target: 'operator' },
          { actions: say(({ event }) => `You wrote: ${event.text}`) },
        ],
      },
    },
    operator: {
      entry: [say('Connecting you with an operator.'), toOperator()],
      on: {
        // The hand-off can be refused (no operator on the line): the bot takes the chat back.
        'effect.failed': { target: 'bot', actions: say('No operator is free right now, sorry.') },
      },
      after: { 60_000: 'handedOff' }, // the operator has the chat: the bot's part is over
    },
    handedOff: { type: 'final' },
  },
});

export default defineBot({
  code: 'hello_bot',
  name: 'Hello bot',
  version: '1',
  machine,
  commands: ['operator'], // registered with the bot, so the button works on a real portal
});
