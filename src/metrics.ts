/**
 * A small metrics registry rendered as Prometheus text (`GET /metrics`). Components record into a
 * {@link Metrics}; the server renders the registry.
 */

export type Labels = Record<string, string>;

/** What components record into. */
export interface Metrics {
  /** Adds `value` (default 1) to a counter. */
  inc(name: string, labels?: Labels, value?: number): void;
  /** Records one observation (seconds, usually) into a histogram. */
  observe(name: string, value: number, labels?: Labels): void;
  /** Sets a gauge. */
  set(name: string, value: number, labels?: Labels): void;
}

/** Metric names used across the framework (one place, so dashboards do not drift). */
export const METRIC = {
  eventsTotal: 'openlines_events_total', // {type, outcome: accepted|duplicate|unauthorized|invalid|too_large|ignored|error}
  turnDuration: 'openlines_turn_duration_seconds',
  turnsTotal: 'openlines_turns_total', // {outcome: ok|error|stale|conflict}
  effectsTotal: 'openlines_effects_total', // {outcome: sent|failed|retried|dead}
  restRequestsTotal: 'openlines_rest_requests_total', // {outcome}
  rateLimitWait: 'openlines_rate_limit_wait_seconds',
  activeDialogs: 'openlines_active_dialogs', // stored dialogs with a live conversation (scrape time)
  dialogsInMemory: 'openlines_dialogs_in_memory', // dialogs with queued or running turns in this process
  timersPending: 'openlines_timers_pending',
  outboxDepth: 'openlines_outbox_depth',
  inboxDepth: 'openlines_inbox_depth',
  deadLetters: 'openlines_dead_letters',
} as const;

/** Records nothing. */
export const noopMetrics: Metrics = { inc() {}, observe() {}, set() {} };

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function key(labels?: Labels): string {
  if (!labels) return '';
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** A registry that keeps everything in memory and renders Prometheus text. */
export interface MetricsRegistry extends Metrics {
  render(): string;
  /** Current value of a counter or gauge (tests and diagnostics). */
  value(name: string, labels?: Labels): number;
}

/**
 * Creates an in-memory metrics registry.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.inc(METRIC.eventsTotal, { type: 'message', outcome: 'accepted' });
 * res.type('text/plain').send(metrics.render());
 */
export function createMetrics(): MetricsRegistry {
  const counters = new Map<string, Map<string, number>>();
  const gauges = new Map<string, Map<string, number>>();
  const histograms = new Map<string, Map<string, Histogram>>();
  const series = <T>(m: Map<string, Map<string, T>>, name: string): Map<string, T> => {
    let s = m.get(name);
    if (!s) m.set(name, (s = new Map()));
    return s;
  };
  return {
    inc(name, labels, value = 1) {
      const s = series(counters, name);
      const k = key(labels);
      s.set(k, (s.get(k) ?? 0) + value);
    },
    set(name, value, labels) {
      series(gauges, name).set(key(labels), value);
    },
    observe(name, value, labels) {
      const s = series(histograms, name);
      const k = key(labels);
      let h = s.get(k);
      if (!h) s.set(k, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      BUCKETS.forEach((b, i) => {
        if (value <= b) h.counts[i]! += 1;
      });
      h.sum += value;
      h.count += 1;
    },
    value(name, labels) {
      const k = key(labels);
      return counters.get(name)?.get(k) ?? gauges.get(name)?.get(k) ?? 0;
    },
    render() {
      const out: string[] = [];
      for (const [name, s] of counters) {
        out.push(`# TYPE ${name} counter`);
        for (const [k, v] of s) out.push(`${name}${k} ${v}`);
      }
      for (const [name, s] of gauges) {
        out.push(`# TYPE ${name} gauge`);
        for (const [k, v] of s) out.push(`${name}${k} ${v}`);
      }
      for (const [name, s] of histograms) {
        out.push(`# TYPE ${name} histogram`);
        for (const [k, h] of s) {
          const inner = k ? k.slice(1, -1) + ',' : '';
          BUCKETS.forEach((b, i) => out.push(`${name}_bucket{${inner}le="${b}"} ${h.counts[i]}`));
          out.push(`${name}_bucket{${inner}le="+Inf"} ${h.count}`);
          out.push(`${name}_sum${k} ${h.sum}`);
          out.push(`${name}_count${k} ${h.count}`);
        }
      }
      return out.join('\n') + '\n';
    },
  };
}
