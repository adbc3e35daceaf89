import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRestClient, type RestClientOptions } from '../../src/bitrix/create-rest-client';
import { isApiError, isHttpError } from '../../src/bitrix/rest-errors';
import { backoffDelay, retryPolicy } from '../../src/bitrix/retry';
import { createMetrics, METRIC } from '../../src/metrics';
import { fakeClock, flushIO, settle, type FakeClock } from './helpers/fake-clock';
import { useNock } from './helpers/use-nock';

const nock = useNock();

const PORTAL = 'https://acme.bitrix24.com';
const WEBHOOK = `${PORTAL}/rest/1/whsecret-retry-123/`;
const PATH = '/rest/1/whsecret-retry-123/imopenlines.bot.session.message.send';
const PARAMS = { CHAT_ID: 1777, NAME: 'DEFAULT' as const, MESSAGE: 'hi' };

function client(clock: FakeClock, extra: Partial<RestClientOptions> = {}) {
  return createRestClient({
    auth: { type: 'webhook', url: WEBHOOK },
    clock,
    retries: { random: () => 0 },
    ...extra,
  });
}

describe('createRestClient retries', () => {
  it('retries 503 QUERY_LIMIT_EXCEEDED after a backoff on the clock, then succeeds', async () => {
    const clock = fakeClock();
    const scope = nock(PORTAL)
      .post(PATH)
      .reply(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
      .post(PATH)
      .reply(200, { result: true });
    const c = client(clock);
    let done = false;
    const p = c.api.imopenlines.bot.session.message.send(PARAMS).finally(() => (done = true));
    await flushIO(20);
    // random=0: the first retry waits half of the 500 ms base step.
    await clock.advance(249);
    expect(done).toBe(false);
    expect(scope.pendingMocks()).toHaveLength(1);
    await expect(settle(clock, p, 50)).resolves.toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [429, 'OPERATION_TIME_LIMIT'],
    [500, 'INTERNAL_SERVER_ERROR'],
  ])('retries HTTP %i %s', async (status, error) => {
    const clock = fakeClock();
    const scope = nock(PORTAL)
      .post(PATH)
      .reply(status, { error })
      .post(PATH)
      .reply(200, { result: true });
    await expect(
      settle(clock, client(clock).api.imopenlines.bot.session.message.send(PARAMS)),
    ).resolves.toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('retries network errors and HTML 502 pages', async () => {
    // A real loopback server: the first connection is cut, the second answers an HTML 502 page.
    // (nock's simulated socket errors race with the fake clock on a busy machine.)
    let hits = 0;
    const server = createServer((req, res) => {
      hits += 1;
      if (hits === 1) return req.socket.destroy();
      if (hits === 2) return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const clock = fakeClock();
      const start = clock.now();
      const c = client(clock, { auth: { type: 'webhook', url: `http://127.0.0.1:${port}/rest/1/whsecret-retry-123/` } });
      await expect(settle(clock, c.api.imopenlines.bot.session.message.send(PARAMS))).resolves.toBe(true);
      expect(hits).toBe(3);
      // Two short backoffs, not a 30 s timeout: the failures were seen as such.
      expect(clock.now() - start).toBeLessThan(5_000);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('does not retry a 400 API error', async () => {
    const clock = fakeClock();
    const scope = nock(PORTAL)
      .post(PATH)
      .reply(400, { error: 'CHAT_ID_EMPTY', error_description: 'Chat ID can not be empty' })
      .post(PATH)
      .reply(200, { result: true });
    const e: unknown = await settle(
      clock,
      client(clock)
        .api.imopenlines.bot.session.message.send(PARAMS)
        .catch((x: unknown) => x),
    );
    expect(isApiError(e) && [e.error, e.status, e.method, e.retryable]).toEqual([
      'CHAT_ID_EMPTY',
      400,
      'imopenlines.bot.session.message.send',
      false,
    ]);
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it('gives up after the configured number of retries with the last error', async () => {
    const clock = fakeClock();
    const scope = nock(PORTAL).post(PATH).times(3).reply(503, { error: 'QUERY_LIMIT_EXCEEDED' });
    const metrics = createMetrics();
    const c = client(clock, { retries: { retries: 2, random: () => 0.5 }, metrics });
    const e: unknown = await settle(
      clock,
      c.api.imopenlines.bot.session.message.send(PARAMS).catch((x: unknown) => x),
    );
    expect(isApiError(e) && e.error).toBe('QUERY_LIMIT_EXCEEDED');
    expect(scope.isDone()).toBe(true);
    expect(metrics.value(METRIC.restRequestsTotal, { outcome: 'retried' })).toBe(2);
    expect(metrics.value(METRIC.restRequestsTotal, { outcome: 'failed' })).toBe(1);
  });

  it('turns a request without an answer into a TIMEOUT error after timeoutMs on the clock', async () => {
    const clock = fakeClock();
    nock(PORTAL)
      .post(PATH)
      .reply(function (_uri, _body, _cb: (err: Error | null, result: [number, string]) => void) {
        // never answers
      });
    let settled = false;
    const p = client(clock, { retries: { retries: 0 } })
      .api.imopenlines.bot.session.message.send(PARAMS)
      .catch((x: unknown) => x)
      .finally(() => (settled = true));
    await flushIO(20);
    await clock.advance(29_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    const e = await p;
    // The request left: its outcome is unknown, so it is not retried (#8, README trap 17).
    expect(isHttpError(e) && [e.code, e.retryable, e.outcomeUnknown, e.method]).toEqual([
      'TIMEOUT',
      false,
      true,
      'imopenlines.bot.session.message.send',
    ]);
  });

  it('honours a per-call timeout and noRetry', async () => {
    const clock = fakeClock();
    const scope = nock(PORTAL)
      .post(PATH)
      .reply(function (_uri, _body, _cb: (err: Error | null, result: [number, string]) => void) {})
      .post(PATH)
      .reply(200, { result: true });
    const p = client(clock).call('imopenlines.bot.session.message.send', PARAMS, {
      timeoutMs: 1_000,
      noRetry: true,
    });
    const e: unknown = await settle(
      clock,
      p.catch((x: unknown) => x),
      250,
    );
    expect(isHttpError(e) && e.code).toBe('TIMEOUT');
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it('stops waiting when the caller aborts', async () => {
    const clock = fakeClock();
    nock(PORTAL).post(PATH).reply(503, { error: 'QUERY_LIMIT_EXCEEDED' });
    const ac = new AbortController();
    const p = client(clock)
      .call('imopenlines.bot.session.message.send', PARAMS, { signal: ac.signal })
      .catch((x: unknown) => x);
    await flushIO(20);
    ac.abort();
    const e = await p;
    expect(isHttpError(e) && [e.reason, e.retryable]).toEqual(['aborted', false]);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with jitter, is capped, and respects Retry-After', () => {
    const low = retryPolicy({ baseDelayMs: 500, maxDelayMs: 20_000, random: () => 0 });
    const high = retryPolicy({ baseDelayMs: 500, maxDelayMs: 20_000, random: () => 0.999999 });
    expect([0, 1, 2, 3].map((a) => backoffDelay(low, a))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(high, a))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(high, 20)).toBe(20_000);
    expect(backoffDelay(low, 0, 5_000)).toBe(5_000);
    expect(backoffDelay(low, 0, 60_000)).toBe(20_000);
  });
});
