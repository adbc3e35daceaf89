"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkRateOptions = checkRateOptions;
exports.gcraReserve = gcraReserve;
exports.gcraSaturate = gcraSaturate;
exports.createLocalCoordination = createLocalCoordination;
exports.checkLockArgs = checkLockArgs;
const store_error_1 = require("./store-error");
/**
 * Throws a {@link StoreError} naming every unusable value of a budget call.
 *
 * @example
 * checkRateOptions('m1', { burst: 50, perSecond: 2, now: Date.now() });
 */
function checkRateOptions(key, options) {
    const problems = [];
    if (typeof key !== 'string' || key === '')
        problems.push('key must be a non-empty string');
    if (!Number.isInteger(options.burst) || options.burst < 1)
        problems.push(`burst must be a positive integer, got ${String(options.burst)}`);
    if (!Number.isFinite(options.perSecond) || options.perSecond <= 0)
        problems.push(`perSecond must be a positive number, got ${String(options.perSecond)}`);
    if (!Number.isFinite(options.now))
        problems.push(`now must be a finite number`);
    if (problems.length > 0)
        throw new store_error_1.StoreError(`Invalid rate budget call: ${problems.join('; ')}`);
}
/**
 * One reservation: the new TAT and what the caller is told.
 *
 * @example
 * const { tat, reservation } = gcraReserve(undefined, { burst: 50, perSecond: 2, now: 0 }); // waitMs 0, level 1
 */
function gcraReserve(storedTat, options) {
    const interval = 1000 / options.perSecond;
    const tat = Math.max(storedTat ?? options.now, options.now) + interval;
    const waitMs = Math.max(0, tat - options.burst * interval - options.now);
    return { tat, reservation: { waitMs, level: (tat - options.now) / interval } };
}
/**
 * The TAT of a budget the portal just reported full.
 *
 * @example
 * const tat = gcraSaturate(undefined, { burst: 50, perSecond: 2, now: 0 }); // 25_000
 */
function gcraSaturate(storedTat, options) {
    const full = options.now + (options.burst * 1000) / options.perSecond;
    return Math.max(storedTat ?? full, full);
}
/**
 * Creates the budgets and locks the memory and SQLite stores keep in the process (one process
 * uses such a store, so the process is where they are shared).
 *
 * @example
 * const local = createLocalCoordination();
 * local.reserveRate('m1', { burst: 50, perSecond: 2, now: Date.now() }); // { waitMs: 0, level: 1 }
 */
function createLocalCoordination() {
    const tats = new Map();
    const locks = new Map();
    const forgetDrained = (now) => {
        // Bounded memory: a drained budget is the same as no budget.
        if (tats.size < 1000)
            return;
        for (const [key, tat] of tats)
            if (tat <= now)
                tats.delete(key);
    };
    return {
        reserveRate(key, options) {
            checkRateOptions(key, options);
            forgetDrained(options.now);
            const { tat, reservation } = gcraReserve(tats.get(key), options);
            tats.set(key, tat);
            return reservation;
        },
        saturateRate(key, options) {
            checkRateOptions(key, options);
            tats.set(key, gcraSaturate(tats.get(key), options));
        },
        acquireLock(name, owner, leaseMs, now) {
            checkLockArgs(name, owner, leaseMs, now);
            const held = locks.get(name);
            if (held && held.owner !== owner && held.until > now)
                return false;
            locks.set(name, { owner, until: now + leaseMs });
            return true;
        },
        releaseLock(name, owner) {
            if (locks.get(name)?.owner === owner)
                locks.delete(name);
        },
    };
}
/**
 * Throws a {@link StoreError} for an unusable lock call.
 *
 * @example
 * checkLockArgs('oauth:m1', 'host:1', 30_000, Date.now());
 */
function checkLockArgs(name, owner, leaseMs, now) {
    const problems = [];
    if (typeof name !== 'string' || name === '')
        problems.push('name must be a non-empty string');
    if (typeof owner !== 'string' || owner === '')
        problems.push('owner must be a non-empty string');
    if (!Number.isFinite(leaseMs) || leaseMs <= 0)
        problems.push('leaseMs must be a positive number');
    if (!Number.isFinite(now))
        problems.push('now must be a finite number');
    if (problems.length > 0)
        throw new store_error_1.StoreError(`Invalid lock call: ${problems.join('; ')}`);
}
