import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { createRateBudget } from '../../src/bitrix/rate-budget';
import { isHttpError } from '../../src/bitrix/rest-errors';
import { isOpenlinesError } from '../../src/errors';
import { createMetrics } from '../../src/metrics';
import { fakeClock, flushIO, type FakeClock } from './helpers/fake-clock';
import { bodyOf, useNock } from './helpers/use-nock';

const nock = useNock();

const PORTAL = 'https://acme.bitrix24.com';
const WEBHOOK = `${PORTAL}/rest/1/whsecret-client-123/`;
const BASE = '/rest/1/whsecret-client-123/';

/** Lets I/O run until no new request reaches the server for a few rounds, then advances the clock. */
async function drive(
  clock: FakeClock,
  isDone: () => boolean,
  arrivals: () => number,
  stepMs: number,
): Promise<void> {
  for (let step = 0; step < 10_000 && !isDone(); step++) {
    let seen = -1;
    for (let quiet = 0, round = 0; quiet < 3 && round < 200; round++) {
      await flushIO(5);
      quiet = arrivals() === seen ? quiet + 1 : 0;
      seen = arrivals();
    }
    if (!isDone()) await clock.advance(stepMs);
  }
}

/** Largest excess of arrivals over what a burst/drain bucket allows, by the server's clock. */
function worstExcess(times: number[], burst: number, drain: number): number {
  const t0 = times[0] ?? 0;
  return Math.max(...times.map((t, i) => i + 1 - (burst + (drain * (t - t0)) / 1000)));
}

async function fireAndMeasure(
  burstOfBudget: number,
): Promise<{ times: number[]; results: unknown[]; render: string }> {
  const clock = fakeClock();
  const times: number[] = [];
  nock(PORTAL)
    .post(`${BASE}imbot.chat.sendTyping`)
    .times(60)
    .reply(() => {
      times.push(clock.now());
      return [200, { result: true }];
    });
  const metrics = createMetrics();
  const client = createRestClient({
    auth: { type: 'webhook', url: WEBHOOK },
    clock,
    metrics,
    rateBudget: createRateBudget({ burst: burstOfBudget, drainPerSecond: 2, clock }),
  });
  const results: unknown[] = [];
  const all = Array.from({ length: 60 }, (_, i) =>
    client.api.imbot.chat
      .sendTyping({ BOT_ID: 571, DIALOG_ID: `chat${i}` })
      .then((r) => results.push(r)),
  );
  await drive(
    clock,
    () => results.length === 60,
    () => times.length,
    100,
  );
  await Promise.all(all);
  return { times, results, render: await metrics.render() };
}

describe('createRestClient', () => {
  it('keeps 60 simultaneous calls within burst 50 + 2/s as measured at the server', async () => {
    const { times, results, render } = await fireAndMeasure(50);
    expect(results).toHaveLength(60);
    expect(times).toHaveLength(60);
    // For every arrival i: i + 1 <= 50 + 2 * (t_i - t_0) seconds.
    expect(worstExcess(times, 50, 2)).toBeLessThanOrEqual(0);
    expect(times[59]! - times[0]!).toBeGreaterThanOrEqual(5_000);
    expect(render).toMatch(
      /openlines_rate_limit_wait_seconds_count\{portal="acme\.bitrix24\.com"\} 10/,
    );
  });

  it('would exceed the portal bucket without the budget (the measurement can fail)', async () => {
    const { times } = await fireAndMeasure(10_000);
    expect(worstExcess(times, 50, 2)).toBeGreaterThan(0);
  });

  it('sends a 120-call batch as 3 requests and surfaces per-call errors in order', async () => {
    const requests: Record<string, string>[] = [];
    nock(PORTAL)
      .post(`${BASE}batch`)
      .times(3)
      .reply((_uri, body) => {
        const cmd = bodyOf(body).cmd as Record<string, string>;
        const offset = requests.length * 50;
        requests.push(cmd);
        const result: Record<string, unknown> = {};
        const errors: Record<string, unknown> = {};
        Object.keys(cmd).forEach((key, i) => {
          const n = offset + i;
          if (n % 7 === 3)
            errors[key] = { error: 'CHAT_ID_EMPTY', error_description: `call ${n} refused` };
          else result[key] = n;
        });
        return [
          200,
          {
            result: {
              result,
              result_error: Object.keys(errors).length ? errors : [],
              result_total: [],
              result_next: [],
            },
            time: {},
          },
        ];
      });
    const client = createRestClient({ auth: { type: 'webhook', url: WEBHOOK } });
    const calls = Array.from({ length: 120 }, (_, n) => ({
      method: 'imopenlines.bot.session.operator',
      params: { CHAT_ID: n },
    }));

    const out = await client.batch(calls);

    expect(requests.map((r) => Object.keys(r).length)).toEqual([50, 50, 20]);
    expect(requests[1]!.c0).toBe('imopenlines.bot.session.operator?CHAT_ID=50');
    expect(out).toHaveLength(120);
    out.forEach((r, n) => {
      if (n % 7 === 3)
        expect(r).toEqual({
          status: 'error',
          error: 'CHAT_ID_EMPTY',
          description: `call ${n} refused`,
        });
      else expect(r).toEqual({ status: 'ok', result: n });
    });
  });

  it('stops at the first failing sub-call with halt and reports the rest as not executed', async () => {
    const scope = nock(PORTAL)
      .post(`${BASE}batch`, (b: Record<string, unknown>) => b.halt === 1)
      .reply(200, {
        result: {
          result: { c0: 1 },
          result_error: { c1: { error: 'WRONG_CHAT', error_description: 'x' } },
        },
      });
    const client = createRestClient({ auth: { type: 'webhook', url: WEBHOOK } });
    const calls = Array.from({ length: 60 }, (_, n) => ({
      method: 'imopenlines.bot.session.operator',
      params: { CHAT_ID: n },
    }));
    const out = await client.batch(calls, { halt: true });
    expect(out.slice(0, 3).map((r) => (r.status === 'ok' ? 'ok' : r.error))).toEqual([
      'ok',
      'WRONG_CHAT',
      'NOT_EXECUTED',
    ]);
    expect(out.filter((r) => r.status === 'error' && r.error === 'NOT_EXECUTED')).toHaveLength(58);
    expect(scope.isDone()).toBe(true);
  });

  it('re-POSTs the same body to the Location of a 302 (renamed portal)', async () => {
    const params = { BOT_ID: 571, DIALOG_ID: 'chat1777', MESSAGE: 'Hello' };
    const old = nock(PORTAL)
      .post(`${BASE}imbot.message.add`, params)
      .reply(302, '', { Location: `https://renamed.bitrix24.com${BASE}imbot.message.add` });
    const renamed = nock('https://renamed.bitrix24.com')
      .post(`${BASE}imbot.message.add`, params)
      .matchHeader('content-type', /application\/json/)
      .reply(200, { result: 9001 });
    const client = createRestClient({ auth: { type: 'webhook', url: WEBHOOK } });
    await expect(client.api.imbot.message.add(params)).resolves.toBe(9001);
    expect(old.isDone()).toBe(true);
    expect(renamed.isDone()).toBe(true);
  });

  it('gives up after too many redirects and refuses a redirect to plain http', async () => {
    nock(PORTAL)
      .persist()
      .post(/.*/)
      .reply(302, '', { Location: `${PORTAL}${BASE}loop` });
    const client = createRestClient({ auth: { type: 'webhook', url: WEBHOOK }, maxRedirects: 2 });
    const loop: unknown = await client
      .call('im.revision.get', {}, { noRetry: true })
      .catch((x: unknown) => x);
    expect(isHttpError(loop) && [loop.reason, loop.status]).toEqual(['too many redirects', 302]);
    nock.cleanAll();

    nock(PORTAL).post(/.*/).reply(301, '', { Location: 'http://evil.example.com/rest/' });
    const downgrade: unknown = await client
      .call('im.revision.get', {}, { noRetry: true })
      .catch((x: unknown) => x);
    expect(isHttpError(downgrade) && downgrade.reason).toMatch(/http:\/\/ for a non-loopback host/);
  });

  it('refuses http:// endpoints on non-loopback hosts with a ConfigError', () => {
    const refuse = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return isOpenlinesError(e) ? e.code : 'other';
      }
      return 'accepted';
    };
    const oauth = (clientEndpoint: string, serverEndpoint?: string) => () =>
      createRestClient({
        auth: {
          type: 'oauth',
          clientId: 'cid-1',
          clientSecret: 'cs-1111',
          onTokens: async () => undefined,
          tokens: {
            memberId: 'm',
            clientEndpoint,
            accessToken: 'at-1111',
            refreshToken: 'rt-1111',
            ...(serverEndpoint ? { serverEndpoint } : {}),
          },
        },
      });
    const webhook = (url: string) => () => createRestClient({ auth: { type: 'webhook', url } });
    expect(refuse(webhook('http://acme.bitrix24.com/rest/1/abcd1234/'))).toBe('CONFIG');
    expect(refuse(webhook('http://127.evil.com/rest/1/abcd1234/'))).toBe('CONFIG');
    expect(refuse(webhook('ftp://acme.bitrix24.com/rest/1/abcd1234/'))).toBe('CONFIG');
    expect(refuse(webhook('https://acme.bitrix24.com/not-a-webhook'))).toBe('CONFIG');
    expect(refuse(oauth('http://acme.bitrix24.com/rest/'))).toBe('CONFIG');
    expect(refuse(oauth('https://acme.bitrix24.com/rest/', 'http://oauth.bitrix.info/rest/'))).toBe(
      'CONFIG',
    );
    expect(refuse(webhook('http://127.0.0.1:8080/rest/1/abcd1234/'))).toBe('accepted');
    expect(refuse(webhook('http://127.10.0.1/rest/1/abcd1234'))).toBe('accepted');
    expect(refuse(webhook('http://localhost/rest/1/abcd1234/'))).toBe('accepted');
    expect(refuse(webhook('http://[::1]:9/rest/1/abcd1234/'))).toBe('accepted');
    expect(refuse(oauth('http://127.0.0.1:4000/rest/', 'http://localhost:4001/rest/'))).toBe(
      'accepted',
    );
  });

  describe('over real HTTP on 127.0.0.1', () => {
    let server: Server;
    let seen: { url: string; body: string; type: string | undefined }[];
    beforeAll(async () => {
      seen = [];
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push({ url: req.url ?? '', body, type: req.headers['content-type'] });
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ result: { id: 42 }, time: {} }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('accepts an http:// webhook on loopback and sends a JSON POST', async () => {
      const { port } = server.address() as AddressInfo;
      const client = createRestClient({
        auth: {
          type: 'webhook',
          url: `http://127.0.0.1:${port}/rest/7/loopsecret99`,
          botToken: 'tok-loop-1',
        },
      });
      const r = await client.api.imbot.v2.Chat.Message.send({
        botId: 9,
        dialogId: 'chat5',
        fields: { message: 'ü & €' },
      });
      expect(r).toEqual({ id: 42 });
      expect(seen).toEqual([
        {
          url: '/rest/7/loopsecret99/imbot.v2.Chat.Message.send',
          body: JSON.stringify({
            botId: 9,
            dialogId: 'chat5',
            fields: { message: 'ü & €' },
            botToken: 'tok-loop-1',
          }),
          type: 'application/json',
        },
      ]);
      expect(client.portalId).toBe(`127.0.0.1:${port}`);
    });
  });
});
