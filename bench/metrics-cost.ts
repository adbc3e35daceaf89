/**
 * What recording metrics on prom-client costs per event: the calls one event makes (accepted
 * event, turn and its duration, effect sent, REST request, dialogs in memory), timed in a loop,
 * and one scrape with prom-client's default process metrics. Reported against the SQLite
 * server's CPU per event of the same run.
 */
import { createMetrics, METRIC, type Metrics } from '../src/metrics';

/** µs of CPU per event's metric calls, and per scrape. */
export interface MetricsCost {
  recordUsPerEvent: number;
  scrapeUs: number;
}

function recordOneEvent(m: Metrics, i: number): void {
  m.inc(METRIC.eventsTotal, { type: 'message', outcome: 'accepted' });
  m.inc(METRIC.turnsTotal, { outcome: 'ok' });
  m.observe(METRIC.turnDuration, 0.0012);
  m.inc(METRIC.effectsTotal, { outcome: 'sent' });
  m.inc(METRIC.restRequestsTotal, { outcome: 'ok' });
  m.set(METRIC.dialogsInMemory, i & 31);
}

/**
 * Measures in this process.
 *
 * @example
 * const { recordUsPerEvent } = await measureMetricsCost();
 */
export async function measureMetricsCost(): Promise<MetricsCost> {
  const metrics = createMetrics();
  const n = 100_000;
  for (let i = 0; i < 10_000; i++) recordOneEvent(metrics, i);
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) recordOneEvent(metrics, i);
  const d = process.cpuUsage(t);
  await metrics.render();
  const s = process.cpuUsage();
  for (let i = 0; i < 50; i++) await metrics.render();
  const ds = process.cpuUsage(s);
  return { recordUsPerEvent: (d.user + d.system) / n, scrapeUs: (ds.user + ds.system) / 50 };
}
