/**
 * Retry delays of the outbox dispatcher: exponential with jitter, so that many effects that
 * failed together (a portal at its rate limit) do not come back together.
 */

/** Options of {@link backoffDelay}. */
export interface BackoffOptions {
  /** 1 for the first retry, 2 for the second... */
  attempt: number;
  /** Delay of the first retry before jitter (ms); default 1000. */
  baseMs?: number;
  /** Upper bound before jitter (ms); default 60_000. */
  maxMs?: number;
  /** Source of randomness in [0, 1); default `Math.random`. */
  random?: () => number;
}

/**
 * The delay before retry number `attempt`: `min(maxMs, baseMs * 2^(attempt-1))`, of which the
 * upper half is random ("equal jitter": never less than half the exponential step).
 *
 * @example
 * backoffDelay({ attempt: 3 }) // between 2000 and 4000 ms
 */
export function backoffDelay(options: BackoffOptions): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const attempt = Math.max(1, Math.floor(options.attempt));
  const step = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
  const random = Math.min(Math.max((options.random ?? Math.random)(), 0), 1);
  return Math.round(step / 2 + (step / 2) * random);
}
