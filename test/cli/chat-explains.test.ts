/**
 * The offline chat says why a turn failed and which invoked call failed, without `--verbose`.
 */
import { setup } from 'xstate';
import { createChatSession } from '../../src/cli/chat-session';
import { formatChatOutput, type ChatOutput } from '../../src/cli/describe-rest-call';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import { fromRestCall } from '../../src/dsl/from-rest-call';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { textMatches } from '../../src/dsl/guards';

const machine = setup({
  types: { events: {} as BotEvent, input: {} as DialogInput },
  actors: { addLead: fromRestCall<number>() },
}).createMachine({
  id: 'explains',
  initial: 'ready',
  states: {
    ready: {
      on: {
        join: { actions: say('Hi') },
        message: [
          {
            guard: textMatches(/^boom$/),
            actions: () => {
              throw new Error('a bug in an action');
            },
          },
          { target: 'saving' },
        ],
      },
    },
    saving: {
      invoke: {
        src: 'addLead',
        input: { method: 'crm.lead.add', params: { fields: { TITLE: 'x' } } },
        onDone: { target: 'ready', actions: say('Saved') },
        onError: { target: 'ready', actions: say('Sorry, not saved') },
      },
    },
  },
});

const bot = defineBot({ code: 'explains', name: 'Explains', version: '1', machine });

describe('chat explains failures without --verbose', () => {
  it('prints why a turn failed and which invoked call failed', async () => {
    const seen: ChatOutput[] = [];
    const chat = await createChatSession({ bot, onOutput: (o) => seen.push(o) });
    try {
      await chat.join();
      await chat.send('boom');
      chat.failNext('crm.lead.add', 'ACCESS_DENIED');
      await chat.send('save me');
      const lines = seen.flatMap(formatChatOutput);
      expect(lines).toContainEqual(
        expect.stringMatching(/^\[the turn failed: .*the machine threw: a bug in an action\]$/),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^\[the invoked call crm\.lead\.add failed: .*ACCESS_DENIED.*\]$/),
      );
      expect(lines).toContain('bot: Sorry, not saved');
    } finally {
      await chat.close();
    }
  });
});
