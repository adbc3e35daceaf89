/**
 * Metrics on `prom-client`, rendered as Prometheus text (`GET /metrics`), with prom-client's
 * default process metrics (CPU, memory, event-loop lag, GC, handles) beside the framework's own.
 * Components record into a {@link Metrics}; the server renders the registry.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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
  inboxLag: 'openlines_inbox_lag_seconds', // from an item's arrival to the start of its turn
  turnsTotal: 'openlines_turns_total', // {outcome: ok|error|stale|conflict}
  effectsTotal: 'openlines_effects_total', // {outcome: sent|failed|unknown|retried|dead}
  restRequestsTotal: 'openlines_rest_requests_total', // {outcome}
  rateLimitWait: 'openlines_rate_limit_wait_seconds',
  activeDialogs: 'openlines_active_dialogs', // stored dialogs with a live conversation (scrape time)
  dialogsInMemory: 'openlines_dialogs_in_memory', // dialogs with queued or running turns in this process
  timersPending: 'openlines_timers_pending',
  outboxDepth: 'openlines_outbox_depth',
  inboxDepth: 'openlines_inbox_depth',
  inboxOldestAge: 'openlines_inbox_oldest_age_seconds', // age of the oldest unprocessed inbox item (0 when empty)
  deadLetters: 'openlines_dead_letters',
  admissionWait: 'openlines_admission_wait_seconds', // {outcome: admitted|timeout|opened}: events held back under load
} as const;

/** Records nothing. */
export const noopMetrics: Metrics = { inc() {}, observe() {}, set() {} };

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Label names of the framework's metrics (a metric named elsewhere takes those of its first use). */
const LABEL_NAMES: Record<string, readonly string[]> = {
  [METRIC.eventsTotal]: ['type', 'outcome'],
  [METRIC.turnsTotal]: ['outcome'],
  [METRIC.effectsTotal]: ['outcome'],
  [METRIC.restRequestsTotal]: ['outcome'],
  [METRIC.rateLimitWait]: ['portal'],
  [METRIC.admissionWait]: ['outcome'],
};

const HELP: Record<string, string> = {
  [METRIC.eventsTotal]: 'Inbound events by type and outcome',
  [METRIC.turnDuration]: 'Time of one dialog turn (load, run, commit)',
  [METRIC.inboxLag]: 'Time from an inbox item arriving to the start of its turn',
  [METRIC.turnsTotal]: 'Dialog turns by outcome',
  [METRIC.effectsTotal]: 'Outbox effects by outcome',
  [METRIC.restRequestsTotal]: 'Bitrix24 REST requests by outcome',
  [METRIC.rateLimitWait]: 'Time a REST call waited for the rate budget',
  [METRIC.activeDialogs]: 'Stored dialogs with a live conversation',
  [METRIC.admissionWait]:
    'Time a new event was held back before being recorded, while the backlog was full',
  [METRIC.dialogsInMemory]: 'Dialogs with queued or running turns in this process',
  [METRIC.timersPending]: 'Durable timers not yet fired',
  [METRIC.outboxDepth]: 'Committed effects not yet sent (pending or in flight)',
  [METRIC.inboxDepth]: 'Accepted inbox items not yet processed',
  [METRIC.inboxOldestAge]: 'Age of the oldest unprocessed inbox item in seconds (0 when empty)',
  [METRIC.deadLetters]: 'Effects given up on',
};

/** A registry that renders Prometheus text. */
export interface MetricsRegistry extends Metrics {
  /** The Prometheus text exposition of every metric (prom-client collects asynchronously). */
  render(): Promise<string>;
  /** Current value of a counter or gauge (tests and diagnostics). */
  value(name: string, labels?: Labels): number;
  /** The prom-client registry (register more metrics, or merge it into yours). */
  readonly registry: Registry;
}

/** Options of {@link createMetrics}. */
export interface CreateMetricsOptions {
  /** prom-client's default process metrics (CPU, memory, event-loop lag, GC); default true. */
  defaultMetrics?: boolean;
  /**
   * How often the event-loop delay histogram (`nodejs_eventloop_lag_p99_seconds` and the rest)
   * samples, in ms. Each sample is a timer that wakes the process, busy or idle: prom-client's own
   * default (10 ms) costs 100 wake-ups a second, one per event at 100 events/s. Default
   * {@link EVENT_LOOP_RESOLUTION_MS}; a stall longer than this is always seen.
   */
  eventLoopResolutionMs?: number;
}

/** Default of {@link CreateMetricsOptions.eventLoopResolutionMs}: 10 wake-ups a second. */
export const EVENT_LOOP_RESOLUTION_MS = 100;

type Metric =
  | { kind: 'counter'; m: Counter }
  | { kind: 'gauge'; m: Gauge }
  | { kind: 'histogram'; m: Histogram };

/**
 * The labels a metric was declared with, keys sorted (so the text shows them in one order
 * whatever order callers wrote them in); others are dropped (prom-client refuses undeclared ones).
 */
function declared(labels: Labels | undefined, names: readonly string[]): Labels | undefined {
  if (!labels) return undefined;
  const keys = Object.keys(labels);
  if (keys.length === 1 && names.includes(keys[0] as string)) return labels;
  const out: Labels = {};
  for (const k of keys.sort()) if (names.includes(k)) out[k] = labels[k] as string;
  return out;
}

function valueKey(name: string, labels?: Labels): string {
  if (!labels) return name;
  let k = name;
  for (const key of Object.keys(labels).sort()) k += `\u0000${key}=${labels[key]}`;
  return k;
}

/**
 * Creates a metrics registry on prom-client.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.inc(METRIC.eventsTotal, { type: 'message', outcome: 'accepted' });
 * res.type('text/plain').send(await metrics.render());
 */
export function createMetrics(options: CreateMetricsOptions = {}): MetricsRegistry {
  const registry = new Registry();
  if (options.defaultMetrics !== false)
    collectDefaultMetrics({
      register: registry,
      eventLoopMonitoringPrecision: options.eventLoopResolutionMs ?? EVENT_LOOP_RESOLUTION_MS,
    });
  const metrics = new Map<string, Metric>();
  const labelNames = new Map<string, readonly string[]>();
  // Counters and gauges also kept here, for `value()` (prom-client reads them asynchronously).
  const values = new Map<string, number>();

  const namesOf = (name: string, labels?: Labels): readonly string[] => {
    let names = labelNames.get(name);
    if (!names) labelNames.set(name, (names = LABEL_NAMES[name] ?? Object.keys(labels ?? {})));
    return names;
  };
  const get = <K extends Metric['kind']>(
    kind: K,
    name: string,
    labels?: Labels,
  ): Extract<Metric, { kind: K }> | undefined => {
    let metric = metrics.get(name);
    if (!metric) {
      const config = {
        name,
        help: HELP[name] ?? name,
        labelNames: [...namesOf(name, labels)],
        registers: [registry],
      };
      metric =
        kind === 'counter'
          ? { kind: 'counter', m: new Counter(config) }
          : kind === 'gauge'
            ? { kind: 'gauge', m: new Gauge(config) }
            : { kind: 'histogram', m: new Histogram({ ...config, buckets: BUCKETS }) };
      metrics.set(name, metric);
    }
    // One name, one kind: a second kind under the same name is dropped rather than thrown at the caller.
    return metric.kind === kind ? (metric as Extract<Metric, { kind: K }>) : undefined;
  };

  return {
    registry,
    inc(name, labels, value = 1) {
      const c = get('counter', name, labels);
      if (!c) return;
      const l = declared(labels, namesOf(name, labels));
      if (l) c.m.inc(l, value);
      else c.m.inc(value);
      const k = valueKey(name, l);
      values.set(k, (values.get(k) ?? 0) + value);
    },
    set(name, value, labels) {
      const g = get('gauge', name, labels);
      if (!g) return;
      const l = declared(labels, namesOf(name, labels));
      if (l) g.m.set(l, value);
      else g.m.set(value);
      values.set(valueKey(name, l), value);
    },
    observe(name, value, labels) {
      const h = get('histogram', name, labels);
      if (!h) return;
      const l = declared(labels, namesOf(name, labels));
      if (l) h.m.observe(l, value);
      else h.m.observe(value);
    },
    value(name, labels) {
      return values.get(valueKey(name, labels)) ?? 0;
    },
    render() {
      return registry.metrics();
    },
  };
}
