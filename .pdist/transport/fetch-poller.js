"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fetchOffsetKey = fetchOffsetKey;
exports.createFetchPoller = createFetchPoller;
/**
 * v2 fetch transport for one bot: polls `imbot.v2.Event.get` and feeds the runtime. The queue is
 * at-least-once (a page is only acknowledged by the next call's `offset`), so:
 * - the offset is persisted by `runtime.accept` in the same transaction as the page's events,
 *   i.e. only once they are durable (invariant 1);
 * - it never moves backwards (an empty queue answers `nextOffset: 0`, README trap 7);
 * - redelivered events are deduplicated by the runtime (dedupe key from `eventId`).
 * A bot in fetch mode needs no public URL.
 */
const clock_1 = require("../clock");
const rest_errors_1 = require("../bitrix/rest-errors");
const inbound_event_1 = require("../events/inbound-event");
const parse_fetch_item_1 = require("../events/parse-fetch-item");
const logger_1 = require("../logger");
const metrics_1 = require("../metrics");
const read_event_page_1 = require("./read-event-page");
/**
 * The store key of a bot's fetch offset.
 *
 * @example
 * await store.getOffset(fetchOffsetKey('a1b2c3', 571)); // the next `offset` to send
 */
function fetchOffsetKey(memberId, botId) {
    return `fetch:${memberId}:${botId}`;
}
/**
 * Creates a poller for one bot on one portal.
 *
 * @example
 * const poller = createFetchPoller({ client, botId: 571, portal: { memberId, domain }, runtime, store });
 * poller.start();
 * // ... on shutdown:
 * await poller.stop();
 */
function createFetchPoller(options) {
    const { client, botId, portal, runtime, store } = options;
    const clock = options.clock ?? clock_1.systemClock;
    const logger = (options.logger ?? (0, logger_1.silentLogger)()).child({ portal: portal.memberId, bot: botId });
    const metrics = options.metrics ?? metrics_1.noopMetrics;
    const idleMs = options.idleMs ?? 10_000;
    const limit = Math.min(1000, Math.max(1, options.limit ?? 100));
    const pageMs = Math.max(0, options.pageMs ?? 2000);
    const initialMs = options.backoff?.initialMs ?? 2000;
    const maxMs = options.backoff?.maxMs ?? 60_000;
    const parse = options.parse ?? parse_fetch_item_1.parseFetchItem;
    const offsetKey = fetchOffsetKey(portal.memberId, botId);
    let running = false;
    let timer;
    let cycle;
    let failures = 0;
    let abort = new AbortController();
    async function pollOnce() {
        let page;
        const stored = await store.getOffset(offsetKey);
        try {
            const raw = await client.call('imbot.v2.Event.get', { botId, limit, ...(stored !== undefined && stored > 0 ? { offset: stored } : {}) }, { noRetry: true, signal: abort.signal });
            page = (0, read_event_page_1.readEventPage)(raw);
        }
        catch (e) {
            const retryAfterMs = (0, rest_errors_1.isApiError)(e) ? e.retryAfterMs : undefined;
            return { status: 'error', error: e, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
        }
        const events = [];
        let invalid = 0;
        for (const item of page.events) {
            let event;
            try {
                event = parse({ item, portal });
            }
            catch (e) {
                // One bad item must not block the queue: skip it, and let the offset move past it.
                invalid += 1;
                metrics.inc(metrics_1.METRIC.eventsTotal, { type: 'unknown', outcome: 'invalid' });
                logger.warn({ err: e, eventId: item?.eventId }, 'fetch: invalid event skipped');
                continue;
            }
            if ((0, inbound_event_1.isDialogEvent)(event))
                events.push(event);
            else if (event.kind === 'bot.delete')
                options.onBotDeleted?.(botId);
            else
                metrics.inc(metrics_1.METRIC.eventsTotal, { type: event.kind, outcome: 'ignored' });
        }
        const next = page.nextOffset;
        const advance = next !== undefined && next > (stored ?? 0) ? { key: offsetKey, value: next } : undefined;
        let accepted = 0;
        let duplicates = 0;
        if (events.length > 0 || advance) {
            const results = await runtime.accept(events, advance ? { offset: advance } : {});
            // The runtime counts accepted/duplicate events in the metrics itself.
            for (const r of results) {
                if (r.status === 'duplicate')
                    duplicates += 1;
                else
                    accepted += 1;
            }
        }
        if (page.events.length > 0)
            logger.debug({ received: page.events.length, accepted, duplicates, invalid, offset: advance?.value }, 'fetch: page recorded');
        return {
            status: 'ok',
            received: page.events.length,
            accepted,
            duplicates,
            invalid,
            offset: advance?.value ?? stored,
            hasMore: page.hasMore,
        };
    }
    function backoffMs(retryAfterMs) {
        const exp = Math.min(maxMs, initialMs * 2 ** Math.min(30, failures - 1));
        return Math.max(exp, Math.min(maxMs, retryAfterMs ?? 0));
    }
    /** One page per cycle; the next one at least `pageMs` after this one's answer (README trap 16). */
    async function runCycle() {
        let result;
        try {
            result = await pollOnce();
        }
        catch (e) {
            result = { status: 'error', error: e };
        }
        if (!running)
            return;
        let delay;
        if (result.status === 'error') {
            failures += 1;
            delay = backoffMs(result.retryAfterMs);
            logger.warn({ err: result.error, failures, retryInMs: delay }, 'fetch: poll failed, backing off');
        }
        else {
            failures = 0;
            delay = result.hasMore ? 0 : idleMs;
        }
        schedule(Math.max(delay, pageMs));
    }
    function schedule(ms) {
        if (!running)
            return;
        timer = clock.setTimeout(() => {
            timer = undefined;
            cycle = runCycle().finally(() => {
                cycle = undefined;
            });
        }, ms);
    }
    return {
        botId,
        offsetKey,
        get failures() {
            return failures;
        },
        start() {
            if (running)
                return;
            running = true;
            abort = new AbortController();
            schedule(0);
        },
        async stop() {
            running = false;
            if (timer !== undefined)
                clock.clearTimeout(timer);
            timer = undefined;
            abort.abort();
            await cycle;
        },
        pollOnce,
        async settled() {
            await cycle;
        },
    };
}
