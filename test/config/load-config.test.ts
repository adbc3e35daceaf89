import { inspect } from 'node:util';
import { ConfigError, isOpenlinesError, redact, redactValue } from '../../src/errors';
import { loadConfig } from '../../src/config/load-config';

const WEBHOOK = 'https://acme.bitrix24.com/rest/1/s3cr3tw3bh00k/';

function problemsOf(env: Record<string, string>, purpose?: 'serve' | 'manage'): string[] {
  try {
    loadConfig({ env, ...(purpose ? { purpose } : {}) });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('falls back to local mode with the SQLite default when nothing is configured', () => {
    const c = loadConfig({ env: {} });
    expect(c).toMatchObject({
      mode: 'local',
      port: 3000,
      store: { kind: 'sqlite', path: './.openlines-bot/state.db' },
      eventMode: 'webhook',
      logLevel: 'info',
      rate: { burst: 50, perSecond: 2 },
      bodyLimitBytes: 1024 * 1024,
    });
    expect(c.webhook).toBeUndefined();
    expect(c.app).toBeUndefined();
  });

  it('reads single-portal webhook mode and accepts the bot token with and without custom', () => {
    const c = loadConfig({
      env: {
        B24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/1/s3cr3tw3bh00k',
        B24_BOT_TOKEN: 'tok_12345',
      },
    });
    expect(c.mode).toBe('webhook');
    expect(c.webhook).toEqual({
      url: WEBHOOK,
      domain: 'acme.bitrix24.com',
      memberId: 'acme.bitrix24.com',
      botToken: 'tok_12345',
      applicationTokens: ['customtok_12345', 'tok_12345'],
      acceptedTokens: [
        { form: 'custom+bot token', token: 'customtok_12345' },
        { form: 'bot token', token: 'tok_12345' },
      ],
    });
  });

  it('accepts every form a portal may send: the explicit token, CLIENT_ID and bot token, bare and after custom (#8)', () => {
    const c = loadConfig({
      env: {
        B24_WEBHOOK_URL: WEBHOOK,
        B24_BOT_TOKEN: 'tok_12345',
        B24_CLIENT_ID: 'client_v1',
        B24_APPLICATION_TOKEN: 'apptok_999',
        B24_MEMBER_ID: 'm123',
      },
    });
    expect(c.webhook).toMatchObject({
      clientId: 'client_v1',
      memberId: 'm123',
      applicationTokens: [
        'apptok_999',
        'client_v1',
        'customclient_v1',
        'customtok_12345',
        'tok_12345',
      ],
    });
    expect(c.webhook?.acceptedTokens.map((t) => t.form)).toEqual([
      'B24_APPLICATION_TOKEN',
      'CLIENT_ID',
      'custom+CLIENT_ID',
      'custom+bot token',
      'bot token',
    ]);
  });

  it('reads multi-portal app mode', () => {
    const c = loadConfig({
      env: {
        B24_APP_CLIENT_ID: 'local.abc',
        B24_APP_CLIENT_SECRET: 'topsecret',
        PUBLIC_URL: 'https://bot.example.com/',
        PORT: '8080',
      },
    });
    expect(c).toMatchObject({
      mode: 'app',
      port: 8080,
      publicUrl: 'https://bot.example.com',
      app: { clientId: 'local.abc', clientSecret: 'topsecret' },
    });
  });

  it('parses store URLs', () => {
    expect(loadConfig({ env: { OPENLINES_STORE: 'memory:' } }).store).toEqual({ kind: 'memory' });
    expect(loadConfig({ env: { OPENLINES_STORE: 'sqlite:/var/lib/bot.db' } }).store).toEqual({
      kind: 'sqlite',
      path: '/var/lib/bot.db',
    });
    expect(loadConfig({ env: { OPENLINES_STORE: 'sqlite:' } }).store).toEqual({
      kind: 'sqlite',
      path: './.openlines-bot/state.db',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ env: { B24_WEBHOOK_URL: '', PORT: '  ' } }).mode).toBe('local');
  });

  it('accepts redis:// and rediss:// store URLs, with the key prefix taken out of the query', () => {
    expect(loadConfig({ env: { OPENLINES_STORE: 'redis://localhost:6379' } }).store).toEqual({
      kind: 'redis',
      url: 'redis://localhost:6379',
    });
    expect(
      loadConfig({ env: { OPENLINES_STORE: 'redis://127.0.0.1:6379/2?prefix=support-bot%3A' } })
        .store,
    ).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379/2', prefix: 'support-bot:' });
    expect(
      loadConfig({ env: { OPENLINES_STORE: 'rediss://bot:pa55word@redis.example.com:6380/0' } })
        .store,
    ).toEqual({ kind: 'redis', url: 'rediss://bot:pa55word@redis.example.com:6380/0' });
  });

  it('refuses a malformed Redis URL with one line that repeats nothing of it', () => {
    // A three-character password is too short to be registered as a secret: it stays out of the
    // error only because the URL is never echoed.
    for (const url of [
      'redis://:Zq9@127.0.0.1:99999',
      'redis://:Zq9@127.0.0.1:6379/db-one',
      'redis://:Zq9@127.0.0.1:6379/0?prefix=',
      'redis://:Zq9@/0',
    ]) {
      const problems = problemsOf({ OPENLINES_STORE: url });
      expect(problems).toEqual([
        expect.stringMatching(/^OPENLINES_STORE: .*; expected redis:\/\/\[user:password@\]host/),
      ]);
      expect(problems[0]).not.toMatch(/Zq9|127\.0\.0\.1/);
    }
  });

  it('keeps the password of a Redis URL out of every error and log line', () => {
    let error: unknown;
    try {
      loadConfig({
        env: { OPENLINES_STORE: 'redis://bot:r3dis-s3cret@127.0.0.1:6379/x', PORT: 'eighty' },
      });
    } catch (e) {
      error = e;
    }
    expect(isOpenlinesError(error)).toBe(true);
    const text = [
      (error as Error).message,
      JSON.stringify(error),
      inspect(error),
      (error as Error).stack,
    ].join('\n');
    expect(text).toContain('OPENLINES_STORE: the Redis database');
    expect(text).not.toContain('r3dis-s3cret');
    // A valid URL keeps its password in the config (it is needed to connect), and registers it:
    // logging the config, or an error quoting the URL, shows *** instead.
    const config = loadConfig({ env: { OPENLINES_STORE: 'rediss://:0ther-s3cret%21@redis.test' } });
    expect(config.store).toMatchObject({ url: expect.stringContaining('0ther-s3cret') as string });
    expect(JSON.stringify(redactValue(config))).not.toContain('0ther-s3cret');
    expect(redact('AUTH failed for 0ther-s3cret!')).toBe('AUTH failed for ***');
  });

  it('names an unknown store scheme, but not the start of a value that has none', () => {
    expect(problemsOf({ OPENLINES_STORE: 'postgres://u:pw@h/db' })).toEqual([
      expect.stringMatching(/^OPENLINES_STORE: unknown store "postgres"; use "sqlite:<path>"/),
    ]);
    const [problem] = problemsOf({ OPENLINES_STORE: 'hunter2pw@redis-host:6379' });
    expect(problem).toMatch(/^OPENLINES_STORE: no known store; use .*"memory:" or "redis:\/\//);
    expect(problem).not.toMatch(/hunter2pw|redis-host/);
  });

  it('reports every problem at once, one line each', () => {
    const problems = problemsOf({
      PORT: '99999',
      LOG_LEVEL: 'loud',
      B24_EVENT_MODE: 'push',
      B24_RATE_BURST: '0',
      OPENLINES_STORE: 'postgres://u:pw@h/db',
      B24_WEBHOOK_URL: 'http://acme.bitrix24.com/rest/1/s3cr3tw3bh00k/',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^B24_EVENT_MODE: /),
      expect.stringMatching(/^LOG_LEVEL: /),
      expect.stringMatching(/^B24_RATE_BURST: /),
      'OPENLINES_STORE: unknown store "postgres"; use "sqlite:<path>" (default ./.openlines-bot/state.db), "memory:" or "redis://[user:password@]host:port[/db][?prefix=<key prefix>]" (rediss:// for TLS)',
      'B24_WEBHOOK_URL: must use https (plain http is accepted only for loopback hosts)',
      expect.stringMatching(/^B24_BOT_TOKEN \(v2 bots\) or B24_CLIENT_ID \(v1 bots\) is required/),
    ]);
  });

  it('refuses a webhook URL with a method name and keeps its secret out of the error', () => {
    let error: unknown;
    try {
      loadConfig({
        env: {
          B24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/1/w3bh00ks3cr3t/imbot.register',
          B24_BOT_TOKEN: 'botsecret42',
        },
      });
    } catch (e) {
      error = e;
    }
    expect(isOpenlinesError(error)).toBe(true);
    const text = [
      (error as Error).message,
      JSON.stringify(error),
      inspect(error),
      (error as Error).stack,
    ].join('\n');
    expect(text).toContain('B24_WEBHOOK_URL: expected the form');
    expect(text).not.toContain('w3bh00ks3cr3t');
  });

  it('accepts plain http for a loopback portal (the local fake portal)', () => {
    const c = loadConfig({
      env: { B24_WEBHOOK_URL: 'http://127.0.0.1:4567/rest/1/abcdef/', B24_BOT_TOKEN: 'tok_1' },
    });
    expect(c.webhook).toMatchObject({
      url: 'http://127.0.0.1:4567/rest/1/abcdef/',
      domain: '127.0.0.1:4567',
      memberId: '127.0.0.1',
    });
  });

  it('no longer requires B24_APPLICATION_TOKEN for v1 webhook bots: the CLIENT_ID is accepted (#8)', () => {
    const env = { B24_WEBHOOK_URL: WEBHOOK, B24_CLIENT_ID: 'client_v1' };
    expect(loadConfig({ env }).webhook?.applicationTokens).toEqual([
      'client_v1',
      'customclient_v1',
    ]);
  });

  it('accepts the bot tokens of B24_ACCEPTED_BOT_TOKENS too, for a rotation (#8)', () => {
    const c = loadConfig({
      env: {
        B24_WEBHOOK_URL: WEBHOOK,
        B24_BOT_TOKEN: 'new_token',
        B24_ACCEPTED_BOT_TOKENS: 'old_token, older',
      },
    });
    expect(c.webhook?.botToken).toBe('new_token');
    expect(c.webhook?.acceptedBotTokens).toEqual(['old_token', 'older']);
    expect(c.webhook?.applicationTokens).toEqual([
      'customnew_token',
      'new_token',
      'customold_token',
      'old_token',
      'customolder',
      'older',
    ]);
    expect(
      problemsOf({
        B24_WEBHOOK_URL: WEBHOOK,
        B24_BOT_TOKEN: 'a',
        B24_ACCEPTED_BOT_TOKENS: 'x'.repeat(41),
      }),
    ).toEqual([expect.stringMatching(/^B24_ACCEPTED_BOT_TOKENS: /)]);
  });

  it('refuses fetch mode without a v2 bot token, and bot tokens longer than 40 characters', () => {
    expect(
      problemsOf({
        B24_WEBHOOK_URL: WEBHOOK,
        B24_CLIENT_ID: 'c',
        B24_APPLICATION_TOKEN: 'tokentoken',
        B24_EVENT_MODE: 'fetch',
      }),
    ).toEqual([expect.stringMatching(/^B24_EVENT_MODE=fetch needs a v2 bot/)]);
    expect(problemsOf({ B24_WEBHOOK_URL: WEBHOOK, B24_BOT_TOKEN: 'x'.repeat(41) })).toEqual([
      expect.stringMatching(/^B24_BOT_TOKEN: at most 40/),
    ]);
  });

  it('refuses mixing webhook and app mode, and incomplete app mode', () => {
    expect(
      problemsOf({
        B24_WEBHOOK_URL: WEBHOOK,
        B24_BOT_TOKEN: 't0k3n',
        B24_APP_CLIENT_ID: 'local.1',
      }),
    ).toEqual([
      expect.stringMatching(
        /^B24_WEBHOOK_URL and B24_APP_CLIENT_ID\/B24_APP_CLIENT_SECRET are both set/,
      ),
      expect.stringMatching(/^B24_APP_CLIENT_SECRET is required in app mode/),
      expect.stringMatching(/^PUBLIC_URL is required in app mode/),
    ]);
  });

  it('refuses webhook-mode variables without a webhook URL', () => {
    expect(problemsOf({ B24_BOT_TOKEN: 'tok' })).toEqual([
      'B24_BOT_TOKEN is set but B24_WEBHOOK_URL is not: webhook mode needs the incoming webhook URL',
    ]);
  });
});
