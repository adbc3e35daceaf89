/**
 * v2 fetch transport for one bot: polls `imbot.v2.Event.get` and feeds the runtime. The queue is
 * at-least-once (a page is only acknowledged by the next call's `offset`), so:
 * - the offset is persisted by `runtime.accept` in the same transaction as the page's events,
 *   i.e. only once they are durable (invariant 1);
 * - it never moves backwards (an empty queue answers `nextOffset: 0`, README trap 7);
 * - redelivered events are deduplicated by the runtime (dedupe key from `eventId`).
 * A bot in fetch mode needs no public URL.
 */
import { systemClock, type Clock, type ClockHandle } from '../clock';
import { isApiError } from '../bitrix/rest-errors';
import type { RestClient } from '../bitrix/types';
import {
  isDialogEvent,
  type DialogEvent,
  type InboundEvent,
  type PortalRef,
} from '../events/inbound-event';
import { parseFetchItem } from '../events/parse-fetch-item';
import { silentLogger, type Logger } from '../logger';
import { METRIC, noopMetrics, type Metrics } from '../metrics';
import type { Store } from '../store/store';
import type { EventSink } from './event-sink';
import { readEventPage } from './read-event-page';

/**
 * The store key of a bot's fetch offset.
 *
 * @example
 * await store.getOffset(fetchOffsetKey('a1b2c3', 571)); // the next `offset` to send
 */
export function fetchOffsetKey(memberId: string, botId: number): string {
  return `fetch:${memberId}:${botId}`;
}

/** Outcome of one `imbot.v2.Event.get` page. */
export type PollResult =
  | {
      status: 'ok';
      received: number;
      accepted: number;
      duplicates: number;
      invalid: number;
      offset: number | undefined;
      hasMore: boolean;
    }
  | { status: 'error'; error: unknown; retryAfterMs?: number };

/** Options of {@link createFetchPoller}. */
export interface FetchPollerOptions {
  client: Pick<RestClient, 'call'>;
  botId: number;
  portal: PortalRef;
  runtime: EventSink;
  store: Pick<Store, 'getOffset'>;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /** Wait between polls when the queue is empty. Default 10 s (Bitrix24 asks for 5-30 s). */
  idleMs?: number;
  /**
   * Least time from the answer of one `imbot.v2.Event.get` request to the next request, whatever
   * the outcome (Bitrix24 asks for at least 2 s while `hasMore`; faster polling gets 429).
   * Counted from the answer, so that two requests also reach the portal at least this far apart
   * however long the first one travelled. Default 2000.
   */
  pageMs?: number;
  /** Events per page (1-1000). Default 100. */
  limit?: number;
  /** Exponential backoff on errors, 429 and 503. Default 2 s doubling up to 60 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** No longer used: pages follow one another `pageMs` apart. Kept so that existing options still type-check. */
  maxPagesPerCycle?: number;
  /** Called when the queue reports that the bot was deleted on the portal. */
  onBotDeleted?: (botId: number) => void;
  /** Replaces `parseFetchItem` (tests). */
  parse?: (input: { item: unknown; portal: PortalRef }) => InboundEvent;
}

/** A running (or stopped) poller. */
export interface FetchPoller {
  readonly botId: number;
  readonly offsetKey: string;
  /** Starts polling at once; idempotent. */
  start(): void;
  /** Stops polling; resolves once the page in flight (if any) is settled. */
  stop(): Promise<void>;
  /** Fetches and records one page now (the loop uses it; tests may call it directly). */
  pollOnce(): Promise<PollResult>;
  /** Resolves when no poll cycle is running (for fake-clock tests). */
  settled(): Promise<void>;
  /** Consecutive failed polls (0 when healthy). */
  readonly failures: number;
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
export function createFetchPoller(options: FetchPollerOptions): FetchPoller {
  const { client, botId, portal, runtime, store } = options;
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger()).child({ portal: portal.memberId, bot: botId });
  const metrics = options.metrics ?? noopMetrics;
  const idleMs = options.idleMs ?? 10_000;
  const limit = Math.min(1000, Math.max(1, options.limit ?? 100));
  const pageMs = Math.max(0, options.pageMs ?? 2000);
  const initialMs = options.backoff?.initialMs ?? 2000;
  const maxMs = options.backoff?.maxMs ?? 60_000;
  const parse = options.parse ?? parseFetchItem;
  const offsetKey = fetchOffsetKey(portal.memberId, botId);

  let running = false;
  let timer: ClockHandle | undefined;
  let cycle: Promise<void> | undefined;
  let failures = 0;
  let abort = new AbortController();

  async function pollOnce(): Promise<PollResult> {
    let page;
    const stored = await store.getOffset(offsetKey);
    try {
      const raw = await client.call(
        'imbot.v2.Event.get',
        { botId, limit, ...(stored !== undefined && stored > 0 ? { offset: stored } : {}) },
        { noRetry: true, signal: abort.signal },
      );
      page = readEventPage(raw);
    } catch (e) {
      const retryAfterMs = isApiError(e) ? e.retryAfterMs : undefined;
      return { status: 'error', error: e, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }

    const events: DialogEvent[] = [];
    let invalid = 0;
    for (const item of page.events) {
      let event: InboundEvent;
      try {
        event = parse({ item, portal });
      } catch (e) {
        // One bad item must not block the queue: skip it, and let the offset move past it.
        invalid += 1;
        metrics.inc(METRIC.eventsTotal, { type: 'unknown', outcome: 'invalid' });
        logger.warn(
          { err: e, eventId: (item as { eventId?: unknown } | null)?.eventId },
          'fetch: invalid event skipped',
        );
        continue;
      }
      if (isDialogEvent(event)) events.push(event);
      else if (event.kind === 'bot.delete') options.onBotDeleted?.(botId);
      else metrics.inc(METRIC.eventsTotal, { type: event.kind, outcome: 'ignored' });
    }

    const next = page.nextOffset;
    const advance =
      next !== undefined && next > (stored ?? 0) ? { key: offsetKey, value: next } : undefined;
    let accepted = 0;
    let duplicates = 0;
    if (events.length > 0 || advance) {
      const results = await runtime.accept(events, advance ? { offset: advance } : {});
      // The runtime counts accepted/duplicate events in the metrics itself.
      for (const r of results) {
        if (r.status === 'duplicate') duplicates += 1;
        else accepted += 1;
      }
    }
    if (page.events.length > 0)
      logger.debug(
        { received: page.events.length, accepted, duplicates, invalid, offset: advance?.value },
        'fetch: page recorded',
      );
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

  function backoffMs(retryAfterMs: number | undefined): number {
    const exp = Math.min(maxMs, initialMs * 2 ** Math.min(30, failures - 1));
    return Math.max(exp, Math.min(maxMs, retryAfterMs ?? 0));
  }

  /** One page per cycle; the next one at least `pageMs` after this one's answer (README trap 16). */
  async function runCycle(): Promise<void> {
    let result: PollResult;
    try {
      result = await pollOnce();
    } catch (e) {
      result = { status: 'error', error: e };
    }
    if (!running) return;
    let delay: number;
    if (result.status === 'error') {
      failures += 1;
      delay = backoffMs(result.retryAfterMs);
      logger.warn(
        { err: result.error, failures, retryInMs: delay },
        'fetch: poll failed, backing off',
      );
    } else {
      failures = 0;
      delay = result.hasMore ? 0 : idleMs;
    }
    schedule(Math.max(delay, pageMs));
  }

  function schedule(ms: number): void {
    if (!running) return;
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
      if (running) return;
      running = true;
      abort = new AbortController();
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
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
