"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createRateBudget = createRateBudget;
/**
 * Client-side model of Bitrix24's per-portal leaky bucket (limits.md): every request adds one to
 * the level, the level drains `drainPerSecond` per second, and above `burst` the portal answers
 * 503 QUERY_LIMIT_EXCEEDED. Calls wait here for capacity instead of being refused there.
 */
const clock_1 = require("../clock");
const errors_1 = require("../errors");
const rest_errors_1 = require("./rest-errors");
/**
 * Creates a leaky-bucket budget for one portal.
 *
 * @example
 * const budget = createRateBudget({ burst: 250, drainPerSecond: 5 }); // Enterprise plan
 * const client = createRestClient({ auth, rateBudget: budget });
 */
function createRateBudget(options = {}) {
    const burst = options.burst ?? 50;
    const drain = options.drainPerSecond ?? 2;
    const clock = options.clock ?? clock_1.systemClock;
    const problems = [];
    if (!Number.isInteger(burst) || burst < 1)
        problems.push(`burst must be a positive integer, got ${burst}`);
    if (!Number.isFinite(drain) || drain <= 0)
        problems.push(`drainPerSecond must be a positive number, got ${drain}`);
    if (problems.length)
        throw new errors_1.ConfigError(problems, 'Invalid rate budget');
    // `level` counts admitted requests plus reservations of callers still waiting; a reservation made
    // now is admitted once the level (as of now) has drained down to `burst`.
    let level = 0;
    let updatedAt = clock.now();
    const drainTo = (now) => {
        if (now > updatedAt) {
            level = Math.max(0, level - ((now - updatedAt) / 1000) * drain);
            updatedAt = now;
        }
    };
    return {
        burst,
        drainPerSecond: drain,
        level() {
            drainTo(clock.now());
            return level;
        },
        saturate() {
            drainTo(clock.now());
            level = Math.max(level, burst);
        },
        acquire({ signal } = {}) {
            if (signal?.aborted)
                return Promise.reject(abortError());
            drainTo(clock.now());
            level += 1;
            const excess = level - burst;
            if (excess <= 1e-9)
                return Promise.resolve(0);
            const waitMs = Math.ceil((excess / drain) * 1000);
            return new Promise((resolve, reject) => {
                const onAbort = () => {
                    clock.clearTimeout(handle);
                    // The reservation is given back so that later callers do not wait for a ghost.
                    level = Math.max(0, level - 1);
                    reject(abortError());
                };
                const handle = clock.setTimeout(() => {
                    signal?.removeEventListener('abort', onAbort);
                    resolve(waitMs);
                }, waitMs);
                signal?.addEventListener('abort', onAbort, { once: true });
            });
        },
    };
}
function abortError() {
    return new rest_errors_1.HttpError({ method: 'rate-budget', reason: 'aborted', retryable: false });
}
