/**
 * GCRA (the generic cell rate algorithm) over a portal's leaky bucket, as a reservation: each
 * request moves the bucket's "theoretical arrival time" (TAT) on by one emission interval, and may
 * go once the bucket, counting it, holds no more than `burst`. The memory and SQLite stores run it
 * here; the Redis store runs the same steps in one Lua script (redis-lua-coordination.ts).
 */
import type { RateLimitOptions, RateReservation } from './store';
import { StoreError } from './store-error';

/**
 * Throws a {@link StoreError} naming every unusable value of a budget call.
 *
 * @example
 * checkRateOptions('m1', { burst: 50, perSecond: 2, now: Date.now() });
 */
export function checkRateOptions(key: string, options: RateLimitOptions): void {
  const problems: string[] = [];
  if (typeof key !== 'string' || key === '') problems.push('key must be a non-empty string');
  if (!Number.isInteger(options.burst) || options.burst < 1)
    problems.push(`burst must be a positive integer, got ${String(options.burst)}`);
  if (!Number.isFinite(options.perSecond) || options.perSecond <= 0)
    problems.push(`perSecond must be a positive number, got ${String(options.perSecond)}`);
  if (!Number.isFinite(options.now)) problems.push(`now must be a finite number`);
  if (problems.length > 0) throw new StoreError(`Invalid rate budget call: ${problems.join('; ')}`);
}

/**
 * One reservation: the new TAT and what the caller is told.
 *
 * @example
 * const { tat, reservation } = gcraReserve(undefined, { burst: 50, perSecond: 2, now: 0 }); // waitMs 0, level 1
 */
export function gcraReserve(
  storedTat: number | undefined,
  options: RateLimitOptions,
): { tat: number; reservation: RateReservation } {
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
export function gcraSaturate(storedTat: number | undefined, options: RateLimitOptions): number {
  const full = options.now + (options.burst * 1000) / options.perSecond;
  return Math.max(storedTat ?? full, full);
}

/** The in-process budgets and locks of a single-process store. */
export interface LocalCoordination {
  reserveRate(key: string, options: RateLimitOptions): RateReservation;
  saturateRate(key: string, options: RateLimitOptions): void;
  acquireLock(name: string, owner: string, leaseMs: number, now: number): boolean;
  releaseLock(name: string, owner: string): void;
}

/**
 * Creates the budgets and locks the memory and SQLite stores keep in the process (one process
 * uses such a store, so the process is where they are shared).
 *
 * @example
 * const local = createLocalCoordination();
 * local.reserveRate('m1', { burst: 50, perSecond: 2, now: Date.now() }); // { waitMs: 0, level: 1 }
 */
export function createLocalCoordination(): LocalCoordination {
  const tats = new Map<string, number>();
  const locks = new Map<string, { owner: string; until: number }>();
  const forgetDrained = (now: number): void => {
    // Bounded memory: a drained budget is the same as no budget.
    if (tats.size < 1000) return;
    for (const [key, tat] of tats) if (tat <= now) tats.delete(key);
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
      if (held && held.owner !== owner && held.until > now) return false;
      locks.set(name, { owner, until: now + leaseMs });
      return true;
    },
    releaseLock(name, owner) {
      if (locks.get(name)?.owner === owner) locks.delete(name);
    },
  };
}

/**
 * Throws a {@link StoreError} for an unusable lock call.
 *
 * @example
 * checkLockArgs('oauth:m1', 'host:1', 30_000, Date.now());
 */
export function checkLockArgs(name: string, owner: string, leaseMs: number, now: number): void {
  const problems: string[] = [];
  if (typeof name !== 'string' || name === '') problems.push('name must be a non-empty string');
  if (typeof owner !== 'string' || owner === '') problems.push('owner must be a non-empty string');
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) problems.push('leaseMs must be a positive number');
  if (!Number.isFinite(now)) problems.push('now must be a finite number');
  if (problems.length > 0) throw new StoreError(`Invalid lock call: ${problems.join('; ')}`);
}
