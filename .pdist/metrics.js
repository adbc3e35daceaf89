"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.noopMetrics = exports.METRIC = void 0;
exports.createMetrics = createMetrics;
/**
 * Metrics on `prom-client`, rendered as Prometheus text (`GET /metrics`), with prom-client's
 * default process metrics (CPU, memory, event-loop lag, GC, handles) beside the framework's own.
 * Components record into a {@link Metrics}; the server renders the registry.
 */
const prom_client_1 = require("prom-client");
/** Metric names used across the framework (one place, so dashboards do not drift). */
exports.METRIC = {
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
};
/** Records nothing. */
exports.noopMetrics = { inc() { }, observe() { }, set() { } };
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Label names of the framework's metrics (a metric named elsewhere takes those of its first use). */
const LABEL_NAMES = {
    [exports.METRIC.eventsTotal]: ['type', 'outcome'],
    [exports.METRIC.turnsTotal]: ['outcome'],
    [exports.METRIC.effectsTotal]: ['outcome'],
    [exports.METRIC.restRequestsTotal]: ['outcome'],
    [exports.METRIC.rateLimitWait]: ['portal'],
};
const HELP = {
    [exports.METRIC.eventsTotal]: 'Inbound events by type and outcome',
    [exports.METRIC.turnDuration]: 'Time of one dialog turn (load, run, commit)',
    [exports.METRIC.inboxLag]: 'Time from an inbox item arriving to the start of its turn',
    [exports.METRIC.turnsTotal]: 'Dialog turns by outcome',
    [exports.METRIC.effectsTotal]: 'Outbox effects by outcome',
    [exports.METRIC.restRequestsTotal]: 'Bitrix24 REST requests by outcome',
    [exports.METRIC.rateLimitWait]: 'Time a REST call waited for the rate budget',
    [exports.METRIC.activeDialogs]: 'Stored dialogs with a live conversation',
    [exports.METRIC.dialogsInMemory]: 'Dialogs with queued or running turns in this process',
    [exports.METRIC.timersPending]: 'Durable timers not yet fired',
    [exports.METRIC.outboxDepth]: 'Committed effects not yet sent (pending or in flight)',
    [exports.METRIC.inboxDepth]: 'Accepted inbox items not yet processed',
    [exports.METRIC.inboxOldestAge]: 'Age of the oldest unprocessed inbox item in seconds (0 when empty)',
    [exports.METRIC.deadLetters]: 'Effects given up on',
};
/**
 * The labels a metric was declared with, keys sorted (so the text shows them in one order
 * whatever order callers wrote them in); others are dropped (prom-client refuses undeclared ones).
 */
function declared(labels, names) {
    if (!labels)
        return undefined;
    const keys = Object.keys(labels);
    if (keys.length === 1 && names.includes(keys[0]))
        return labels;
    const out = {};
    for (const k of keys.sort())
        if (names.includes(k))
            out[k] = labels[k];
    return out;
}
function valueKey(name, labels) {
    if (!labels)
        return name;
    let k = name;
    for (const key of Object.keys(labels).sort())
        k += `\u0000${key}=${labels[key]}`;
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
function createMetrics(options = {}) {
    const registry = new prom_client_1.Registry();
    if (options.defaultMetrics !== false)
        (0, prom_client_1.collectDefaultMetrics)({ register: registry });
    const metrics = new Map();
    const labelNames = new Map();
    // Counters and gauges also kept here, for `value()` (prom-client reads them asynchronously).
    const values = new Map();
    const namesOf = (name, labels) => {
        let names = labelNames.get(name);
        if (!names)
            labelNames.set(name, (names = LABEL_NAMES[name] ?? Object.keys(labels ?? {})));
        return names;
    };
    const get = (kind, name, labels) => {
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
                    ? { kind: 'counter', m: new prom_client_1.Counter(config) }
                    : kind === 'gauge'
                        ? { kind: 'gauge', m: new prom_client_1.Gauge(config) }
                        : { kind: 'histogram', m: new prom_client_1.Histogram({ ...config, buckets: BUCKETS }) };
            metrics.set(name, metric);
        }
        // One name, one kind: a second kind under the same name is dropped rather than thrown at the caller.
        return metric.kind === kind ? metric : undefined;
    };
    return {
        registry,
        inc(name, labels, value = 1) {
            const c = get('counter', name, labels);
            if (!c)
                return;
            const l = declared(labels, namesOf(name, labels));
            if (l)
                c.m.inc(l, value);
            else
                c.m.inc(value);
            const k = valueKey(name, l);
            values.set(k, (values.get(k) ?? 0) + value);
        },
        set(name, value, labels) {
            const g = get('gauge', name, labels);
            if (!g)
                return;
            const l = declared(labels, namesOf(name, labels));
            if (l)
                g.m.set(l, value);
            else
                g.m.set(value);
            values.set(valueKey(name, l), value);
        },
        observe(name, value, labels) {
            const h = get('histogram', name, labels);
            if (!h)
                return;
            const l = declared(labels, namesOf(name, labels));
            if (l)
                h.m.observe(l, value);
            else
                h.m.observe(value);
        },
        value(name, labels) {
            return values.get(valueKey(name, labels)) ?? 0;
        },
        render() {
            return registry.metrics();
        },
    };
}
