/**
 * Issue 4 acceptance, as a user runs it: `npm start` on a fresh clone answers `/healthz` on port
 * 3000 within 30 s, and `npx openlines-bot serve bots/support` with `B24_WEBHOOK_URL` pointing at
 * a loopback fake portal serves events end to end. Both spawn the real command in a child process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUPPORT_TEXTS } from '../../bots/support/bot';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { ensureBotRegistered } from '../../src/bitrix/register-bot';
import { createEventBuilders } from '../../src/testing/event-builders';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { freePort, portIsFree, spawnServer, waitForHealthy, waitForOutput, type SpawnedServer } from './spawned-server';

const STARTUP_LIMIT_MS = 30_000;

describe('npm start', () => {
  let dir: string;
  let app: SpawnedServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'openlines-start-'));
  });
  afterEach(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers GET /healthz 200 on port 3000 within 30 s without any configuration', async () => {
    // CI has nothing on 3000, so there the default port itself is tested. A developer machine may
    // be running something there: then the same start-up is checked on a free port set by PORT.
    const onDefault = await portIsFree(3000);
    const port = onDefault ? 3000 : await freePort();
    app = spawnServer({
      command: 'npm',
      args: ['start'],
      // No B24_*: the local portal simulator. The store goes to a temp dir, not into the clone.
      env: { OPENLINES_STORE: `sqlite:${path.join(dir, 'state.db')}`, ...(onDefault ? {} : { PORT: String(port) }) },
    });
    const tookMs = await waitForHealthy({ url: `http://127.0.0.1:${port}/healthz`, withinMs: STARTUP_LIMIT_MS, server: app });
    expect(tookMs).toBeLessThan(STARTUP_LIMIT_MS);
    // It says what it runs against and what to do next (printed once the bot is registered there).
    const banner = await waitForOutput({ server: app, pattern: /B24_WEBHOOK_URL/, withinMs: 10_000 });
    expect(banner).toMatch(/simulator/i);
    expect(banner).toContain('B24_WEBHOOK_URL');
    const code = await app.stop();
    app = undefined;
    expect(code).not.toBe('SIGKILL');
  }, 60_000);
});

describe('npx openlines-bot serve bots/support', () => {
  const BOT_TOKEN = 'npx_e2e_bot_token';
  const APPLICATION_TOKEN = 'npx_e2e_application_token';
  let dir: string;
  let portal: FakePortal;
  let app: SpawnedServer | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'openlines-npx-'));
    portal = await createFakePortal({ rateLimit: false, memberId: 'npx-e2e-portal' });
  });
  afterEach(async () => {
    await app?.stop();
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls the portal's call log (the server is another process) until `done` holds or time is up. */
  async function callsUntil(done: (methods: string[]) => boolean, withinMs: number): Promise<string[]> {
    const started = Date.now();
    let methods: string[] = [];
    while (Date.now() - started < withinMs) {
      methods = portal.calls.filter((c) => c.method.toLowerCase() !== 'batch').map((c) => c.method);
      if (done(methods)) return methods;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return methods;
  }

  it('serves a portal given by B24_WEBHOOK_URL end to end', async () => {
    const admin = createRestClient({ auth: { type: 'webhook', url: portal.webhookUrl, botToken: BOT_TOKEN } });
    const botId = await ensureBotRegistered(admin.api, { code: 'support', name: 'Support', apiVersion: 2, mode: 'webhook', url: 'http://127.0.0.1:9/events' });
    const registrationCalls = portal.calls.length;
    const port = await freePort();
    // `--no`: resolve the repository's own bin, never download a package of that name.
    app = spawnServer({
      command: 'npx',
      args: ['--no', 'openlines-bot', 'serve', 'bots/support'],
      env: {
        B24_WEBHOOK_URL: portal.webhookUrl,
        B24_BOT_TOKEN: BOT_TOKEN,
        B24_APPLICATION_TOKEN: APPLICATION_TOKEN,
        PORT: String(port),
        HOST: '127.0.0.1',
        OPENLINES_STORE: `sqlite:${path.join(dir, 'state.db')}`,
        LOG_LEVEL: 'warn',
      },
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealthy({ url: `${base}/healthz`, withinMs: STARTUP_LIMIT_MS, server: app });
    // At start `serve` only reads: it checks the webhook's scopes once and reads the API revisions (one batch).
    const startupMethods = portal.calls.slice(registrationCalls).map((c) => c.method);
    expect(startupMethods).toContain('scope');
    expect(startupMethods.filter((m) => !['scope', 'batch', 'imbot.v2.Revision.get', 'imopenlines.revision.get'].includes(m))).toEqual([]);
    const beforeEvents = portal.calls.filter((c) => c.method.toLowerCase() !== 'batch').length;

    const events = createEventBuilders({ memberId: portal.memberId, applicationToken: APPLICATION_TOKEN, botId, botCode: 'support' });
    const wrong = createEventBuilders({ ...events.defaults, applicationToken: 'wrong' });
    expect((await portal.sendEvent(`${base}/events`, wrong.v2.message({ chatId: 12, text: 'operator' }))).status).toBe(401);
    expect((await portal.sendEvent(`${base}/events`, events.v2.join({ chatId: 12 }))).status).toBe(200);
    // A v2 bot registered through the webhook also signs its events with `custom` + bot token.
    const custom = createEventBuilders({ ...events.defaults, applicationToken: `custom${BOT_TOKEN}` });
    expect((await portal.sendEvent(`${base}/events`, custom.v2.message({ chatId: 12, text: 'I need a human', auth: 'minimal' }))).status).toBe(200);

    const methods = await callsUntil((m) => m.includes('imopenlines.bot.session.operator'), 20_000);
    expect(methods.slice(beforeEvents)).toEqual([
      'imbot.v2.Chat.Message.send',
      'imopenlines.bot.session.message.send',
      'imopenlines.bot.session.operator',
    ]);
    const [greeting, notice, operator] = portal.calls.filter((c) => c.method.toLowerCase() !== 'batch').slice(beforeEvents);
    expect([String(greeting?.params.botId), greeting?.params.dialogId, greeting?.params.botToken]).toEqual([String(botId), 'chat12', BOT_TOKEN]);
    expect(String(notice?.params.MESSAGE)).toBe(SUPPORT_TEXTS.toOperator);
    expect(String(operator?.params.CHAT_ID)).toBe('12');
    expect(portal.chat(12).session).toBe('operator');
  }, 60_000);
});
