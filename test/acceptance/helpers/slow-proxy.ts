/**
 * A loopback HTTP proxy in front of the fake portal that delays every request by a settable time,
 * or holds it without answering: a slow or broken path from one server process to the portal,
 * while the portal itself stays the same for everyone else.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface SlowProxy {
  /** `http://127.0.0.1:<port>`: the proxy's origin. */
  readonly origin: string;
  /** Rewrites a URL of the target so that it goes through the proxy. */
  via(url: string): string;
  /** Delay of each request from now on (ms); `'hold'` keeps requests unanswered until `close()`. */
  setDelay(delay: number | 'hold'): void;
  /** Requests received so far. */
  readonly received: number;
  close(): Promise<void>;
}

/**
 * Starts a proxy to `target` (an origin such as the fake portal's).
 *
 * @example
 * const proxy = await startSlowProxy({ target: new URL(portal.webhookUrl).origin, delayMs: 3000 });
 * spawnServeChild({ ..., webhookUrl: proxy.via(portal.webhookUrl) });
 */
export async function startSlowProxy(options: {
  target: string;
  delayMs: number | 'hold';
}): Promise<SlowProxy> {
  let delay = options.delayMs;
  let received = 0;
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const forward = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<void> => {
    try {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
      const answer = await fetch(`${options.target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    } catch {
      res.destroy();
    }
  };

  const server = createServer((req, res) => {
    received += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (delay === 'hold') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        void forward(req, res, body);
      }, delay);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    via(url) {
      const u = new URL(url);
      return `${origin}${u.pathname}${u.search}`;
    },
    setDelay(next) {
      delay = next;
    },
    get received() {
      return received;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
