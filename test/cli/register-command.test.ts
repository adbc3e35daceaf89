/**
 * `openlines-bot register` / `unregister` against the loopback fake portal: idempotent, v2 by
 * default, `--v1`, `--fetch`, clear errors without configuration.
 */
import { runCli } from '../../src/cli/main';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { capturedIo } from './captured-io';
import { cleanEnv, runCliProcess } from './run-cli-process';

const TOKEN = 'register_test_token';

describe('runRegisterCommand', () => {
  let portal: FakePortal;
  let env: Record<string, string>;
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
    env = { B24_WEBHOOK_URL: portal.webhookUrl, B24_BOT_TOKEN: TOKEN, LOG_LEVEL: 'silent' };
  });
  afterEach(async () => {
    await portal.close();
  });

  const run = async (argv: string[], extraEnv: Record<string, string> = {}) => {
    const io = capturedIo({ env: { ...env, ...extraEnv } });
    const code = await runCli({ argv, io });
    return { code, out: io.out(), err: io.err() };
  };

  it('registers the bot once: a second run (a new process) prints the same id and registers nothing', async () => {
    const args = ['register', 'bots/support', '--url', 'https://bot.example.test/events'];
    const first = await runCliProcess(args, { env: cleanEnv(env) });
    expect(first.code).toBe(0);
    const id = Number(first.stdout.trim());
    expect(id).toBeGreaterThan(0);
    expect(first.stderr).toContain(
      `Bot "support" is registered with id ${id} (v2, events to https://bot.example.test/events)`,
    );
    const before = JSON.stringify(portal.bots);

    const second = await runCliProcess(args, { env: cleanEnv(env) });
    expect(second.code).toBe(0);
    expect(Number(second.stdout.trim())).toBe(id);
    expect(portal.callsOf('imbot.v2.Bot.register')).toHaveLength(1);
    expect(JSON.stringify(portal.bots)).toBe(before);
    expect(portal.bots).toEqual([
      expect.objectContaining({
        id,
        code: 'support',
        apiVersion: 2,
        type: 'openline',
        openline: true,
        eventMode: 'webhook',
        webhookUrl: 'https://bot.example.test/events',
      }),
    ]);
  });

  it('updates the handler URL of an existing bot instead of registering another', async () => {
    const a = await run(['register', 'bots/support', '--url', 'https://one.example.test/events']);
    const b = await run(['register', 'bots/support'], { PUBLIC_URL: 'https://two.example.test/' });
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(b.out).toBe(a.out);
    expect(portal.bots).toHaveLength(1);
    expect(portal.bots[0]?.webhookUrl).toBe('https://two.example.test/events');
  });

  it('registers in fetch mode with --fetch (no URL needed)', async () => {
    const r = await run(['register', 'bots/faq', '--fetch']);
    expect(r.code).toBe(0);
    expect(portal.bots).toEqual([expect.objectContaining({ code: 'faq', eventMode: 'fetch' })]);
    expect(r.err).toContain('(v2, fetch mode)');
  });

  it('registers through imbot.register with --v1, once', async () => {
    const v1env = { B24_BOT_TOKEN: '', B24_CLIENT_ID: 'register_test_client' };
    const a = await run(
      ['register', 'bots/lead-form', '--v1', '--url', 'https://bot.example.test/events'],
      v1env,
    );
    const b = await run(
      ['register', 'bots/lead-form', '--v1', '--url', 'https://bot.example.test/events'],
      v1env,
    );
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(b.out).toBe(a.out);
    expect(portal.callsOf('imbot.register')).toHaveLength(1);
    expect(portal.callsOf('imbot.v2.Bot.register')).toHaveLength(0);
    expect(portal.bots).toEqual([
      expect.objectContaining({ code: 'lead_form', apiVersion: 1, openline: true }),
    ]);
    expect(a.err).toContain(
      'warning: bot "lead_form" declares apiVersion 2 but is registered through v1',
    );
  });

  it('registers a bot that declares apiVersion 1 through imbot.register without --v1, and removes it the same way (#8)', async () => {
    const v1env = { B24_BOT_TOKEN: '', B24_CLIENT_ID: 'register_test_client' };
    const args = [
      'register',
      'test/cli/fixtures/v1-bot.ts',
      '--url',
      'https://bot.example.test/events',
    ];
    const a = await run(args, v1env);
    expect({ code: a.code, err: a.err }).toEqual({ code: 0, err: expect.stringContaining('(v1,') });
    expect(portal.callsOf('imbot.register')).toHaveLength(1);
    expect(portal.callsOf('imbot.v2.Bot.register')).toHaveLength(0);
    expect(portal.bots).toEqual([expect.objectContaining({ code: 'declared_v1', apiVersion: 1 })]);
    expect(a.err).not.toContain('warning');
    const removed = await run(['unregister', 'test/cli/fixtures/v1-bot.ts'], v1env);
    expect(removed.out).toContain('is unregistered');
    expect(portal.bots).toEqual([]);
  });

  it('explains what is missing: no portal, no bot token, no handler URL', async () => {
    const noPortal = capturedIo({ env: { LOG_LEVEL: 'silent' } });
    expect(
      await runCli({
        argv: ['register', 'bots/support', '--url', 'https://x.test/events'],
        io: noPortal,
      }),
    ).toBe(1);
    expect(noPortal.err()).toContain('no portal is configured: set B24_WEBHOOK_URL');

    const noToken = await run(['register', 'bots/support', '--url', 'https://x.test/events'], {
      B24_BOT_TOKEN: '',
      B24_CLIENT_ID: 'c',
    });
    expect(noToken.code).toBe(1);
    expect(noToken.err).toContain('B24_BOT_TOKEN is required for a v2 bot');

    const noUrl = await run(['register', 'bots/support']);
    expect(noUrl.code).toBe(1);
    expect(noUrl.err).toContain('the handler URL is missing: pass --url');
    expect(portal.calls).toHaveLength(0);
  });
});

describe('runUnregisterCommand', () => {
  it('removes the bot, and says so when there is none', async () => {
    const portal = await createFakePortal({ rateLimit: false });
    try {
      const env = { B24_WEBHOOK_URL: portal.webhookUrl, B24_BOT_TOKEN: TOKEN, LOG_LEVEL: 'silent' };
      expect(
        await runCli({ argv: ['register', 'bots/support', '--fetch'], io: capturedIo({ env }) }),
      ).toBe(0);
      const first = capturedIo({ env });
      expect(await runCli({ argv: ['unregister', 'bots/support'], io: first })).toBe(0);
      expect(first.out()).toBe('Bot "support" is unregistered.\n');
      expect(portal.bots).toHaveLength(0);
      const second = capturedIo({ env });
      expect(await runCli({ argv: ['unregister', 'bots/support'], io: second })).toBe(0);
      expect(second.out()).toBe('No bot "support" on the portal: nothing to do.\n');
    } finally {
      await portal.close();
    }
  });
});
