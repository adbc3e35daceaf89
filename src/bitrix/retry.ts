/**
 * Retry policy of the REST client: exponential backoff with jitter, sleeping on the injected
 * clock so that tests advance time instead of waiting.
 */
import type { Clock } from '../clock';
import { HttpError, isApiError, isHttpError } from './rest-errors';

export interface RetryOptions {
  /** Retries after the first attempt (default 4, so at most 5 requests per call). */
  retries?: number;
  /** Delay before the first retry in ms (default 500). */
  baseDelayMs?: number;
  /** Upper bound of one delay in ms (default 20 000). */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

/**
 * Fills in the defaults of {@link RetryOptions}.
 *
 * @example
 * const policy = retryPolicy({ retries: 2 });
 */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
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
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
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
export function shouldRetry(error: unknown): boolean {
  if (isApiError(error) || isHttpError(error)) return error.retryable;
  return false;
}

/**
 * Sleeps `ms` on `clock`; rejects with an `HttpError` (reason `aborted`) when `signal` aborts.
 *
 * @example
 * await sleep(clock, 500, 'imbot.message.add', signal);
 */
export function sleep(
  clock: Clock,
  ms: number,
  method: string,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted)
    return Promise.reject(new HttpError({ method, reason: 'aborted', retryable: false }));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(new HttpError({ method, reason: 'aborted', retryable: false }));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
