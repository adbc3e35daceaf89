/**
 * `openlines-bot serve` as a real child process: TypeScript bots load without a build step, a bad
 * module gives a clear error, the local simulator works with no configuration, and with `B24_*`
 * set the server serves that portal end to end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { encodePhpForm } from '../../src/events/php-form';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { cleanUpRedis, freshPrefix, requireRedis } from '../store/redis-test-env';
import { capturedIo } from './captured-io';
import { cleanEnv, runCliProcess, startCliProcess, waitForOutput } from './run-cli-process';

type Child = ReturnType<typeof startCliProcess>;

async function stop(child: Child): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.kill('SIGTERM');
  return exited;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(cleanUpRedis);

describe('runServeCommand', () => {
  let dir: string;
  const children: Child[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'olb-serve-'));
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stop));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves TypeScript bots (a folder and a module) against the local simulator when no portal is configured', async () => {
    const child = startCliProcess(
      ['serve', 'bots/support', 'bots/faq/bot.ts'],
      cleanEnv({ PORT: '0', OPENLINES_STORE: `sqlite:${join(dir, 'state.db')}` }),
    );
    children.push(child);
    const [, url] = await waitForOutput(
      child,
      /is serving "support", "faq" at (http:\/\/127\.0\.0\.1:\d+) \(SQLite store /,
    );
    expect(child.output()).toContain(
      'No Bitrix24 portal is configured, so it runs against a local portal simulator',
    );
    expect(child.output()).toContain('npx openlines-bot chat bots/support');
    expect(child.output()).toContain(
      'npx openlines-bot register bots/support --url https://<your public address>/events',
    );

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    // The banner's own sample requests: a client opens a chat, then asks for a human.
    const samples = child.output().match(/-d '(\{.*\})' http/g) ?? [];
    expect(samples).toHaveLength(2);
    for (const sample of samples) {
      const body = /-d '(\{.*\})' http/.exec(sample)?.[1] ?? '';
      const res = await fetch(`${url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
    }
    await waitForOutput(child, /\[simulator\] chat1 bot: Hello, Ann! I am the support bot\./);
    await waitForOutput(child, /\[simulator\] chat1 \[bot handed the dialog to an operator\]/);

    expect(await stop(child)).toBe(0);
  });

  it('rejects a module that does not export a bot, with a clear error', async () => {
    const r = await runCliProcess(['serve', 'test/cli/fixtures/machine-not-bot.ts'], {
      env: cleanEnv({ PORT: '0', OPENLINES_STORE: 'memory:' }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'openlines-bot: test/cli/fixtures/machine-not-bot.ts does not export a bot: its default export (or an export named "bot") must be the result of defineBot(...). ' +
        'The default export is an xstate machine (wrap it: defineBot({ code, name, version, machine })); the module exports: default.\n',
    );
    expect(r.stdout).toBe('');
  });

  it('reports a module that throws while loading, and a folder without bot.ts', async () => {
    const io = capturedIo({ env: { OPENLINES_STORE: 'memory:' } });
    expect(await runCli({ argv: ['serve', 'test/cli/fixtures/throws-on-load.ts'], io })).toBe(1);
    expect(io.err()).toBe(
      'openlines-bot: Could not load the bot module test/cli/fixtures/throws-on-load.ts: SHOP_API_URL is not set\n',
    );

    const io2 = capturedIo({ env: { OPENLINES_STORE: 'memory:' } });
    expect(await runCli({ argv: ['serve', 'test/cli/fixtures'], io: io2 })).toBe(1);
    expect(io2.err()).toContain('The folder "test/cli/fixtures" holds no bot.ts (or bot.js)');

    const io3 = capturedIo();
    expect(await runCli({ argv: ['serve'], io: io3 })).toBe(2);
    expect(io3.err()).toContain('serve needs at least one bot');
  });

  it('serves on the Redis store of OPENLINES_STORE and names it, without credentials, in the banner', async () => {
    await requireRedis();
    const prefix = freshPrefix();
    const child = startCliProcess(
      ['serve', 'bots/support'],
      cleanEnv({
        PORT: '0',
        OPENLINES_STORE: `redis://127.0.0.1:6379/0?prefix=${encodeURIComponent(prefix)}`,
      }),
    );
    children.push(child);
    const [, url] = await waitForOutput(
      child,
      /is serving "support" at (http:\/\/127\.0\.0\.1:\d+) \(Redis store redis:\/\/127\.0\.0\.1:6379\/0, key prefix "/,
    );
    expect(child.output()).toContain(`key prefix "${prefix}"`);
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'redis' });
    expect(await stop(child)).toBe(0);
  });

  it('fails with the Redis host and port, never the password, when the Redis store is unreachable', async () => {
    // Port 1 on loopback: nothing listens there.
    const io = capturedIo({
      env: {
        OPENLINES_STORE: 'redis://bot:serve-s3cret@127.0.0.1:1/0',
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        PORT: '0',
      },
    });
    expect(await runCli({ argv: ['serve', 'bots/support'], io })).toBe(1);
    expect(io.err()).toMatch(/^openlines-bot: Redis store .*127\.0\.0\.1:1/);
    expect(io.err() + io.out()).not.toContain('serve-s3cret');
  });

  it('refuses bad configuration with one line per problem', async () => {
    const io = capturedIo({ env: { PORT: 'eighty', OPENLINES_STORE: 'postgres://u:secret@db/x' } });
    expect(await runCli({ argv: ['serve', 'bots/support'], io })).toBe(1);
    expect(io.err()).toMatch(
      /^openlines-bot: Invalid configuration:\n {2}- PORT: .*\n {2}- OPENLINES_STORE: /,
    );
    expect(io.err()).not.toContain('secret');
  });

  describe('with B24_WEBHOOK_URL pointing at a loopback fake portal', () => {
    let portal: FakePortal;
    beforeEach(async () => {
      portal = await createFakePortal({ rateLimit: false });
    });
    afterEach(async () => {
      await portal.close();
    });

    it('serves events of the real portal end to end', async () => {
      const env = cleanEnv({
        B24_WEBHOOK_URL: portal.webhookUrl,
        B24_BOT_TOKEN: 'serve_test_token',
        OPENLINES_STORE: 'memory:',
        PORT: '0',
        HOST: '127.0.0.1',
      });
      const io = capturedIo({ env });
      expect(
        await runCli({
          argv: ['register', 'bots/support', '--url', 'http://127.0.0.1:9/events'],
          io,
        }),
      ).toBe(0);
      const botId = Number(io.out().trim());

      const child = startCliProcess(['serve', 'bots/support'], env);
      children.push(child);
      const [, url] = await waitForOutput(
        child,
        /is serving "support" at (http:\/\/127\.0\.0\.1:\d+): portal /,
      );
      expect(child.output()).not.toContain('simulator');

      const wire = (event: string, data: Record<string, unknown>) =>
        encodePhpForm({
          event,
          data: {
            bot: { id: botId, code: 'support' },
            chat: {
              id: 42,
              dialogId: 'chat42',
              type: 'lines',
              entityType: 'LINES',
              entityId: 'telegrambot|1|555|900',
              entityData1: 'N|NONE|0|N|N|77|1771925398|0|0|0',
            },
            user: { id: 900, name: 'Ivan Petrov', firstName: 'Ivan', connector: 'Y' },
            ...data,
          },
          ts: '1771929100',
          auth: {
            domain: portal.domain,
            member_id: portal.memberId,
            application_token: 'customserve_test_token',
          },
        });
      const post = (body: string) =>
        fetch(`${url}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });

      expect((await post(wire('ONIMBOTV2JOINCHAT', { dialogId: 'chat42' }))).status).toBe(200);
      const greeting = await until('the greeting', () =>
        portal.callsOf('imbot.v2.Chat.Message.send').find((c) => !c.error),
      );
      expect(greeting.params).toMatchObject({
        botId,
        dialogId: 'chat42',
        fields: { message: expect.stringContaining('Hello, Ivan!') },
      });

      expect(
        (
          await post(
            wire('ONIMBOTV2MESSAGEADD', {
              message: { id: '5001', chatId: '42', authorId: '900', text: 'оператор, пожалуйста' },
            }),
          )
        ).status,
      ).toBe(200);
      const handoff = await until(
        'the operator call',
        () => portal.callsOf('imopenlines.bot.session.operator')[0],
      );
      expect(Number(handoff.params.CHAT_ID)).toBe(42);

      // A wrong application token is refused before anything happens.
      const forged = wire('ONIMBOTV2MESSAGEADD', {
        message: { id: '5002', chatId: '42', authorId: '900', text: 'hi' },
      }).replace('customserve_test_token', 'forged');
      expect((await post(forged)).status).toBe(401);
      expect(await stop(child)).toBe(0);
    });

    async function serveAgainst(webhookUrl: string) {
      const env = cleanEnv({
        B24_WEBHOOK_URL: webhookUrl,
        B24_BOT_TOKEN: 'serve_test_token',
        OPENLINES_STORE: 'memory:',
        PORT: '0',
        HOST: '127.0.0.1',
      });
      const child = startCliProcess(['serve', 'bots/support'], env);
      children.push(child);
      const [, url] = await waitForOutput(
        child,
        /is serving "support" at (http:\/\/127\.0\.0\.1:\d+)/,
      );
      return { child, url: url as string };
    }

    it('checks the webhook once at start and says clearly when its secret is wrong, still answering /healthz (#8)', async () => {
      const wrong = portal.webhookUrl.replace(portal.webhookSecret, 'not-the-secret');
      const { child, url } = await serveAgainst(wrong);
      await until(
        'the webhook check',
        () => /refused the incoming webhook \(NO_AUTH_FOUND\)/.exec(child.errors()) ?? undefined,
      );
      expect(child.errors()).toMatch(/check the user id and secret in B24_WEBHOOK_URL/);
      expect(portal.callsOf('scope')).toHaveLength(1);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(child.output() + child.errors()).not.toContain('not-the-secret');
      expect(await stop(child)).toBe(0);
    });

    it('names the missing scopes of the webhook (#8)', async () => {
      const narrow = await createFakePortal({ rateLimit: false, scopes: ['imbot', 'im'] });
      try {
        const { child, url } = await serveAgainst(narrow.webhookUrl);
        await until(
          'the webhook check',
          () =>
            /lacks the scope imopenlines \(it has: imbot, im\)/.exec(child.errors()) ?? undefined,
        );
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        expect(await stop(child)).toBe(0);
      } finally {
        await narrow.close();
      }
    });

    it('says nothing alarming when the webhook is right (#8)', async () => {
      const { child } = await serveAgainst(portal.webhookUrl);
      await waitForOutput(child, /incoming webhook checked: scopes imbot, imopenlines/);
      expect(child.errors()).not.toMatch(/webhook/);
      expect(await stop(child)).toBe(0);
    });
  });
});
