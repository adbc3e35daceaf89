"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.recordStoreGauges = recordStoreGauges;
exports.createOpsRouter = createOpsRouter;
/**
 * Operations endpoints: `GET /healthz` (process and store) and `GET /metrics` (Prometheus text).
 */
const express_1 = require("express");
const metrics_1 = require("../metrics");
function withTimeout(p, ms) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
/** Seconds since the oldest unprocessed inbox item was received (0 when the inbox is empty). */
function oldestAgeSeconds(s, now) {
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
async function recordStoreGauges(options) {
    const s = await options.store.stats();
    options.metrics.set(metrics_1.METRIC.activeDialogs, s.dialogs);
    options.metrics.set(metrics_1.METRIC.timersPending, s.timersPending);
    options.metrics.set(metrics_1.METRIC.outboxDepth, s.outboxDepth);
    options.metrics.set(metrics_1.METRIC.inboxDepth, s.inboxDepth);
    options.metrics.set(metrics_1.METRIC.inboxOldestAge, oldestAgeSeconds(s, (options.now ?? Date.now)()));
    options.metrics.set(metrics_1.METRIC.deadLetters, s.deadLetters);
    return s;
}
/**
 * Creates the router of `/healthz` and `/metrics`.
 *
 * @example
 * app.use(createOpsRouter({ store, metrics: createMetrics(), logger }));
 */
function createOpsRouter(options) {
    const { store, metrics, logger } = options;
    const pingTimeoutMs = options.pingTimeoutMs ?? 2000;
    const now = options.now ?? Date.now;
    const started = Date.now();
    const router = (0, express_1.Router)();
    router.get('/healthz', async (_req, res) => {
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
        }
        catch (e) {
            logger.warn({ err: e }, 'health check: store unavailable');
            res.status(503).json({
                status: 'unavailable',
                store: store.kind,
                uptimeSeconds,
                error: 'store unavailable',
            });
        }
    });
    router.get('/metrics', async (_req, res) => {
        try {
            await recordStoreGauges({ store, metrics, now });
        }
        catch (e) {
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
