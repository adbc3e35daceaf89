/**
 * A failing invoked REST call is logged with its dialog (the machine's onError may only
 * apologise), also when the runtime has no client to give it.
 */
import { setup } from 'xstate';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import { fromRestCall } from '../../src/dsl/from-rest-call';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { ConfigError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf } from '../../src/store/store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { messageEvent } from '../helpers/dialog-events';
import { fakeClock } from '../helpers/fake-clock';

const machine = setup({
  types: { events: {} as BotEvent, input: {} as DialogInput },
  actors: { rest: fromRestCall<number>() },
}).createMachine({
  initial: 'ready',
  states: {
    ready: { on: { message: 'saving' } },
    saving: {
      invoke: {
        src: 'rest',
        input: { method: 'crm.lead.add', params: { fields: { TITLE: 'x' } } },
        onDone: { target: 'ready', actions: say('saved') },
        onError: { target: 'ready', actions: say('sorry') },
      },
    },
  },
});
const bot = defineBot({ code: 'lead_bot', name: 'Lead', version: '1', machine });
const chat = { chatId: 1777, botCode: 'lead_bot' };
const key = dialogKeyOf('member-1', 571, 1777);

describe('failing invoked REST calls are logged with their dialog', () => {
  let portal: FakePortal;
  let runtime: Runtime | undefined;
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'warn',
    destination: { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) },
  });
  beforeEach(async () => {
    lines.length = 0;
    portal = await createFakePortal({ rateLimit: false });
    portal.openChat({ chatId: 1777, lineId: 1 });
  });
  afterEach(async () => {
    await runtime?.stop();
    await portal.close();
  });

  it('a refusal of Bitrix24: warn line with dialog, bot, method and the error code', async () => {
    const client = createRestClient({
      auth: { type: 'webhook', url: portal.webhookUrl },
      retries: { retries: 0 },
    });
    runtime = createRuntime({
      joinWindowMs: 0, // first messages answered at once: not about the join race
      bots: [bot],
      store: memoryStore(),
      clock: fakeClock(),
      logger,
      clients: () => client,
    });
    await runtime.start();
    portal.failNext('crm.lead.add', 'ACCESS_DENIED');
    await runtime.accept([messageEvent(chat, 1, 'hi')]);
    await runtime.idle();
    const failed = lines.filter((l) => l.msg === 'invoked REST call failed');
    expect(failed).toEqual([
      expect.objectContaining({
        level: 40,
        dialog: key,
        bot: 'lead_bot',
        method: 'crm.lead.add',
        code: 'API_ERROR',
      }),
    ]);
    expect(String(failed[0]?.error)).toMatch(/ACCESS_DENIED/);
  });

  it('no client for the portal (not installed): logged the same way, and the machine gets the error', async () => {
    runtime = createRuntime({
      joinWindowMs: 0, // first messages answered at once: not about the join race
      bots: [bot],
      store: memoryStore(),
      clock: fakeClock(),
      logger,
      clients: () => {
        throw new ConfigError(['portal member-1 is not installed'], 'No REST client');
      },
    });
    await runtime.start();
    await runtime.accept([messageEvent(chat, 1, 'hi')]);
    await runtime.idle();
    expect(lines.filter((l) => l.msg === 'invoked REST call failed')).toEqual([
      expect.objectContaining({
        dialog: key,
        method: 'crm.lead.add',
        code: 'CONFIG',
        error: expect.stringMatching(/not installed/),
      }),
    ]);
  });
});
