/**
 * Webhook mode accepts every form of `auth[application_token]` a portal may send for the
 * configured bot (README trap 15, #8 item 3), over real HTTP through the real server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineBot } from '../../src/dsl/define-bot';
import { createLogger } from '../../src/logger';
import { createEventBuilders } from '../../src/testing/event-builders';
import { echoMachine } from '../helpers/test-bots';
import { startHarness, type Harness } from './harness';

const REAL_05 = join(
  __dirname,
  '..',
  'fixtures',
  'real',
  '05-avatarex-v1-messageadd-openline-webhookbot.wire.txt',
);

/** A v1 bot like the one of real-payloads 05 (id 10, registered through a webhook with CLIENT_ID 952734). */
const avatarex = defineBot({
  code: 'avatarex',
  name: 'Avatarex',
  version: '1',
  apiVersion: 1,
  machine: echoMachine,
});

function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (s: string) => lines.push(s) },
  });
  return { logger, lines };
}

describe('createServer: application tokens in webhook mode (#8)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('accepts real-payloads 05 with only B24_WEBHOOK_URL and B24_CLIENT_ID configured, and logs the form, not the token', async () => {
    const { logger, lines } = capturingLogger();
    // The harness sets B24_WEBHOOK_URL; an empty B24_BOT_TOKEN is unset.
    h = await startHarness({
      env: { B24_BOT_TOKEN: '', B24_CLIENT_ID: '952734' },
      bots: [avatarex],
      logger,
    });
    expect(h.config.webhook?.botToken).toBeUndefined();
    expect(h.config.webhook?.clientId).toBe('952734');

    const res = await h.post('/events', readFileSync(REAL_05));
    expect(res).toEqual({ status: 200, json: { status: 'accepted' } });
    // Durably recorded: the runtime's inbox took it (status `accepted`, not `duplicate`).
    expect((await h.post('/events', readFileSync(REAL_05))).json).toEqual({ status: 'duplicate' });

    const accepted = lines.filter((l) => l.includes('matched as'));
    expect(accepted).toHaveLength(1);
    expect(JSON.parse(accepted[0] as string)).toMatchObject({ matchedAs: 'CLIENT_ID' });
    expect(lines.join('\n')).not.toContain('952734');
  });

  it('still answers 401 to a token that is none of the forms', async () => {
    h = await startHarness({
      env: { B24_BOT_TOKEN: '', B24_CLIENT_ID: '952734' },
      bots: [avatarex],
    });
    const body = readFileSync(REAL_05, 'utf8');
    for (const wrong of ['952735', 'custom952735', '95273', '9527344', 'custom', '']) {
      const res = await h.post(
        '/events',
        body.replace('application_token%5D=952734', `application_token%5D=${wrong}`),
      );
      expect({ wrong, status: res.status }).toEqual({ wrong, status: 401 });
    }
    await h.runtime.idle();
    expect(h.portal.calls).toHaveLength(0);
    expect(await h.store.pendingDialogs(10)).toEqual([]);
  });

  it('accepts the explicit token, CLIENT_ID and bot tokens bare and after custom, and a rotated bot token', async () => {
    const { logger, lines } = capturingLogger();
    h = await startHarness({
      env: {
        B24_CLIENT_ID: 'client_v1',
        B24_BOT_TOKEN: 'bot_token_new',
        B24_ACCEPTED_BOT_TOKENS: 'bot_token_old',
        B24_APPLICATION_TOKEN: 'explicit_app_token',
      },
      bots: [avatarex],
      logger,
    });
    const forms: Array<[string, string]> = [
      ['explicit_app_token', 'B24_APPLICATION_TOKEN'],
      ['client_v1', 'CLIENT_ID'],
      ['customclient_v1', 'custom+CLIENT_ID'],
      ['bot_token_new', 'bot token'],
      ['custombot_token_new', 'custom+bot token'],
      ['bot_token_old', 'bot token'],
      ['custombot_token_old', 'custom+bot token'],
    ];
    let chatId = 100;
    for (const [token, form] of forms) {
      const events = createEventBuilders({
        memberId: 'a1b2c3d4',
        applicationToken: token,
        botId: 10,
        botCode: avatarex.code,
      });
      const res = await h.post('/events', events.v1.message({ chatId: ++chatId, text: 'hi' }).body);
      expect({ token, status: res.status }).toEqual({ token, status: 200 });
      const recorded = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'event recorded');
      expect(recorded[recorded.length - 1]).toMatchObject({ matchedAs: form });
    }
    const other = createEventBuilders({
      memberId: 'a1b2c3d4',
      applicationToken: 'custombot_token_older',
      botId: 10,
    });
    expect((await h.post('/events', other.v1.message({ chatId: 1, text: 'hi' }).body)).status).toBe(
      401,
    );
    const text = lines.join('\n');
    for (const secret of ['explicit_app_token', 'client_v1', 'bot_token_new', 'bot_token_old'])
      expect(text).not.toContain(secret);
  });
});
