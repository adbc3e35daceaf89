/**
 * Smaller wire defects found against real traffic (#8, item 6), each over real HTTP through the
 * real server and runtime, with the loopback fake portal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { finish, say, transfer } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { encodePhpForm } from '../../src/events/encode-php-form';
import { createEventBuilders } from '../../src/testing/event-builders';
import { APP_TOKEN, startHarness, type Harness } from './harness';

/** Says what it was told: who joined, and which context it was asked for. */
const reporter = setup({
  types: { context: {}, events: {} as BotEvent, input: {} as DialogInput },
}).createMachine({
  id: 'reporter',
  on: {
    join: {
      actions: say(({ event }) => `join:${event.type === 'join' ? (event.client?.id ?? '-') : ''}`),
    },
    context: {
      actions: say(({ event }) =>
        event.type === 'context'
          ? `context:${String(event.context.entityType)}:${String(event.context.entityId)}`
          : '',
      ),
    },
  },
});

/** `card` answers with an attachment and no text; `away` transfers to line 3; `bye` finishes. */
const worker = setup({
  types: { context: {}, events: {} as BotEvent, input: {} as DialogInput },
}).createMachine({
  id: 'worker',
  on: {
    message: [
      {
        guard: ({ event }) => event.type === 'message' && event.text === 'card',
        actions: say('', { attach: [{ MESSAGE: 'Order #42' }] }),
      },
      {
        guard: ({ event }) => event.type === 'message' && event.text === 'away',
        actions: transfer({ lineId: 3 }),
      },
      { guard: ({ event }) => event.type === 'message' && event.text === 'bye', actions: finish() },
    ],
  },
});

const REAL = join(__dirname, '..', 'fixtures', 'real');

describe('createServer: smaller wire defects (#8)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('accepts a v1 private-chat join (DIALOG_ID=27, no CHAT_ID) instead of answering 400', async () => {
    const bot = defineBot({
      code: 'rep_v1',
      name: 'R',
      version: '1',
      apiVersion: 1,
      machine: reporter,
    });
    h = await startHarness({ bots: [bot] });
    const body = encodePhpForm({
      event: 'ONIMBOTJOINCHAT',
      data: {
        BOT: { 39: { BOT_ID: 39, BOT_CODE: 'rep_v1' } },
        PARAMS: {
          CHAT_TYPE: 'P',
          MESSAGE_TYPE: 'P',
          BOT_ID: 39,
          USER_ID: 27,
          DIALOG_ID: '27',
          TO_USER_ID: 39,
          FROM_USER_ID: 39,
          LANGUAGE: 'en',
        },
        USER: { ID: 27, NAME: 'Anna Smirnova', FIRST_NAME: 'Anna', LAST_NAME: 'Smirnova' },
      },
      ts: 1771928990,
      auth: { domain: 'acme.bitrix24.com', member_id: 'a1b2c3d4', application_token: APP_TOKEN },
    });
    const res = await h.post('/events', body);
    expect(res.status).toBe(200);
    await h.runtime.idle();
    // No chat id: nothing to key a dialog on, so nothing is sent.
    expect(h.portal.calls).toHaveLength(0);
  });

  it('gives a join without data[USER] the client of CHAT_ENTITY_ID (real-payloads 01)', async () => {
    const bot = defineBot({
      code: 'uchet_bot',
      name: 'R',
      version: '1',
      apiVersion: 1,
      machine: reporter,
    });
    h = await startHarness({
      bots: [bot],
      env: { B24_APPLICATION_TOKEN: 'f3f0d0c5-redacted-application-token' },
    });
    const body = readFileSync(join(REAL, '01-irishome-v1-joinchat-openline-whatsapp.wire.txt'));
    expect((await h.post('/events', body)).status).toBe(200);
    await h.runtime.idle();
    expect(
      h.portal.callsOf('imopenlines.bot.session.message.send').map((c) => c.params.MESSAGE),
    ).toEqual(['join:13520']);
  });

  it('delivers the v2 context event to machines as a typed event', async () => {
    const bot = defineBot({ code: 'rep_v2', name: 'R', version: '1', machine: reporter });
    h = await startHarness({ bots: [bot] });
    const events = createEventBuilders({
      memberId: 'a1b2c3d4',
      applicationToken: APP_TOKEN,
      botId: 571,
      botCode: 'rep_v2',
    });
    const built = events.v2.contextGet({ chatId: 1777 });
    expect((await h.post('/events', built.body, built.contentType)).status).toBe(200);
    await h.runtime.idle();
    expect(
      h.portal.callsOf('imopenlines.bot.session.message.send').map((c) => c.params.MESSAGE),
    ).toEqual(['context:task:164']);
  });

  it.each([1, 2] as const)(
    'sends say("", { attach }) without an empty MESSAGE (v%s bot)',
    async (apiVersion) => {
      const bot = defineBot({
        code: 'worker',
        name: 'W',
        version: '1',
        apiVersion,
        machine: worker,
      });
      h = await startHarness({ bots: [bot], env: { B24_CLIENT_ID: 'client_v1' } });
      const events = createEventBuilders({
        memberId: 'a1b2c3d4',
        applicationToken: APP_TOKEN,
        botId: 571,
        botCode: 'worker',
      });
      const built =
        apiVersion === 1
          ? events.v1.message({ chatId: 1777, text: 'card' })
          : events.v2.message({ chatId: 1777, text: 'card' });
      expect((await h.post('/events', built.body, built.contentType)).status).toBe(200);
      await h.runtime.idle();
      const method = apiVersion === 1 ? 'imbot.message.add' : 'imbot.v2.Chat.Message.send';
      const [call] = h.portal.callsOf(method);
      expect(call).toBeDefined();
      const params = call?.params as Record<string, unknown>;
      const message =
        apiVersion === 1 ? params.MESSAGE : (params.fields as Record<string, unknown>).message;
      expect(message).toBeUndefined();
      expect(JSON.stringify(params)).toContain('Order #42');
    },
  );

  it.each([
    [1, 'client_v1'],
    [2, 'bot_token_for_tests'],
  ] as const)(
    'gives transfer and finish of a v%s bot its own CLIENT_ID when both B24_CLIENT_ID and B24_BOT_TOKEN are set',
    async (apiVersion, clientId) => {
      const bot = defineBot({
        code: 'worker',
        name: 'W',
        version: '1',
        apiVersion,
        machine: worker,
      });
      // The harness sets B24_BOT_TOKEN=bot_token_for_tests.
      h = await startHarness({ bots: [bot], env: { B24_CLIENT_ID: 'client_v1' } });
      const events = createEventBuilders({
        memberId: 'a1b2c3d4',
        applicationToken: APP_TOKEN,
        botId: 571,
        botCode: 'worker',
      });
      for (const text of ['away', 'bye']) {
        const built =
          apiVersion === 1
            ? events.v1.message({ chatId: 1777, text })
            : events.v2.message({ chatId: 1777, text });
        expect((await h.post('/events', built.body, built.contentType)).status).toBe(200);
        await h.runtime.idle();
      }
      const calls = [
        ...h.portal.callsOf('imopenlines.bot.session.transfer'),
        ...h.portal.callsOf('imopenlines.bot.session.finish'),
      ];
      expect(calls.map((c) => c.params.CLIENT_ID)).toEqual([clientId, clientId]);
    },
  );
});
