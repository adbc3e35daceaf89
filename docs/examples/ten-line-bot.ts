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
    operator: { type: 'final', entry: [say('Connecting you with an operator.'), toOperator()] },
  },
});

export default defineBot({
  code: 'hello_bot',
  name: 'Hello bot',
  version: '1',
  machine,
  commands: ['operator'], // registered with the bot, so the button works on a real portal
});
