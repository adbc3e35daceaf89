/**
 * Injected failures (`portal.failNext`): per method (or `*`), starting at the n-th matching call,
 * for a number of calls in a row; an HTTP error, or a destroyed socket.
 */
import type { FailNextOptions } from './types';
import { statusFor } from './fault';

export interface FiredFailure {
  error: string;
  status: number;
  description: string;
  network: boolean;
  afterEffect: boolean;
  stall: boolean;
}

interface Rule extends FiredFailure {
  method: string;
  skip: number;
  remaining: number;
}

export interface FailureRules {
  add(method: string, error: string, options?: FailNextOptions): void;
  /** Counts a call of `method` and returns the failure to inject into it, if any. */
  next(method: string): FiredFailure | undefined;
  /** Rules not used up yet. */
  pending(): number;
  clear(): void;
}

/**
 * Creates an empty rule set.
 *
 * @example
 * const rules = createFailureRules();
 * rules.add('imbot.message.add', 'QUERY_LIMIT_EXCEEDED', { times: 2 });
 */
export function createFailureRules(): FailureRules {
  let rules: Rule[] = [];
  return {
    add(method, error, options = {}) {
      const key = method.toLowerCase();
      rules.push({
        // The REST client names the token call `oauth.token`; both spellings mean the endpoint.
        method: key === 'oauth.token' ? 'oauth/token' : key,
        error,
        status: options.status ?? statusFor(error),
        description: options.description ?? `Injected failure: ${error}`,
        network: options.network === true,
        afterEffect: options.afterEffect === true,
        stall: options.stall === true,
        skip: Math.max(0, (options.nth ?? 1) - 1),
        remaining: Math.max(1, options.times ?? 1),
      });
    },
    next(method) {
      const m = method.toLowerCase();
      let fired: Rule | undefined;
      for (const rule of rules) {
        if (rule.method !== m && rule.method !== '*') continue;
        if (rule.skip > 0) {
          rule.skip -= 1;
          continue;
        }
        if (!fired) {
          fired = rule;
          rule.remaining -= 1;
        }
      }
      rules = rules.filter((r) => r.remaining > 0);
      if (!fired) return undefined;
      const { error, status, description, network, afterEffect, stall } = fired;
      return { error, status, description, network, afterEffect, stall };
    },
    pending() {
      return rules.length;
    },
    clear() {
      rules = [];
    },
  };
}
