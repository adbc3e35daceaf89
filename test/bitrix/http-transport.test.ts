/**
 * The REST client's own HTTP transport (node's client over per-client keep-alive agents), over
 * real loopback servers: connections are kept and bounded, odd answers become typed errors, a
 * timeout is an unknown outcome, and a proxy named in the environment is still honoured.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { MAX_SOCKETS_PER_HOST, proxyConfiguredInEnv } from '../../src/bitrix/http-transport';
import { isHttpError } from '../../src/bitrix/rest-errors';
import { fakeClock } from './helpers/fake-clock';

const SECRET = 'transportsecret77';

interface Loopback {
  server: Server;
  url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Requests seen so far (method, url, headers, body). */
  seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

async function loopback(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<Loopback> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const seen: Loopback['seen'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req, res, body);
    });
  });
  server.on('connection', (s: Socket) => {
    connections += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const json = (res: ServerResponse, value: unknown): void => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
};

const webhook = (base: string): string => `${base}/rest/1/${SECRET}/`;

describe('the REST client transport', () => {
  let server: Loopback | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends every call of a client over one kept-alive connection, with its headers', async () => {
    server = await loopback((_req, res) => json(res, { result: true }));
    const client = createRestClient({
      auth: { type: 'webhook', url: webhook(server.url) },
      userAgent: 'my-bot/1.0',
    });
    for (let i = 0; i < 5; i++) {
      await expect(client.call('imbot.chat.sendTyping', { DIALOG_ID: `chat${i}` })).resolves.toBe(
        true,
      );
    }
    expect(server.connections()).toBe(1);
    const [first] = server.seen;
    expect(first?.headers).toMatchObject({
      'user-agent': 'my-bot/1.0',
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(first?.body ?? '')),
      connection: 'keep-alive',
    });
    expect(first?.headers['transfer-encoding']).toBeUndefined();
  });

  it(`opens at most ${MAX_SOCKETS_PER_HOST} connections to a portal however many calls are in flight`, async () => {
    const held: ServerResponse[] = [];
    let maxHeld = 0;
    server = await loopback((_req, res) => {
      held.push(res);
      maxHeld = Math.max(maxHeld, held.length);
      // Answer in waves once as many requests wait as the client may have open at once, so
      // calls beyond the bound can only be sent after one of these answers.
      if (held.length === MAX_SOCKETS_PER_HOST)
        for (const r of held.splice(0)) json(r, { result: 1 });
    });
    const client = createRestClient({
      auth: { type: 'webhook', url: webhook(server.url) },
      retries: { retries: 0 },
    });
    const calls = 3 * MAX_SOCKETS_PER_HOST;
    const results = await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        client.call('im.revision.get', { n: i }, { noRetry: true }).catch((e: unknown) => e),
      ),
    );
    // The default budget lets 50 requests through at once, more than the bound.
    expect(results).toEqual(Array.from({ length: calls }, () => 1));
    expect(maxHeld).toBe(MAX_SOCKETS_PER_HOST);
    expect(server.connections()).toBe(MAX_SOCKETS_PER_HOST);
  });

  it('reads an answer the server compressed without being asked', async () => {
    server = await loopback((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(gzipSync(JSON.stringify({ result: { text: 'ü €' } })));
    });
    const client = createRestClient({ auth: { type: 'webhook', url: webhook(server.url) } });
    await expect(client.call('im.revision.get')).resolves.toEqual({ text: 'ü €' });
    expect(server.seen[0]?.headers['accept-encoding']).toBeUndefined();
  });

  it('turns an answer cut short into a retryable network error that holds no secret', async () => {
    server = await loopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"result":');
      setImmediate(() => res.socket?.destroy());
    });
    const client = createRestClient({ auth: { type: 'webhook', url: webhook(server.url) } });
    const e: unknown = await client
      .call('im.revision.get', {}, { noRetry: true })
      .catch((x: unknown) => x);
    expect(isHttpError(e) && [e.code, e.reason, e.retryable, e.outcomeUnknown]).toEqual([
      'HTTP_ERROR',
      'request failed (ECONNRESET)',
      true,
      false,
    ]);
    expect(JSON.stringify(e) + String(e) + (e as Error).stack).not.toContain(SECRET);
  });

  it('times out on the client clock as an unknown outcome and closes the connection', async () => {
    let closed = 0;
    server = await loopback((req) => req.socket.on('close', () => (closed += 1)));
    const clock = fakeClock();
    const client = createRestClient({
      auth: { type: 'webhook', url: webhook(server.url) },
      clock,
      timeoutMs: 5_000,
    });
    const pending = client.call('imbot.message.add', { MESSAGE: 'x' }).catch((x: unknown) => x);
    for (let i = 0; i < 200 && server.seen.length === 0; i++) await clock.advance(0);
    expect(server.seen).toHaveLength(1);
    await clock.advance(5_000);
    const e = await pending;
    expect(isHttpError(e) && [e.code, e.outcomeUnknown, e.retryable]).toEqual([
      'TIMEOUT',
      true,
      false,
    ]);
    for (let i = 0; i < 200 && closed === 0; i++) await clock.advance(0);
    expect(closed).toBe(1);
    // Nothing was sent again.
    expect(server.seen).toHaveLength(1);
  });

  it('times a call out as not sent, and retryable, while it still waits for a free connection', async () => {
    server = await loopback(() => undefined);
    const clock = fakeClock();
    const client = createRestClient({
      auth: { type: 'webhook', url: webhook(server.url) },
      clock,
      timeoutMs: 30_000,
    });
    const held = Array.from({ length: MAX_SOCKETS_PER_HOST }, (_, i) =>
      client.call('imbot.message.add', { MESSAGE: `held ${i}` }).catch((x: unknown) => x),
    );
    for (let i = 0; i < 500 && server.seen.length < MAX_SOCKETS_PER_HOST; i++)
      await clock.advance(0);
    expect(server.seen).toHaveLength(MAX_SOCKETS_PER_HOST);
    const queued = client
      .call('imbot.message.add', { MESSAGE: 'queued' }, { timeoutMs: 5_000, noRetry: true })
      .catch((x: unknown) => x);
    // Its timer starts once the call reaches the transport.
    for (let i = 0; i < 500 && clock.pending() === MAX_SOCKETS_PER_HOST; i++)
      await clock.advance(0);
    await clock.advance(5_000);
    const e = await queued;
    expect(isHttpError(e) && [e.code, e.outcomeUnknown, e.retryable, e.reason]).toEqual([
      'TIMEOUT',
      false,
      true,
      'no connection free within 5000 ms (not sent)',
    ]);
    await clock.advance(25_000);
    const outcomes = await Promise.all(held);
    expect(outcomes.map((x) => isHttpError(x) && x.outcomeUnknown)).toEqual(held.map(() => true));
    expect(server.seen.map((r) => r.body)).not.toContainEqual(expect.stringContaining('queued'));
  });

  it('drops a request in flight when the caller aborts', async () => {
    let closed = 0;
    server = await loopback((req) => req.socket.on('close', () => (closed += 1)));
    const client = createRestClient({ auth: { type: 'webhook', url: webhook(server.url) } });
    const controller = new AbortController();
    const pending = client
      .call('imbot.message.add', { MESSAGE: 'x' }, { signal: controller.signal })
      .catch((x: unknown) => x);
    for (let i = 0; i < 1000 && server.seen.length === 0; i++)
      await new Promise((r) => setImmediate(r));
    controller.abort();
    const e = await pending;
    expect(isHttpError(e) && [e.reason, e.retryable]).toEqual(['aborted', false]);
    for (let i = 0; i < 1000 && closed === 0; i++) await new Promise((r) => setImmediate(r));
    expect(closed).toBe(1);
  });

  describe('with a proxy named in the environment', () => {
    const names = ['HTTP', 'HTTPS', 'ALL', 'NO'].flatMap((p) => [
      `${p}_PROXY`,
      `${p.toLowerCase()}_proxy`,
    ]);
    const saved = { ...process.env };
    afterEach(() => {
      for (const k of names)
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
    });

    it('sends through that proxy, as it did before', async () => {
      // The "proxy" answers itself; a direct request would reach the portal's port instead.
      const proxy = await loopback((_req, res) => json(res, { result: 'via proxy' }));
      try {
        server = await loopback((_req, res) => json(res, { result: 'direct' }));
        for (const k of ['NO_PROXY', 'no_proxy']) delete process.env[k];
        process.env.HTTP_PROXY = proxy.url;
        const client = createRestClient({ auth: { type: 'webhook', url: webhook(server.url) } });
        await expect(client.call('im.revision.get')).resolves.toBe('via proxy');
        expect(proxy.seen[0]?.url).toBe(`${webhook(server.url)}im.revision.get`);
        expect(server.seen).toHaveLength(0);
      } finally {
        await proxy.close();
      }
    });

    it('is recognised by any of the names axios reads', () => {
      expect(proxyConfiguredInEnv({})).toBe(false);
      expect(proxyConfiguredInEnv({ HTTPS_PROXY: '' })).toBe(false);
      for (const k of [
        'HTTP_PROXY',
        'http_proxy',
        'HTTPS_PROXY',
        'https_proxy',
        'ALL_PROXY',
        'all_proxy',
      ])
        expect(proxyConfiguredInEnv({ [k]: 'http://proxy.local:3128' })).toBe(true);
    });
  });
});
