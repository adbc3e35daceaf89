/**
 * `createFakePortal`: a real HTTP server on 127.0.0.1 (random port) that answers like a
 * Bitrix24 portal for the REST methods the framework uses.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakePortalOptions } from './types';
import { createPortalCore, type PortalCore } from './portal-core';
import { createPortalApi, type FakePortalApi } from './portal-api';

const MAX_BODY = 20 * 1024 * 1024;

/** A fake portal served over loopback HTTP. */
export interface FakePortal extends FakePortalApi {
  /**
   * The portal changes its address: the old one answers 302 with `Location` on the new one.
   * With a target (another portal or a base URL) redirects there; without one, the same portal
   * moves to a fresh port. Resolves with the new base URL.
   */
  rename(target?: { url: string } | string): Promise<string>;
  /** Stops every listener of the portal (open connections included). */
  close(): Promise<void>;
}

interface Listener {
  server: Server;
  base: string;
  redirectTo?: string;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function serve(core: PortalCore, listener: Listener, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const target = req.url ?? '/';
  if (listener.redirectTo) {
    res.writeHead(302, { location: `${listener.redirectTo}${target}`, 'content-length': '0' });
    res.end();
    return;
  }
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'INVALID_REQUEST', error_description: 'Request body too large' }));
    return;
  }
  const q = target.indexOf('?');
  const answer = core.handle({
    method: req.method ?? 'GET',
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    body,
    ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
  });
  if (answer.kind === 'destroy') {
    req.socket.destroy();
    return;
  }
  // The client times out; `close()` ends the connection.
  if (answer.kind === 'stall') return;
  const json = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function listen(core: PortalCore): Promise<Listener> {
  const server = createServer();
  const listener: Listener = { server, base: '' };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serve(core, listener, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'INTERNAL_SERVER_ERROR', error_description: 'Fake portal failure' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  listener.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return listener;
}

function closeListener(listener: Listener): Promise<void> {
  return new Promise((resolve) => {
    listener.server.close(() => resolve());
    listener.server.closeAllConnections();
  });
}

/**
 * Starts a fake Bitrix24 portal on 127.0.0.1: webhook (`/rest/<user>/<secret>/<method>`) and
 * OAuth (`/rest/<method>` + `auth`) URL forms, `batch`, `/oauth/token/` refresh, Bitrix
 * envelopes and errors, the leaky-bucket limit, injectable failures, a v2 `Event.get` queue,
 * per-chat state and a log of every call.
 *
 * @example
 * const portal = await createFakePortal({ clock: fakeClock });
 * await axios.post(`${portal.webhookUrl}imopenlines.bot.session.operator`, { CHAT_ID: 1777 });
 * expect(portal.chat(1777).session).toBe('operator');
 * await portal.close();
 */
export async function createFakePortal(options: FakePortalOptions = {}): Promise<FakePortal> {
  const core = createPortalCore(options);
  const listeners: Listener[] = [await listen(core)];
  let current = listeners[0] as Listener;
  const hostOf = (base: string) => base.replace(/^https?:\/\//, '');
  if (!options.domain) core.config.domain = hostOf(current.base);
  core.base = () => current.base;
  const api = createPortalApi({ core, base: core.base });
  const extra: Pick<FakePortal, 'rename' | 'close'> = {
    async rename(target) {
      if (target !== undefined) {
        const to = (typeof target === 'string' ? target : target.url).replace(/\/+$/, '');
        current.redirectTo = to;
        return to;
      }
      const next = await listen(core);
      listeners.push(next);
      current.redirectTo = next.base;
      current = next;
      if (!options.domain) core.config.domain = hostOf(next.base);
      return next.base;
    },
    async close() {
      await Promise.all(listeners.map(closeListener));
    },
  };
  return Object.assign(api, extra);
}
