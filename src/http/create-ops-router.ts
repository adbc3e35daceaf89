/**
 * Operations endpoints: `GET /healthz` (process and store) and `GET /metrics` (Prometheus text).
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import { METRIC, type MetricsRegistry } from '../metrics';
import type { Store, StoreStats } from '../store/store';

/** Options of {@link createOpsRouter}. */
export interface OpsRouterOptions {
  store: Pick<Store, 'ping' | 'stats' | 'kind'>;
  metrics: MetricsRegistry;
  logger: Logger;
  /** True while the server shuts down: health turns 503 so load balancers stop sending. */
  isStopping?: () => boolean;
  /** Bounds `store.ping()`; a store that hangs is unhealthy. Default 2 s. */
  pingTimeoutMs?: number;
  /** Clock for the age of the oldest inbox item; default `Date.now`. */
  now?: () => number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Seconds since the oldest unprocessed inbox item was received (0 when the inbox is empty). */
function oldestAgeSeconds(s: StoreStats, now: number): number {
  return s.oldestInboxAt === undefined ? 0 : Math.max(0, (now - s.oldestInboxAt) / 1000);
}

/**
 * Copies the store's counts (active dialogs, timers pending, outbox/inbox depth, age of the
 * oldest inbox item, dead letters) into gauges; called right before a scrape. The store keeps
 * them as maintained counters, so this costs O(1) whatever the number of dialogs.
 *
 * @example
 * await recordStoreGauges({ store, metrics });
 * console.log(metrics.value(METRIC.outboxDepth));
 */
export async function recordStoreGauges(options: {
  store: Pick<Store, 'stats'>;
  metrics: MetricsRegistry;
  now?: () => number;
}): Promise<StoreStats> {
  const s = await options.store.stats();
  options.metrics.set(METRIC.activeDialogs, s.dialogs);
  options.metrics.set(METRIC.timersPending, s.timersPending);
  options.metrics.set(METRIC.outboxDepth, s.outboxDepth);
  options.metrics.set(METRIC.inboxDepth, s.inboxDepth);
  options.metrics.set(METRIC.inboxOldestAge, oldestAgeSeconds(s, (options.now ?? Date.now)()));
  options.metrics.set(METRIC.deadLetters, s.deadLetters);
  return s;
}

/**
 * Creates the router of `/healthz` and `/metrics`.
 *
 * @example
 * app.use(createOpsRouter({ store, metrics: createMetrics(), logger }));
 */
export function createOpsRouter(options: OpsRouterOptions): Router {
  const { store, metrics, logger } = options;
  const pingTimeoutMs = options.pingTimeoutMs ?? 2000;
  const now = options.now ?? Date.now;
  const started = Date.now();
  const router = Router();

  router.get('/healthz', async (_req: Request, res: Response) => {
    const uptimeSeconds = Math.round((Date.now() - started) / 1000);
    if (options.isStopping?.()) {
      res.status(503).json({ status: 'stopping', store: store.kind, uptimeSeconds });
      return;
    }
    try {
      await withTimeout(store.ping(), pingTimeoutMs);
      // The backlog: acknowledged events not processed yet, and how long the oldest has waited.
      const s = await withTimeout(store.stats(), pingTimeoutMs);
      res.status(200).json({
        status: 'ok',
        store: store.kind,
        uptimeSeconds,
        inbox: {
          depth: s.inboxDepth,
          oldestAgeSeconds: oldestAgeSeconds(s, now()),
        },
        outboxDepth: s.outboxDepth,
      });
    } catch (e) {
      logger.warn({ err: e }, 'health check: store unavailable');
      res.status(503).json({
        status: 'unavailable',
        store: store.kind,
        uptimeSeconds,
        error: 'store unavailable',
      });
    }
  });

  router.get('/metrics', async (_req: Request, res: Response) => {
    try {
      await recordStoreGauges({ store, metrics, now });
    } catch (e) {
      // Counters are still worth scraping when the store is down; the gauges keep their last value.
      logger.warn({ err: e }, 'metrics: store stats unavailable');
    }
    res
      .status(200)
      .type(metrics.registry.contentType)
      .send(await metrics.render());
  });

  return router;
}
