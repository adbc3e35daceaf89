"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createSharedRateBudget = createSharedRateBudget;
/**
 * A portal's request budget kept in the store, so that every process serving the portal draws
 * from one bucket: N processes together stay under the portal's limit instead of each spending a
 * limit of its own. The store runs GCRA (Redis: one script; memory and SQLite: in the process).
 */
const clock_1 = require("../clock");
const errors_1 = require("../errors");
const rest_errors_1 = require("./rest-errors");
/**
 * Added to every wait: a timer may fire a millisecond before the clock says it is due, and the
 * portal counts exactly.
 */
const WAIT_MARGIN_MS = 3;
/**
 * How late (ms) a request may reach the portal after its slot without being refused. The portal
 * counts a request when it arrives, not when it was reserved: when earlier requests arrive late
 * (a slow network, a busy event loop) and a later one on time, the portal's bucket has drained
 * less than planned. Keeping `ceil(perSecond * DELAY_TOLERANCE_MS / 1000)` requests of the burst
 * unused (2 of Bitrix24's 50) absorbs delays of at least this long, and costs nothing of the
 * sustained rate.
 */
const DELAY_TOLERANCE_MS = 1000;
/**
 * Creates a budget shared through the store. `acquire` rejects when the store cannot be reached
 * (the request is then not sent: nobody could tell whether it fits).
 *
 * @example
 * const budget = createSharedRateBudget({ store, key: memberId, burst: 250, drainPerSecond: 5 });
 * const client = createRestClient({ auth, rateBudget: budget });
 */
function createSharedRateBudget(options) {
    const burst = options.burst ?? 50;
    const drain = options.drainPerSecond ?? 2;
    const clock = options.clock ?? clock_1.systemClock;
    const { store, key } = options;
    const problems = [];
    if (!Number.isInteger(burst) || burst < 1)
        problems.push(`burst must be a positive integer, got ${burst}`);
    if (!Number.isFinite(drain) || drain <= 0)
        problems.push(`drainPerSecond must be a positive number, got ${drain}`);
    if (typeof key !== 'string' || key === '')
        problems.push('key must be a non-empty string');
    if (problems.length)
        throw new errors_1.ConfigError(problems, 'Invalid rate budget');
    const headroom = Math.max(1, Math.ceil((drain * DELAY_TOLERANCE_MS) / 1000));
    const reserved = Math.max(1, burst - headroom);
    const limit = () => ({
        burst: reserved,
        perSecond: drain,
        now: clock.now(),
    });
    // What the store said last, drained locally: `level()` is an estimate between reservations.
    let seenLevel = 0;
    let seenAt = clock.now();
    return {
        burst,
        drainPerSecond: drain,
        level() {
            const elapsed = Math.max(0, clock.now() - seenAt);
            return Math.max(0, seenLevel - (elapsed / 1000) * drain);
        },
        saturate() {
            seenLevel = Math.max(seenLevel, reserved);
            seenAt = clock.now();
            store.saturateRate(key, limit()).catch((err) => {
                options.logger?.warn({ err, portal: key }, 'could not mark the shared rate budget full');
            });
        },
        async acquire({ signal } = {}) {
            if (signal?.aborted)
                throw abortError();
            const asked = limit();
            const { waitMs, level } = await store.reserveRate(key, asked);
            seenLevel = level;
            seenAt = asked.now;
            if (waitMs <= 0)
                return 0;
            // Spent even when the wait is aborted: giving a slot back could not undo later reservations.
            const ms = Math.ceil(waitMs) + WAIT_MARGIN_MS;
            if (signal?.aborted)
                throw abortError();
            return new Promise((resolve, reject) => {
                const onAbort = () => {
                    clock.clearTimeout(handle);
                    reject(abortError());
                };
                const handle = clock.setTimeout(() => {
                    signal?.removeEventListener('abort', onAbort);
                    resolve(ms);
                }, ms);
                signal?.addEventListener('abort', onAbort, { once: true });
            });
        },
    };
}
function abortError() {
    return new rest_errors_1.HttpError({ method: 'rate-budget', reason: 'aborted', retryable: false });
}
