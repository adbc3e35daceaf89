/**
 * The effects outbox dispatcher: claims committed effects from the store, sends them through each
 * portal's REST client (whose rate budget makes calls wait, never fail), packs what is waiting for
 * one portal into `batch` requests, and records every outcome.
 *
 * Order: an effect is sent only after the earlier effects of its dialog were sent. The store hands
 * out per-dialog prefixes in `seq` order; here a dialog is in at most one request at a time and its
 * effects keep their order inside a batch. A batch does not stop at a failing sub-call, so when an
 * effect fails transiently in the middle of a batch, the later effects of its dialog in that same
 * batch have already run: they stay sent, and only the failed one is retried (after them). To keep
 * this rare, an effect being retried is always the last of its dialog in a request, and the local
 * later effects of a dialog wait while its earlier effect waits for a retry.
 */
import { hostname } from 'node:os';
import { clearImmediate, setImmediate } from 'node:timers';
import type { RestClient } from '../bitrix/types';
import { systemClock, type Clock, type ClockHandle } from '../clock';
import { silentLogger, type Logger } from '../logger';
import { noopMetrics, type Metrics } from '../metrics';
import type { OutboxEffect, Store } from '../store/store';
import { createClaimBook } from './claim-book';
import type { HistoryRetention } from './history';
import { pickRequest, type PortalQueue } from './portal-queue';
import { runRequest } from './run-request';
import type { EffectFailure, SettleContext } from './settle-effect-outcome';

export type { EffectFailure } from './settle-effect-outcome';

/** Default effect claim lease (ms); extended every quarter of it while held. */
export const DEFAULT_EFFECT_LEASE_MS = 8_000;
/** Longest time an outcome's write is retried while the store fails (ms), before giving up on it. */
const SETTLE_RETRY_FOR_MS = 60_000;

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  store: Store;
  /** The REST client of a portal (by `memberId`); its rate budget paces the sends. */
  clients: (portalId: string) => RestClient | Promise<RestClient>;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /** Called once for an effect Bitrix24 refused for good (the runtime turns it into `effect.failed`). */
  onEffectFailed: (effect: OutboxEffect, failure: EffectFailure) => Promise<void>;
  /** Attempts before an effect that keeps failing transiently becomes a dead letter; default 8. */
  maxAttempts?: number;
  /**
   * How long a wake-up of an idle dispatcher waits so that concurrent commits leave together (ms).
   * Default 0: it claims right after the current event-loop turn, so the commits that finished
   * together (one group transaction) leave together and a lone effect waits for nothing. While a
   * request is in flight, a wake-up waits at least 25 ms (that request's end sends what is
   * waiting anyway, so load coalesces into `batch` requests by itself).
   */
  batchWindowMs?: number;
  /** Calls per `batch` request (Bitrix24 allows 50); default 50. */
  maxBatch?: number;
  /** Lease owner id; default `<host>:<pid>:<random>`. */
  owner?: string;
  /**
   * How long a claim lasts (ms) unless extended. Claims held here are extended every quarter of
   * it (heartbeat), so a slow process keeps what it holds, while a dead process's claims can be
   * taken over this long after it died. Default 8_000.
   */
  leaseMs?: number;
  /** Requests in flight per portal; default 2 (the second only when a full batch is ready). */
  maxInFlightPerPortal?: number;
  /**
   * Claimed-but-unsent effects kept locally, across portals; default 500. The store is asked for
   * more only once fewer than half of them (and fewer than two full requests per portal) are left.
   */
  claimLimit?: number;
  /** Look for work from other processes and expired leases this often (ms); default 1000. */
  pollIntervalMs?: number;
  /** First retry delay (ms) before jitter; default 1000. Doubles per attempt up to `retryMaxMs` (60_000). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Randomness of the retry jitter, in [0, 1); default `Math.random`. */
  random?: () => number;
  /** Writes each effect's outcome into its dialog's history with this retention; absent: not written. */
  history?: HistoryRetention;
}

/** The running outbox dispatcher. */
export interface Dispatcher {
  /** Starts sending: claims what is waiting and then follows wake-ups, retries and polls. */
  start(): Promise<void>;
  /** Stops claiming, waits for requests in flight (up to `deadlineMs`, default 10_000), releases the rest. */
  stop(options?: { deadlineMs?: number }): Promise<void>;
  /** New effects were committed: send them after the batch window. */
  wake(): void;
  /**
   * What a turn's commit may claim its new effects for (`TurnCommit.claimFor`), so that the store
   * records the claim in the commit; undefined while this dispatcher does not take effects.
   */
  claimFor(): { owner: string; leaseMs: number } | undefined;
  /**
   * Takes effects a commit claimed for {@link claimFor} and sends them like its own claims (after
   * the batch window); released at once when the dispatcher no longer runs.
   */
  adopt(effects: OutboxEffect[]): void;
  /** Sends everything sendable now; resolves when nothing is (all pending effects wait for a retry, or none). */
  drain(): Promise<void>;
}

/**
 * Creates the effects outbox dispatcher.
 *
 * @example
 * const dispatcher = createDispatcher({
 *   store, clients: (memberId) => clientFor(memberId),
 *   onEffectFailed: async (effect, failure) => { await appendEffectFailed(effect, failure) },
 * });
 * await dispatcher.start();
 * // after every commit: dispatcher.wake();
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const maxBatch = Math.min(Math.max(1, options.maxBatch ?? 50), 50);
  const maxInFlight = Math.max(1, options.maxInFlightPerPortal ?? 2);
  const claimLimit = Math.max(1, options.claimLimit ?? 500);
  // At least two full requests per portal stay claimed, so claiming late never starves a request.
  const claimLowWater = Math.min(
    claimLimit,
    Math.max(Math.ceil(claimLimit / 2), maxBatch * maxInFlight),
  );
  const leaseMs = options.leaseMs ?? DEFAULT_EFFECT_LEASE_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchWindowMs = Math.max(0, options.batchWindowMs ?? 0);
  const busyWindowMs = Math.max(batchWindowMs, 25);
  const owner =
    options.owner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const book = createClaimBook({ holdMs: leaseMs });
  const requests = new Set<Promise<void>>();
  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => clock.setTimeout(resolve, ms));
  /**
   * Outcomes are written fenced (only while this process holds the claim), and a write that fails
   * (the store is down) is tried again until it lands: an outcome that never reached the store
   * would leave a sent effect claimed, to be sent again by whoever claims it next.
   */
  const settleEffect: Store['settleEffect'] = async (seq, outcome, now, by) => {
    const startedAt = clock.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await store.settleEffect(seq, outcome, now, by ?? owner);
        return;
      } catch (err) {
        if (clock.now() - startedAt >= SETTLE_RETRY_FOR_MS || state === 'stopped') throw err;
        if (attempt === 0)
          logger.warn(
            { err, seq },
            'writing an effect outcome failed; trying again until it lands',
          );
        await sleep(Math.min(100 * 2 ** attempt, 500));
      }
    }
  };
  const settleStore = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'settleEffect') return settleEffect;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  const ctx: SettleContext = {
    store: settleStore,
    now: () => clock.now(),
    logger,
    metrics: options.metrics ?? noopMetrics,
    maxAttempts: Math.max(1, options.maxAttempts ?? 8),
    retryBaseMs: options.retryBaseMs ?? 1000,
    retryMaxMs: options.retryMaxMs ?? 60_000,
    random: options.random ?? Math.random,
    onEffectFailed: options.onEffectFailed,
    beforeSettle: (effect, as) => book.settling(effect, as),
    afterSettle: (effect) => book.settled(effect),
    ...(options.history ? { history: options.history } : {}),
  };

  let filling: Promise<void> | undefined;
  let fillAgain = false;
  let windowTimer: ClockHandle | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  let pollTimer: ClockHandle | undefined;
  let heartbeatTimer: ClockHandle | undefined;
  const canWork = (): boolean => state === 'idle' || state === 'running';

  async function claimOnce(): Promise<void> {
    const now = clock.now();
    book.dropStaleHolds(now);
    const sendable = book.sendableCount();
    const room = claimLimit - sendable;
    // Claim only once the local book runs low, and then in bulk: what is already claimed fills the
    // next requests anyway (the store hands out effects in seq order), and a claim per wake-up or
    // per finished request would cost one store transaction each for a handful of rows.
    if (sendable < claimLowWater && room > 0) {
      const claimed = await store.claimEffects({ now, limit: room, leaseMs, owner });
      if (book.admit(claimed) > 0 && claimed.length >= room) fillAgain = true;
    }
    for (const q of book.queues.values()) startRequests(q);
  }

  /** Claims and starts requests; one at a time, a call during a run makes the run go once more. */
  function fill(): Promise<void> {
    if (filling) {
      fillAgain = true;
      return filling;
    }
    filling = (async () => {
      try {
        do {
          fillAgain = false;
          if (!canWork()) return;
          await claimOnce();
        } while (fillAgain);
      } finally {
        filling = undefined;
      }
    })();
    return filling;
  }

  function startRequests(q: PortalQueue): void {
    while (canWork() && q.inFlight < maxInFlight) {
      // A second request only when a full batch waits: under a rate budget, full batches are what counts.
      if (
        q.inFlight > 0 &&
        pickRequest({ queue: q, max: maxBatch, isHeld: book.isHeld, peek: true }).length < maxBatch
      )
        return;
      const picked = pickRequest({ queue: q, max: maxBatch, isHeld: book.isHeld });
      if (picked.length === 0) return;
      q.inFlight += 1;
      picked.forEach((e) => q.busy.add(e.dialogKey));
      const request: Promise<void> = runRequest({
        ctx,
        clients: options.clients,
        portalId: q.portalId,
        effects: picked,
      }).finally(() => {
        q.inFlight -= 1;
        picked.forEach((e) => q.busy.delete(e.dialogKey));
        requests.delete(request);
        kick();
      });
      requests.add(request);
    }
  }

  /** Arms the next wake-up: a retry coming due, a hold to give up, or the poll for other processes' work. */
  async function scheduleNext(): Promise<void> {
    if (state !== 'running') return;
    const now = clock.now();
    let at = now + pollIntervalMs;
    // While requests are in flight, each one's end runs this again, and our own retries are known
    // here: the store is asked only when nothing is in flight (the poll covers other processes).
    const next = requests.size > 0 ? book.nextRetryAt() : await store.nextEffectAvailableAt();
    if (next !== undefined && next > now && next < at) at = next;
    const holdExpiry = book.nextHoldExpiry();
    if (holdExpiry !== undefined && holdExpiry > now && holdExpiry < at) at = holdExpiry;
    if (state !== 'running') return;
    if (pollTimer !== undefined) clock.clearTimeout(pollTimer);
    pollTimer = clock.setTimeout(
      () => {
        pollTimer = undefined;
        kick();
      },
      Math.max(1, at - now),
    );
  }

  function kick(): void {
    // This run claims whatever was committed so far: a pending batch window has nothing left to
    // gather, and left armed (up to the longer busy window) it would hold back the next wake-up.
    if (windowTimer !== undefined) {
      clock.clearTimeout(windowTimer);
      windowTimer = undefined;
    }
    fill()
      .then(() => scheduleNext())
      .catch((err: unknown) => {
        logger.error({ err }, 'outbox dispatcher could not claim or schedule effects');
        if (state === 'running' && pollTimer === undefined) {
          pollTimer = clock.setTimeout(() => {
            pollTimer = undefined;
            kick();
          }, pollIntervalMs);
        }
      });
  }

  /** Extends every claim held here; claims another process took over are dropped unsent. */
  async function extendClaims(): Promise<void> {
    const seqs = book.heldSeqs();
    if (seqs.length === 0) return;
    const kept = new Set(await store.extendEffectClaims(seqs, owner, clock.now() + leaseMs));
    const lost = seqs.filter((seq) => !kept.has(seq));
    if (lost.length === 0) return;
    const dropped = book.dropLost(lost);
    logger.warn(
      { lost: lost.length, dropped },
      'effect claims were taken over by another process; they are not sent from here',
    );
  }

  function scheduleHeartbeat(delayMs = Math.floor(leaseMs / 4)): void {
    if (state !== 'running' && state !== 'stopping') return;
    heartbeatTimer = clock.setTimeout(
      () => {
        heartbeatTimer = undefined;
        extendClaims().then(
          () => scheduleHeartbeat(),
          (err: unknown) => {
            logger.warn({ err }, 'extending effect claims failed');
            // Soon again: the claims must be extended as soon as the store is back.
            scheduleHeartbeat(Math.min(250, Math.floor(leaseMs / 4)));
          },
        );
      },
      Math.max(1, delayMs),
    );
  }

  async function releaseUnsent(): Promise<void> {
    // Back to pending at once, so that other processes (or a restart) take them without waiting
    // for the lease to expire, and without counting an attempt: they were never sent.
    const unsent = book.takeUnsent().map((effect) => effect.seq);
    if (unsent.length === 0) return;
    try {
      await store.releaseEffects(unsent, owner);
    } catch (err) {
      logger.warn(
        { err, effects: unsent.length },
        'could not release unsent effects; their leases will expire',
      );
    }
  }

  return {
    async start() {
      if (state === 'running') return;
      state = 'running';
      kick();
      scheduleHeartbeat();
    },
    async stop(stopOptions = {}) {
      if (state === 'stopped' || state === 'stopping') return;
      state = 'stopping';
      for (const t of [windowTimer, pollTimer]) if (t !== undefined) clock.clearTimeout(t);
      if (immediate !== undefined) clearImmediate(immediate);
      immediate = undefined;
      windowTimer = pollTimer = undefined;
      let deadline: ClockHandle | undefined;
      const timedOut = new Promise<void>(
        (resolve) => (deadline = clock.setTimeout(resolve, stopOptions.deadlineMs ?? 10_000)),
      );
      const settled = Promise.allSettled([...requests, ...(filling ? [filling] : [])]).then(
        () => undefined,
      );
      await Promise.race([settled, timedOut]);
      if (deadline !== undefined) clock.clearTimeout(deadline);
      await releaseUnsent();
      state = 'stopped';
      if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
      heartbeatTimer = undefined;
    },
    claimFor() {
      if (state !== 'running' || book.sendableCount() >= claimLimit) return undefined;
      return { owner, leaseMs };
    },
    adopt(effects) {
      if (effects.length === 0) return;
      if (state !== 'running') {
        // Stopping or stopped: back to pending at once, as releaseUnsent does with the book.
        store
          .releaseEffects(
            effects.map((e) => e.seq),
            owner,
          )
          .catch((err: unknown) =>
            logger.warn(
              { err, effects: effects.length },
              'could not release unsent effects; their leases will expire',
            ),
          );
        return;
      }
      book.admit(effects);
      this.wake();
    },
    wake() {
      if (state !== 'running' || windowTimer !== undefined || immediate !== undefined) return;
      if (requests.size === 0 && batchWindowMs === 0) {
        // From node:timers, like the store's write queue: a test's fake clock does not hold it back.
        immediate = setImmediate(() => {
          immediate = undefined;
          kick();
        });
        return;
      }
      // With a request in flight, its end claims and sends what came meanwhile: a wake-up then
      // only matters for an idle portal, and waiting a little longer gathers more commits per claim.
      windowTimer = clock.setTimeout(
        () => {
          windowTimer = undefined;
          kick();
        },
        requests.size > 0 ? busyWindowMs : batchWindowMs,
      );
    },
    async drain() {
      // Each round either settles at least one request or ends: the outbox only shrinks unless new commits arrive.
      for (;;) {
        if (!canWork()) return;
        await fill();
        if (requests.size === 0 && !book.hasSendable()) {
          if (filling) continue;
          return;
        }
        await Promise.all([...requests]);
      }
    },
  };
}
