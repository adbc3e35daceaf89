"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_EFFECT_LEASE_MS = void 0;
exports.createDispatcher = createDispatcher;
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
const node_os_1 = require("node:os");
const node_timers_1 = require("node:timers");
const clock_1 = require("../clock");
const logger_1 = require("../logger");
const metrics_1 = require("../metrics");
const claim_book_1 = require("./claim-book");
const portal_queue_1 = require("./portal-queue");
const run_request_1 = require("./run-request");
/** Default effect claim lease (ms); extended every quarter of it while held. */
exports.DEFAULT_EFFECT_LEASE_MS = 8_000;
/** Longest time an outcome's write is retried while the store fails (ms), before giving up on it. */
const SETTLE_RETRY_FOR_MS = 60_000;
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
function createDispatcher(options) {
    const { store } = options;
    const clock = options.clock ?? clock_1.systemClock;
    const logger = options.logger ?? (0, logger_1.silentLogger)();
    const maxBatch = Math.min(Math.max(1, options.maxBatch ?? 50), 50);
    const maxInFlight = Math.max(1, options.maxInFlightPerPortal ?? 2);
    const claimLimit = Math.max(1, options.claimLimit ?? 500);
    // At least two full requests per portal stay claimed, so claiming late never starves a request.
    const claimLowWater = Math.min(claimLimit, Math.max(Math.ceil(claimLimit / 2), maxBatch * maxInFlight));
    const leaseMs = options.leaseMs ?? exports.DEFAULT_EFFECT_LEASE_MS;
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    const batchWindowMs = Math.max(0, options.batchWindowMs ?? 0);
    const busyWindowMs = Math.max(batchWindowMs, 25);
    const owner = options.owner ?? `${(0, node_os_1.hostname)()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
    const book = (0, claim_book_1.createClaimBook)({ holdMs: leaseMs });
    const requests = new Set();
    let state = 'idle';
    const sleep = (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms));
    /**
     * Outcomes are written fenced (only while this process holds the claim), and a write that fails
     * (the store is down) is tried again until it lands: an outcome that never reached the store
     * would leave a sent effect claimed, to be sent again by whoever claims it next.
     */
    const settleEffect = async (seq, outcome, now, by) => {
        const startedAt = clock.now();
        for (let attempt = 0;; attempt++) {
            try {
                await store.settleEffect(seq, outcome, now, by ?? owner);
                return;
            }
            catch (err) {
                if (clock.now() - startedAt >= SETTLE_RETRY_FOR_MS || state === 'stopped')
                    throw err;
                if (attempt === 0)
                    logger.warn({ err, seq }, 'writing an effect outcome failed; trying again until it lands');
                await sleep(Math.min(100 * 2 ** attempt, 500));
            }
        }
    };
    const settleStore = new Proxy(store, {
        get(target, prop, receiver) {
            if (prop === 'settleEffect')
                return settleEffect;
            const value = Reflect.get(target, prop, receiver);
            return typeof value === 'function'
                ? value.bind(target)
                : value;
        },
    });
    const ctx = {
        store: settleStore,
        now: () => clock.now(),
        logger,
        metrics: options.metrics ?? metrics_1.noopMetrics,
        maxAttempts: Math.max(1, options.maxAttempts ?? 8),
        retryBaseMs: options.retryBaseMs ?? 1000,
        retryMaxMs: options.retryMaxMs ?? 60_000,
        random: options.random ?? Math.random,
        onEffectFailed: options.onEffectFailed,
        beforeSettle: (effect, as) => book.settling(effect, as),
        afterSettle: (effect) => book.settled(effect),
        ...(options.history ? { history: options.history } : {}),
    };
    let filling;
    let fillAgain = false;
    let windowTimer;
    let immediate;
    let pollTimer;
    let heartbeatTimer;
    const canWork = () => state === 'idle' || state === 'running';
    async function claimOnce() {
        const now = clock.now();
        book.dropStaleHolds(now);
        const sendable = book.sendableCount();
        const room = claimLimit - sendable;
        // Claim only once the local book runs low, and then in bulk: what is already claimed fills the
        // next requests anyway (the store hands out effects in seq order), and a claim per wake-up or
        // per finished request would cost one store transaction each for a handful of rows.
        if (sendable < claimLowWater && room > 0) {
            const claimed = await store.claimEffects({ now, limit: room, leaseMs, owner });
            if (book.admit(claimed) > 0 && claimed.length >= room)
                fillAgain = true;
        }
        for (const q of book.queues.values())
            startRequests(q);
    }
    /** Claims and starts requests; one at a time, a call during a run makes the run go once more. */
    function fill() {
        if (filling) {
            fillAgain = true;
            return filling;
        }
        filling = (async () => {
            try {
                do {
                    fillAgain = false;
                    if (!canWork())
                        return;
                    await claimOnce();
                } while (fillAgain);
            }
            finally {
                filling = undefined;
            }
        })();
        return filling;
    }
    function startRequests(q) {
        while (canWork() && q.inFlight < maxInFlight) {
            // A second request only when a full batch waits: under a rate budget, full batches are what counts.
            if (q.inFlight > 0 &&
                (0, portal_queue_1.pickRequest)({ queue: q, max: maxBatch, isHeld: book.isHeld, peek: true }).length < maxBatch)
                return;
            const picked = (0, portal_queue_1.pickRequest)({ queue: q, max: maxBatch, isHeld: book.isHeld });
            if (picked.length === 0)
                return;
            q.inFlight += 1;
            picked.forEach((e) => q.busy.add(e.dialogKey));
            const request = (0, run_request_1.runRequest)({
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
    async function scheduleNext() {
        if (state !== 'running')
            return;
        const now = clock.now();
        let at = now + pollIntervalMs;
        // While requests are in flight, each one's end runs this again, and our own retries are known
        // here: the store is asked only when nothing is in flight (the poll covers other processes).
        const next = requests.size > 0 ? book.nextRetryAt() : await store.nextEffectAvailableAt();
        if (next !== undefined && next > now && next < at)
            at = next;
        const holdExpiry = book.nextHoldExpiry();
        if (holdExpiry !== undefined && holdExpiry > now && holdExpiry < at)
            at = holdExpiry;
        if (state !== 'running')
            return;
        if (pollTimer !== undefined)
            clock.clearTimeout(pollTimer);
        pollTimer = clock.setTimeout(() => {
            pollTimer = undefined;
            kick();
        }, Math.max(1, at - now));
    }
    function kick() {
        // This run claims whatever was committed so far: a pending batch window has nothing left to
        // gather, and left armed (up to the longer busy window) it would hold back the next wake-up.
        if (windowTimer !== undefined) {
            clock.clearTimeout(windowTimer);
            windowTimer = undefined;
        }
        fill()
            .then(() => scheduleNext())
            .catch((err) => {
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
    async function extendClaims() {
        const seqs = book.heldSeqs();
        if (seqs.length === 0)
            return;
        const kept = new Set(await store.extendEffectClaims(seqs, owner, clock.now() + leaseMs));
        const lost = seqs.filter((seq) => !kept.has(seq));
        if (lost.length === 0)
            return;
        const dropped = book.dropLost(lost);
        logger.warn({ lost: lost.length, dropped }, 'effect claims were taken over by another process; they are not sent from here');
    }
    function scheduleHeartbeat(delayMs = Math.floor(leaseMs / 4)) {
        if (state !== 'running' && state !== 'stopping')
            return;
        heartbeatTimer = clock.setTimeout(() => {
            heartbeatTimer = undefined;
            extendClaims().then(() => scheduleHeartbeat(), (err) => {
                logger.warn({ err }, 'extending effect claims failed');
                // Soon again: the claims must be extended as soon as the store is back.
                scheduleHeartbeat(Math.min(250, Math.floor(leaseMs / 4)));
            });
        }, Math.max(1, delayMs));
    }
    async function releaseUnsent() {
        // Back to pending at once, so that other processes (or a restart) take them without waiting
        // for the lease to expire, and without counting an attempt: they were never sent.
        const unsent = book.takeUnsent().map((effect) => effect.seq);
        if (unsent.length === 0)
            return;
        try {
            await store.releaseEffects(unsent, owner);
        }
        catch (err) {
            logger.warn({ err, effects: unsent.length }, 'could not release unsent effects; their leases will expire');
        }
    }
    return {
        async start() {
            if (state === 'running')
                return;
            state = 'running';
            kick();
            scheduleHeartbeat();
        },
        async stop(stopOptions = {}) {
            if (state === 'stopped' || state === 'stopping')
                return;
            state = 'stopping';
            for (const t of [windowTimer, pollTimer])
                if (t !== undefined)
                    clock.clearTimeout(t);
            if (immediate !== undefined)
                (0, node_timers_1.clearImmediate)(immediate);
            immediate = undefined;
            windowTimer = pollTimer = undefined;
            let deadline;
            const timedOut = new Promise((resolve) => (deadline = clock.setTimeout(resolve, stopOptions.deadlineMs ?? 10_000)));
            const settled = Promise.allSettled([...requests, ...(filling ? [filling] : [])]).then(() => undefined);
            await Promise.race([settled, timedOut]);
            if (deadline !== undefined)
                clock.clearTimeout(deadline);
            await releaseUnsent();
            state = 'stopped';
            if (heartbeatTimer !== undefined)
                clock.clearTimeout(heartbeatTimer);
            heartbeatTimer = undefined;
        },
        wake() {
            if (state !== 'running' || windowTimer !== undefined || immediate !== undefined)
                return;
            if (requests.size === 0 && batchWindowMs === 0) {
                // From node:timers, like the store's write queue: a test's fake clock does not hold it back.
                immediate = (0, node_timers_1.setImmediate)(() => {
                    immediate = undefined;
                    kick();
                });
                return;
            }
            // With a request in flight, its end claims and sends what came meanwhile: a wake-up then
            // only matters for an idle portal, and waiting a little longer gathers more commits per claim.
            windowTimer = clock.setTimeout(() => {
                windowTimer = undefined;
                kick();
            }, requests.size > 0 ? busyWindowMs : batchWindowMs);
        },
        async drain() {
            // Each round either settles at least one request or ends: the outbox only shrinks unless new commits arrive.
            for (;;) {
                if (!canWork())
                    return;
                await fill();
                if (requests.size === 0 && !book.hasSendable()) {
                    if (filling)
                        continue;
                    return;
                }
                await Promise.all([...requests]);
            }
        },
    };
}
