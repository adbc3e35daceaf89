/**
 * Smaller wire defects found against real traffic (#8, item 6), each over real HTTP through the
 * real server and runtime, with the loopback fake portal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
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
});
