/**
 * Operations endpoints: `GET /healthz` (process and store) and `GET /metrics` (Prometheus text).
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import { METRIC, type MetricsRegistry } from '../metrics';
import type { Store } from '../store/store';

/** Options of {@link createOpsRouter}. */
export interface OpsRouterOptions {
  store: Pick<Store, 'ping' | 'stats' | 'kind'>;
  metrics: MetricsRegistry;
  logger: Logger;
  /** True while the server shuts down: health turns 503 so load balancers stop sending. */
  isStopping?: () => boolean;
  /** Bounds `store.ping()`; a store that hangs is unhealthy. Default 2 s. */
  pingTimeoutMs?: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Copies the store's counts (active dialogs, timers pending, outbox/inbox depth, dead letters)
 * into gauges; called right before a scrape.
 *
 * @example
 * await recordStoreGauges({ store, metrics });
 * console.log(metrics.value(METRIC.outboxDepth));
 */
export async function recordStoreGauges(options: {
  store: Pick<Store, 'stats'>;
  metrics: MetricsRegistry;
}): Promise<void> {
  const s = await options.store.stats();
  options.metrics.set(METRIC.activeDialogs, s.dialogs);
  options.metrics.set(METRIC.timersPending, s.timersPending);
  options.metrics.set(METRIC.outboxDepth, s.outboxDepth);
  options.metrics.set(METRIC.inboxDepth, s.inboxDepth);
  options.metrics.set(METRIC.deadLetters, s.deadLetters);
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
      res.status(200).json({ status: 'ok', store: store.kind, uptimeSeconds });
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
      await recordStoreGauges({ store, metrics });
    } catch (e) {
      // Counters are still worth scraping when the store is down; the gauges keep their last value.
      logger.warn({ err: e }, 'metrics: store stats unavailable');
    }
    res.status(200).type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
  });

  return router;
}
