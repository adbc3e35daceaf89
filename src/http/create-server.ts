/**
 * `createServer`: the whole host in one call. Wires config → store → portal registry → runtime →
 * transports (webhook routes, v2 fetch pollers) → express app with `/events`, `/install`,
 * `/healthz`, `/metrics`, and a graceful `close`. Every part can be injected, so tests and
 * embedding apps replace what they need (clock, store, runtime, portals).
 */
import type { OpenLineEvent } from '../events/map-openline';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { systemClock, type Clock } from '../clock';
import { loadConfig, type OpenlinesConfig } from '../config/load-config';
import { storeSpecUrl } from '../config/parse-store-url';
import type { BotDefinition } from '../dsl/define-bot';
import { createLogger, type Logger } from '../logger';
import { createMetrics, type MetricsRegistry } from '../metrics';
import { createPortalRegistry, type PortalRegistry } from '../portals/create-portal-registry';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime/create-runtime';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';
import {
  createFetchTransport,
  type FetchTransport,
  type FetchTransportOptions,
} from '../transport/create-fetch-transport';
import { ConfigError } from '../errors';
import { createInspectorRouter, INSPECTOR_BASE } from '../inspector/create-inspector-router';
import { createPlaygroundRouter, type Playground } from '../inspector/create-playground-router';
import { inspectorSettingsFromEnv, type InspectorSettings } from '../inspector/inspector-settings';
import { inspectorNav } from '../inspector/pages';
import { createBotRouter, eventsFastPathOf } from './create-bot-router';
import { createExternalEventsRouter } from './create-external-events-router';
import { createOpsRouter } from './create-ops-router';
import { lazyStore, type LazyStore } from './lazy-store';

/**
 * The runtime surface the server drives: a full `Runtime` (the default), or a double that only
 * accepts, starts and stops. `idle` / `runDueTimers` are there when the runtime has them (tests).
 */
export type ServerRuntime = Pick<Runtime, 'accept' | 'start' | 'stop'> &
  Partial<Pick<Runtime, 'idle' | 'runDueTimers' | 'deliver'>>;

/** Options of {@link createServer}. */
export interface CreateServerOptions {
  bots: readonly BotDefinition[];
  /** Default: `loadConfig()` from `process.env`. */
  config?: OpenlinesConfig;
  /**
   * Default: opened from `config.store` with `openStore` (memory, SQLite or Redis). The opening
   * starts at once and is awaited by `listen()`, which rejects with its error (an unreachable
   * Redis: a `StoreError` naming host and port). A store the server opened is closed by `close()`.
   */
  store?: Store;
  /** Close an injected store on `close()` too. Default: only a store the server opened. */
  closeStore?: boolean;
  /** Default: `createRuntime({ bots, store, clients: portals.clients, clock, logger, metrics, ...runtimeOptions })`. */
  runtime?: ServerRuntime;
  runtimeOptions?: Partial<
    Omit<RuntimeOptions, 'bots' | 'store' | 'clients' | 'clock' | 'logger' | 'metrics'>
  >;
  /** Default: `createPortalRegistry({ config, store })`. */
  portals?: PortalRegistry;
  logger?: Logger;
  metrics?: MetricsRegistry;
  clock?: Clock;
  /** Extra fetch-poller settings (backoff, page size) and a registration stub for tests. */
  fetch?: Pick<FetchTransportOptions, 'poller' | 'register'>;
  /**
   * Handler of the five Open Lines events (`OnOpenLineMessageAdd|Update|Delete`,
   * `OnSessionStart|Finish`), which Bitrix24 sends only to an application that is a connector.
   * Without it they are answered 200 and counted (`openlines_events_total{outcome="ignored"}`).
   */
  onOpenLineEvent?: (event: OpenLineEvent) => void | Promise<void>;
  /**
   * The inspector under `/inspector`. Default: from `process.env` (`OPENLINES_INSPECTOR_TOKEN`,
   * `OPENLINES_INSPECTOR_ACTIONS`, `OPENLINES_INSPECTOR`): on without a portal (local mode), off
   * with one unless a token is set.
   */
  inspector?: InspectorSettings;
}

/** A created server. */
export interface OpenlinesServer {
  /** The express app (mount more routes on it before `listen`). */
  readonly app: Express;
  readonly runtime: ServerRuntime;
  readonly store: Store;
  readonly portals: PortalRegistry;
  readonly config: OpenlinesConfig;
  /** Fetch pollers (fetch event mode only). */
  readonly fetchTransport: FetchTransport | undefined;
  /** The HTTP server, once listening. */
  readonly httpServer: Server | undefined;
  /** Starts the runtime (and fetch pollers), then listens. Port default `config.port`, host default `config.host`. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Graceful stop: no new connections, in-flight requests finish, runtime drains, store closes. */
  close(options?: { deadlineMs?: number }): Promise<void>;
}

/**
 * Creates the server.
 *
 * @example
 * const server = createServer({ bots: [supportBot] });
 * const { url } = await server.listen(3000);
 * installShutdown(server, { deadlineMs: 15_000 });
 */
export function createServer(options: CreateServerOptions): OpenlinesServer {
  const config = options.config ?? loadConfig();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = options.metrics ?? createMetrics();
  const ownsStore = options.store === undefined || options.closeStore === true;
  // The parts below hold the store from now on; an opened one fills in once `openStore` is done.
  const opened: LazyStore = options.store
    ? { store: options.store, ready: Promise.resolve() }
    : lazyStore({ kind: config.store.kind, open: () => openStore(storeSpecUrl(config.store)) });
  const { store } = opened;
  const portals =
    options.portals ?? createPortalRegistry({ config, store, clock, logger, metrics });
  const runtime: ServerRuntime =
    options.runtime ??
    createRuntime({
      joinWindowMs: config.joinWindowMs,
      ...options.runtimeOptions,
      bots: options.bots,
      store,
      clients: (id) => portals.clients(id),
      clock,
      logger,
      metrics,
    });

  const fetchTransport =
    config.eventMode === 'fetch'
      ? createFetchTransport({
          ...options.fetch,
          bots: options.bots,
          store,
          portals,
          runtime,
          config,
          clock,
          logger,
          metrics,
        })
      : undefined;

  let stopping = false;
  let httpServer: Server | undefined;
  let closing: Promise<void> | undefined;

  const app = express();
  app.disable('x-powered-by');
  // While shutting down, every answer asks the client to close its keep-alive connection, so busy
  // connections drain instead of carrying new requests until the forced close.
  app.use((_req, res, next) => {
    if (stopping) res.setHeader('Connection', 'close');
    next();
  });
  app.use(
    createOpsRouter({ store, metrics, logger, isStopping: () => stopping, now: () => clock.now() }),
  );
  // The host's own events into dialogs: only with a token (off by default).
  if (config.externalEventsToken !== undefined) {
    const deliver = runtime.deliver?.bind(runtime);
    if (!deliver)
      throw new ConfigError(
        ['OPENLINES_EXTERNAL_EVENTS_TOKEN is set but the runtime given has no deliver()'],
        'Cannot serve external events',
      );
    app.use(
      createExternalEventsRouter({
        runtime: { deliver },
        token: config.externalEventsToken,
        logger,
      }),
    );
  }
  const inspector =
    options.inspector ?? inspectorSettingsFromEnv({ env: process.env, mode: config.mode });
  const firstBot = options.bots[0];
  const playground: Playground | undefined =
    inspector.enabled && inspector.development && firstBot
      ? createPlaygroundRouter({
          bot: firstBot,
          base: `${INSPECTOR_BASE}/play`,
          nav: inspectorNav(INSPECTOR_BASE, true),
        })
      : undefined;
  const operator = (runtime as Partial<Runtime>).operator;
  app.use(
    INSPECTOR_BASE,
    createInspectorRouter({
      settings: inspector,
      store,
      bots: options.bots,
      ...(operator ? { operator } : {}),
      metrics,
      clock,
      logger,
      ...(playground ? { playground: playground.router } : {}),
    }),
  );
  const botRouter = createBotRouter({
    bots: options.bots,
    store,
    runtime,
    config,
    portals,
    clock,
    logger,
    metrics,
    hooks: {
      onInstalled: (record) => fetchTransport?.addPortal(record),
      onUninstalled: (memberId) => fetchTransport?.removePortal(memberId),
      onBotDeleted: (memberId, botId) => fetchTransport?.removeBot(memberId, botId),
      ...(options.onOpenLineEvent ? { onOpenLineEvent: options.onOpenLineEvent } : {}),
    },
  });
  app.use(botRouter);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' });
  });
  // Express 5 routes rejected promises here; a bug must still answer JSON and leave the process up.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status =
      typeof (err as { status?: unknown })?.status === 'number'
        ? (err as { status: number }).status
        : 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    if (!res.headersSent)
      res.status(status).json({
        code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
        message: status >= 500 ? 'internal error' : 'bad request',
      });
  });

  // `POST /events` (every event Bitrix24 sends) skips express's router and middleware: the fast
  // path answers it as the route would, and hands to the app whatever it does not answer itself.
  const fastEvents = eventsFastPathOf(botRouter);
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url;
    if (
      fastEvents === undefined ||
      req.method !== 'POST' ||
      url === undefined ||
      !(url === '/events' || url.startsWith('/events?'))
    ) {
      void app(req, res);
      return;
    }
    // The same as the first middleware of the app: a draining server asks clients to close.
    if (stopping) res.setHeader('Connection', 'close');
    fastEvents(req, res, () => void app(req, res)).catch((err: unknown) => {
      logger.error({ err }, 'request failed');
      if (!res.headersSent) {
        const text = JSON.stringify({ code: 'INTERNAL', message: 'internal error' });
        res.writeHead(500, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(text),
        });
        res.end(text);
      }
    });
  };

  const server: OpenlinesServer = {
    app,
    runtime,
    store,
    portals,
    config,
    fetchTransport,
    get httpServer() {
      return httpServer;
    },

    async listen(port, host) {
      if (httpServer) throw new Error('already listening');
      await opened.ready;
      await runtime.start();
      await fetchTransport?.start();
      const s = createHttpServer(listener);
      httpServer = s;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port ?? config.port, host ?? config.host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      const address = s.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? 'localhost' : shownHost}:${address.port}`;
      logger.info(
        {
          url,
          mode: config.mode,
          eventMode: config.eventMode,
          store: store.kind,
          bots: options.bots.map((b) => b.code),
        },
        'listening',
      );
      return { port: address.port, url };
    },

    close(closeOptions = {}) {
      closing ??= (async () => {
        const deadlineMs = closeOptions.deadlineMs ?? 10_000;
        const deadline = Date.now() + deadlineMs;
        stopping = true;
        await fetchTransport?.stop();
        const s = httpServer;
        if (s) {
          const closed = new Promise<void>((resolve) => s.close(() => resolve()));
          s.closeIdleConnections();
          // At most half of the deadline for HTTP: the runtime needs the rest to drain turns and the outbox.
          const force = setTimeout(
            () => s.closeAllConnections(),
            Math.max(0, (deadline - Date.now()) / 2),
          );
          force.unref();
          await closed;
          clearTimeout(force);
        }
        await runtime.stop({ deadlineMs: Math.max(0, deadline - Date.now()) });
        await playground?.close();
        if (ownsStore) await store.close();
        logger.info('server closed');
      })();
      return closing;
    },
  };
  return server;
}
