/**
 * What recording metrics on prom-client costs per event: the calls one event makes (accepted
 * event, turn and its duration, effect sent, REST request, dialogs in memory), timed in a loop,
 * and one scrape with prom-client's default process metrics. Reported against the SQLite
 * server's CPU per event of the same run. Beside them, what the default metrics cost while
 * nothing happens: their event-loop delay histogram is a timer that wakes the process.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createMetrics, METRIC, type Metrics } from '../src/metrics';

/** An otherwise idle process over {@link IDLE_SECONDS}: its CPU and how often it woke. */
export interface IdleCost {
  cpuMsPerSecond: number;
  wakeUpsPerSecond: number;
}

/** µs of CPU per event's metric calls, and per scrape; idle processes with and without metrics. */
export interface MetricsCost {
  recordUsPerEvent: number;
  scrapeUs: number;
  /** No metrics; the framework's metrics as `createMetrics()` makes them; prom-client's 10 ms histogram. */
  idle?: { none: IdleCost; ours: IdleCost; promClientDefault: IdleCost };
}

const IDLE_SECONDS = 2;

/**
 * Runs a Node process that makes the metrics as `setup` (CommonJS, with `createMetrics` in scope)
 * says, then idles for `seconds`: its CPU and its voluntary context switches (each one the process
 * going to sleep and being woken). Linux only (/proc/self/status).
 *
 * @example
 * const { wakeUpsPerSecond } = measureIdleCost({ setup: 'createMetrics();', seconds: 1 });
 */
export function measureIdleCost(options: { setup: string; seconds?: number }): IdleCost {
  const seconds = options.seconds ?? IDLE_SECONDS;
  const script = `
    const { readFileSync } = require('node:fs');
    const { createMetrics } = require('./src/metrics');
    ${options.setup}
    const switches = () => Number(/voluntary_ctxt_switches:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
    setTimeout(() => {
      const c = switches();
      const u = process.cpuUsage();
      setTimeout(() => {
        const d = process.cpuUsage(u);
        process.stdout.write(JSON.stringify({
          cpuMsPerSecond: (d.user + d.system) / 1000 / ${seconds},
          wakeUpsPerSecond: (switches() - c) / ${seconds},
        }));
        process.exit(0);
      }, ${seconds * 1000});
    }, 300);
  `;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out) as IdleCost;
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
  const cost: MetricsCost = {
    recordUsPerEvent: (d.user + d.system) / n,
    scrapeUs: (ds.user + ds.system) / 50,
  };
  if (process.platform === 'linux')
    cost.idle = {
      none: measureIdleCost({ setup: '' }),
      ours: measureIdleCost({ setup: 'createMetrics();' }),
      promClientDefault: measureIdleCost({
        setup: 'createMetrics({ eventLoopResolutionMs: 10 });',
      }),
    };
  return cost;
}
