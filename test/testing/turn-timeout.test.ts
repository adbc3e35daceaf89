/**
 * A machine that never settles (an invoked promise that never ends) fails the kit's step with the
 * turn-timeout error in real time, although the chat runs on a fake clock; closing the chat ends.
 */
import { fromPromise, setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { testBot } from '../../src/testing/test-bot';

const stuckMachine = setup({
  types: { events: {} as BotEvent, input: {} as DialogInput },
  actors: { forever: fromPromise(() => new Promise<never>(() => undefined)) },
}).createMachine({
  id: 'stuck',
  initial: 'ready',
  states: {
    ready: {
      on: { join: { actions: say('Hello') }, message: 'looking' },
      after: { 600_000: 'bye' },
    },
    looking: {
      invoke: { src: 'forever', onDone: 'ready', onError: 'ready' },
    },
    bye: { type: 'final' },
  },
});

const stuckBot = defineBot({
  code: 'stuck_bot',
  name: 'Stuck',
  version: '1',
  machine: stuckMachine,
});

describe('testBot turn timeout', () => {
  it('fails the step that never settles with the turn-timeout message, in bounded real time', async () => {
    const chat = testBot(stuckBot, { coverage: false });
    try {
      await chat.join();
      expect(chat.replies).toEqual(['Hello']);
      const started = Date.now();
      await expect(chat.send('where is my order?')).rejects.toThrow(
        /turn timeout: .*stuck_bot.*did not settle within 4000 ms/,
      );
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(3_900);
      expect(elapsed).toBeLessThan(15_000);
    } finally {
      const closing = Date.now();
      await chat.close();
      expect(Date.now() - closing).toBeLessThan(5_000);
    }
  });

  it('honours a shorter turnTimeoutMs', async () => {
    const chat = testBot(stuckBot, { coverage: false, turnTimeoutMs: 300 });
    try {
      await chat.join();
      await expect(chat.send('hi')).rejects.toThrow(/did not settle within 300 ms/);
    } finally {
      await chat.close();
    }
  });
});
