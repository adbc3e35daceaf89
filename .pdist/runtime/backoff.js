"use strict";
/**
 * Retry delays of the outbox dispatcher: exponential with jitter, so that many effects that
 * failed together (a portal at its rate limit) do not come back together.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.backoffDelay = backoffDelay;
/**
 * The delay before retry number `attempt`: `min(maxMs, baseMs * 2^(attempt-1))`, of which the
 * upper half is random ("equal jitter": never less than half the exponential step).
 *
 * @example
 * backoffDelay({ attempt: 3 }) // between 2000 and 4000 ms
 */
function backoffDelay(options) {
    const base = options.baseMs ?? 1000;
    const max = options.maxMs ?? 60_000;
    const attempt = Math.max(1, Math.floor(options.attempt));
    const step = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
    const random = Math.min(Math.max((options.random ?? Math.random)(), 0), 1);
    return Math.round(step / 2 + (step / 2) * random);
}
