"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.retryPolicy = retryPolicy;
exports.backoffDelay = backoffDelay;
exports.shouldRetry = shouldRetry;
exports.sleep = sleep;
const rest_errors_1 = require("./rest-errors");
/**
 * Fills in the defaults of {@link RetryOptions}.
 *
 * @example
 * const policy = retryPolicy({ retries: 2 });
 */
function retryPolicy(options = {}) {
    return {
        retries: Math.max(0, Math.floor(options.retries ?? 4)),
        baseDelayMs: options.baseDelayMs ?? 500,
        maxDelayMs: options.maxDelayMs ?? 20_000,
        random: options.random ?? Math.random,
    };
}
/**
 * Delay before retry number `attempt` (0-based): "equal jitter", i.e. half of the exponential step
 * is fixed and half random, so that clients that failed together do not come back together. A
 * server-provided `Retry-After` wins when it is longer.
 *
 * @example
 * await sleep(clock, backoffDelay(policy, attempt), method);
 */
function backoffDelay(policy, attempt, retryAfterMs) {
    const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    const jittered = Math.round(step / 2 + (step / 2) * policy.random());
    return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}
/**
 * True when `error` is a transient failure that another attempt may fix.
 *
 * @example
 * if (shouldRetry(e)) await sleep(clock, backoffDelay(policy, attempt), method);
 */
function shouldRetry(error) {
    if ((0, rest_errors_1.isApiError)(error) || (0, rest_errors_1.isHttpError)(error))
        return error.retryable;
    return false;
}
/**
 * Sleeps `ms` on `clock`; rejects with an `HttpError` (reason `aborted`) when `signal` aborts.
 *
 * @example
 * await sleep(clock, 500, 'imbot.message.add', signal);
 */
function sleep(clock, ms, method, signal) {
    if (signal?.aborted)
        return Promise.reject(new rest_errors_1.HttpError({ method, reason: 'aborted', retryable: false }));
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            clock.clearTimeout(handle);
            reject(new rest_errors_1.HttpError({ method, reason: 'aborted', retryable: false }));
        };
        const handle = clock.setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
