/**
 * One sample per second of what the metrics page charts: events per second, mean turn latency,
 * outbox depth and mean inbox lag over the last second. Sampling runs only while the page is
 * being looked at (it stops a minute after the last request).
 */
import type { Clock } from '../clock';
import { METRIC, type MetricsRegistry } from '../metrics';
import type { Store } from '../store/store';

export interface MetricsSample {
  at: number;
  eventsPerSecond: number;
  turnLatencyMs: number;
  outboxDepth: number;
  inboxLagMs: number;
}

const KEEP = 300;
const IDLE_STOP_MS = 60_000;

/** Sums a counter's series (optionally only those whose labels contain `filter`) from Prometheus text. */
export function sumSeries(text: string, name: string, filter?: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (filter && !rest.includes(filter)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

export function createMetricsSampler(o: {
  metrics: MetricsRegistry;
  store: Pick<Store, 'stats'>;
  clock: Clock;
}) {
  const samples: MetricsSample[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastAsked = 0;
  let prev:
    | { events: number; turnSum: number; turnCount: number; lagSum: number; lagCount: number }
    | undefined;

  const take = async (): Promise<void> => {
    const text = await o.metrics.render();
    const now = {
      events: sumSeries(text, METRIC.eventsTotal, 'outcome="accepted"'),
      turnSum: sumSeries(text, `${METRIC.turnDuration}_sum`),
      turnCount: sumSeries(text, `${METRIC.turnDuration}_count`),
      lagSum: sumSeries(text, `${METRIC.inboxLag}_sum`),
      lagCount: sumSeries(text, `${METRIC.inboxLag}_count`),
    };
    let outboxDepth = 0;
    try {
      outboxDepth = (await o.store.stats()).outboxDepth;
    } catch {
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
    if (samples.length > KEEP) samples.splice(0, samples.length - KEEP);
    prev = now;
    if (Date.now() - lastAsked > IDLE_STOP_MS && timer) {
      clearInterval(timer);
      timer = undefined;
      prev = undefined;
    }
  };

  return {
    async samples(): Promise<MetricsSample[]> {
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
