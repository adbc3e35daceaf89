/**
 * `createServer` answers `POST /events` on node's request and response without express's router
 * (the fast path). Its answers must be exactly those of the express route it shares a handler
 * with: here the same server is also served through its express app alone, and every answer
 * (status, headers, body) of both is compared.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_TOKEN, startHarness, type Harness } from './harness';
import { v2JoinBody, v2MessageBody } from './wire';

const MEMBER = 'a1b2c3d4';
const chat = (chatId: number, applicationToken: string = APP_TOKEN) => ({
  memberId: MEMBER,
  applicationToken,
  botId: 7,
  chatId,
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function send(
  url: string,
  init: { body: string | ReadableStream<Uint8Array>; contentType?: string; path?: string },
): Promise<Answer> {
  const res = await fetch(`${url}${init.path ?? '/events'}`, {
    method: 'POST',
    body: init.body,
    ...(typeof init.body === 'string' ? {} : { duplex: 'half' }),
    headers: { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' },
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k !== 'date') headers[k] = v;
  });
  return { status: res.status, headers, body: await res.text() };
}

function streamOf(kib: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(1024));
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < kib) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

describe('createServer: the POST /events fast path', () => {
  let h: Harness;
  let viaExpress: Server;
  let expressUrl: string;

  beforeEach(async () => {
    h = await startHarness({ env: { OPENLINES_BODY_LIMIT: '4096' } });
    // The same app, state and handler, reached only through express.
    viaExpress = createHttpServer(h.server.app);
    await new Promise<void>((resolve) => viaExpress.listen(0, '127.0.0.1', resolve));
    expressUrl = `http://127.0.0.1:${(viaExpress.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    viaExpress.closeAllConnections();
    await new Promise<void>((resolve) => viaExpress.close(() => resolve()));
    await h.close();
  });

  it('answers every kind of delivery exactly as the express route does', async () => {
    let chatId = 2000;
    let messageId = 700;
    const cases: Array<() => Parameters<typeof send>[1]> = [
      () => ({ body: v2JoinBody(chat(++chatId)) }),
      () => ({ body: v2MessageBody({ ...chat(++chatId), messageId: ++messageId, text: 'hi' }) }),
      () => ({ body: v2JoinBody(chat(++chatId, 'wrong-token')) }),
      () => ({ body: v2JoinBody(chat(++chatId)).replace(/data%5Bchat%5D%5Bid%5D=\d+/, '') }),
      () => ({ body: 'event=NOPE&data=1' }),
      () => ({ body: '' }),
      () => ({ body: '{"event":', contentType: 'application/json' }),
      () => ({ body: '<xml/>', contentType: 'text/xml' }),
      () => ({ body: v2MessageBody({ ...chat(++chatId), messageId: 1, text: 'y'.repeat(5000) }) }),
      () => ({ body: streamOf(8) }),
      () => ({ body: v2JoinBody(chat(++chatId)), path: '/events?x=1' }),
    ];
    for (const make of cases) {
      const fast = await send(h.url, make());
      const slow = await send(expressUrl, make());
      expect(fast).toEqual(slow);
    }
    // A duplicate is a duplicate through either door.
    const body = v2MessageBody({ ...chat(++chatId), messageId: ++messageId, text: 'again' });
    expect((await send(h.url, { body })).body).toBe('{"status":"accepted"}');
    expect(await send(expressUrl, { body })).toEqual(await send(h.url, { body }));
  });

  it('skips the express app for events, and hands it what it does not answer itself', async () => {
    const app = h.server.app as unknown as { handle: (...args: unknown[]) => void };
    const handle = jest.spyOn(app, 'handle');
    const ok = await send(h.url, { body: v2JoinBody(chat(2100)) });
    expect(ok.status).toBe(200);
    expect(handle).not.toHaveBeenCalled();
    expect((await send(h.url, { body: '<xml/>', contentType: 'text/xml' })).status).toBe(415);
    expect(handle).toHaveBeenCalledTimes(1);
    const large = await send(h.url, { body: streamOf(8) });
    expect(large.status).toBe(413);
    expect(large.headers.connection).toBe('close');
    expect(handle).toHaveBeenCalledTimes(2);
    handle.mockRestore();
  });

  it('asks the client to close its connection while the server shuts down, as the app does', async () => {
    // The server's own request listener (fast path first), reachable after its listener closed.
    const listener = h.server.httpServer?.listeners('request')[0] as (...args: unknown[]) => void;
    const door = createHttpServer((req, res) => listener(req, res));
    await new Promise<void>((resolve) => door.listen(0, '127.0.0.1', resolve));
    const doorUrl = `http://127.0.0.1:${(door.address() as AddressInfo).port}`;
    try {
      const before = await send(doorUrl, { body: v2JoinBody(chat(2200)) });
      expect(before.headers.connection).not.toBe('close');
      await h.server.close({ deadlineMs: 5000 });
      for (const body of [v2JoinBody(chat(2201)), v2JoinBody(chat(2202, 'wrong-token'))]) {
        const fast = await send(doorUrl, { body });
        expect(fast.headers.connection).toBe('close');
        expect(fast).toEqual(await send(expressUrl, { body }));
      }
    } finally {
      door.closeAllConnections();
      await new Promise<void>((resolve) => door.close(() => resolve()));
    }
  });
});
