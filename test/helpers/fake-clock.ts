/**
 * A fake {@link Clock} for tests: time moves only when the test says so, and due timeouts fire in
 * deadline order. No sleeping anywhere.
 */
import type { Clock } from '../../src/clock';

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timeout that falls due, in deadline order. */
  advance(ms: number): void;
  /** Moves time to an absolute instant (never backwards). */
  advanceTo(at: number): void;
  /** Timeouts waiting to fire. */
  pending(): number;
}

/**
 * Creates a fake clock starting at `start` (ms since epoch).
 *
 * @example
 * const clock = fakeClock();
 * clock.setTimeout(() => fired.push(clock.now()), 1000);
 * clock.advance(1000); // fires
 */
export function fakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let now = start;
  let order = 0;
  const timers = new Map<object, { at: number; order: number; fn: () => void }>();
  const advanceTo = (target: number): void => {
    for (let guard = 0; guard < 100_000; guard++) {
      let next: [object, { at: number; order: number; fn: () => void }] | undefined;
      for (const entry of timers) {
        const t = entry[1];
        if (
          t.at <= target &&
          (!next || t.at < next[1].at || (t.at === next[1].at && t.order < next[1].order))
        )
          next = entry;
      }
      if (!next) break;
      timers.delete(next[0]);
      now = Math.max(now, next[1].at);
      next[1].fn();
    }
    now = Math.max(now, target);
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const handle = {};
      timers.set(handle, { at: now + Math.max(0, ms), order: order++, fn });
      return handle;
    },
    clearTimeout(handle) {
      timers.delete(handle);
    },
    advance: (ms) => advanceTo(now + ms),
    advanceTo,
    pending: () => timers.size,
  };
}
