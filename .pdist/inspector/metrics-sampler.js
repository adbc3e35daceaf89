"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sumSeries = sumSeries;
exports.createMetricsSampler = createMetricsSampler;
const metrics_1 = require("../metrics");
const KEEP = 300;
const IDLE_STOP_MS = 60_000;
/** Sums a counter's series (optionally only those whose labels contain `filter`) from Prometheus text. */
function sumSeries(text, name, filter) {
    let total = 0;
    for (const line of text.split('\n')) {
        if (!line.startsWith(name) || line.startsWith('#'))
            continue;
        const rest = line.slice(name.length);
        if (rest[0] !== '{' && rest[0] !== ' ')
            continue;
        if (filter && !rest.includes(filter))
            continue;
        const value = Number(line.slice(line.lastIndexOf(' ') + 1));
        if (Number.isFinite(value))
            total += value;
    }
    return total;
}
function createMetricsSampler(o) {
    const samples = [];
    let timer;
    let lastAsked = 0;
    let prev;
    const take = async () => {
        const text = await o.metrics.render();
        const now = {
            events: sumSeries(text, metrics_1.METRIC.eventsTotal, 'outcome="accepted"'),
            turnSum: sumSeries(text, `${metrics_1.METRIC.turnDuration}_sum`),
            turnCount: sumSeries(text, `${metrics_1.METRIC.turnDuration}_count`),
            lagSum: sumSeries(text, `${metrics_1.METRIC.inboxLag}_sum`),
            lagCount: sumSeries(text, `${metrics_1.METRIC.inboxLag}_count`),
        };
        let outboxDepth = 0;
        try {
            outboxDepth = (await o.store.stats()).outboxDepth;
        }
        catch {
            outboxDepth = samples.at(-1)?.outboxDepth ?? 0;
        }
        const p = prev ?? now;
        const turns = now.turnCount - p.turnCount;
        const lags = now.lagCount - p.lagCount;
        samples.push({
            at: o.clock.now(),
            eventsPerSecond: now.events - p.events,
            turnLatencyMs: turns > 0 ? ((now.turnSum - p.turnSum) / turns) * 1000 : 0,
            outboxDepth,
            inboxLagMs: lags > 0 ? ((now.lagSum - p.lagSum) / lags) * 1000 : 0,
        });
        if (samples.length > KEEP)
            samples.splice(0, samples.length - KEEP);
        prev = now;
        if (Date.now() - lastAsked > IDLE_STOP_MS && timer) {
            clearInterval(timer);
            timer = undefined;
            prev = undefined;
        }
    };
    return {
        async samples() {
            lastAsked = Date.now();
            if (!timer) {
                timer = setInterval(() => void take(), 1000);
                timer.unref();
                await take();
            }
            return [...samples];
        },
    };
}
