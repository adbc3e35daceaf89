/**
 * A real server on 127.0.0.1 in webhook mode, a loopback fake portal, the real runtime and a
 * store: what the server tests drive over HTTP.
 */
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { loadConfig, type OpenlinesConfig } from '../../src/config/load-config';
import type { BotDefinition } from '../../src/dsl/define-bot';
import {
  createServer,
  type CreateServerOptions,
  type OpenlinesServer,
} from '../../src/http/create-server';
import { silentLogger, type Logger } from '../../src/logger';
import { createMetrics, type MetricsRegistry } from '../../src/metrics';
import { createPortalRegistry } from '../../src/portals/create-portal-registry';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { echoBot } from '../helpers/test-bots';

export const BOT_TOKEN = 'bot_token_for_tests';
export const APP_TOKEN = `custom${BOT_TOKEN}`;

export interface Harness {
  portal: FakePortal;
  server: OpenlinesServer;
  runtime: Runtime;
  store: Store;
  metrics: MetricsRegistry;
  config: OpenlinesConfig;
  url: string;
  post(
    path: string,
    body: string | Buffer,
    contentType?: string,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Overrides the webhook-mode environment. */
  env?: Record<string, string>;
  /** App mode with this OAuth app instead of webhook mode (the portal is then only one of several). */
  app?: { clientId: string; clientSecret: string };
  store?: Store;
  bots?: BotDefinition[];
  /** Reuse a portal (a restarted server talks to the same portal); it is then not closed by `close()`. */
  portal?: FakePortal;
  /** The server's and runtime's logger; default silent. */
  logger?: Logger;
  /** Passed to `createServer`. */
  onOpenLineEvent?: CreateServerOptions['onOpenLineEvent'];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const portal =
    options.portal ?? (await createFakePortal({ rateLimit: false, ...(options.app ?? {}) }));
  const modeEnv: Record<string, string> = options.app
    ? {
        B24_APP_CLIENT_ID: options.app.clientId,
        B24_APP_CLIENT_SECRET: options.app.clientSecret,
        PUBLIC_URL: 'https://bot.example.test',
      }
    : { B24_WEBHOOK_URL: portal.webhookUrl, B24_BOT_TOKEN: BOT_TOKEN };
  const config = loadConfig({
    env: {
      ...modeEnv,
      OPENLINES_STORE: 'memory:',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // A first message is answered at once: these tests are not about the join race (#8).
      OPENLINES_JOIN_WINDOW_MS: '0',
      ...options.env,
    },
  });
  const store = options.store ?? memoryStore();
  const metrics = createMetrics();
  const logger = options.logger ?? silentLogger();
  const portals = createPortalRegistry({ config, store, logger });
  const runtime = createRuntime({
    bots: options.bots ?? [echoBot],
    store,
    clients: (id) => portals.clients(id),
    logger,
    metrics,
    joinWindowMs: config.joinWindowMs,
  });
  const server = createServer({
    bots: options.bots ?? [echoBot],
    config,
    store,
    closeStore: true,
    runtime,
    portals,
    logger,
    metrics,
    ...(options.onOpenLineEvent ? { onOpenLineEvent: options.onOpenLineEvent } : {}),
  });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    portal,
    server,
    runtime,
    store,
    metrics,
    config,
    url,
    async post(path, body, contentType = 'application/x-www-form-urlencoded') {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
      });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = { text };
      }
      return { status: res.status, json };
    },
    async close() {
      await server.close({ deadlineMs: 5000 });
      if (!options.portal) await portal.close();
    },
  };
}
