/**
 * A {@link Clock} that moves only when a test says so. The runtime, the REST client and the fake
 * portal all take a clock, so a ten-minute idle timeout is tested by `advance(600_000)`, not by
 * waiting ten minutes.
 */
import type { Clock } from '../clock';

/** A {@link Clock} whose time moves only through {@link FakeClock.advance}. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timeout that falls due, in deadline order. */
  advance(ms: number): void;
  /** Moves time to an absolute instant (ms since epoch); never backwards. */
  advanceTo(at: number): void;
  /** Timeouts waiting to fire. */
  pending(): number;
}

/** Options of {@link createFakeClock}. */
export interface FakeClockOptions {
  /** Start time, ms since epoch. Default 2025-01-01T00:00:00Z (a fixed instant keeps transcripts stable). */
  start?: number;
}

interface Timeout {
  at: number;
  order: number;
  fn: () => void;
}

// A timeout that schedules another timeout due at once could spin forever; a test clock must not hang.
const MAX_FIRED_PER_ADVANCE = 100_000;

/**
 * Creates a fake clock.
 *
 * @example
 * const clock = createFakeClock();
 * clock.setTimeout(() => console.log('ten minutes later'), 600_000);
 * clock.advance(600_000); // prints, at once
 */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  const start = options.start ?? Date.UTC(2025, 0, 1);
  if (!Number.isFinite(start))
    throw new RangeError('createFakeClock: start must be a finite number');
  let now = start;
  let order = 0;
  const timeouts = new Map<object, Timeout>();

  const nextDue = (target: number): [object, Timeout] | undefined => {
    let next: [object, Timeout] | undefined;
    for (const entry of timeouts) {
      const t = entry[1];
      if (t.at > target) continue;
      if (!next || t.at < next[1].at || (t.at === next[1].at && t.order < next[1].order))
        next = entry;
    }
    return next;
  };

  const advanceTo = (target: number): void => {
    if (!Number.isFinite(target))
      throw new RangeError('FakeClock: the target time must be a finite number');
    for (let fired = 0; fired < MAX_FIRED_PER_ADVANCE; fired++) {
      const next = nextDue(target);
      if (!next) break;
      timeouts.delete(next[0]);
      now = Math.max(now, next[1].at);
      next[1].fn();
    }
    now = Math.max(now, target);
  };

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const handle = {};
      timeouts.set(handle, {
        at: now + Math.max(0, Number.isFinite(ms) ? ms : 0),
        order: order++,
        fn,
      });
      return handle;
    },
    clearTimeout(handle) {
      timeouts.delete(handle);
    },
    advance(ms) {
      if (!(ms >= 0))
        throw new RangeError('FakeClock.advance needs a non-negative number of milliseconds');
      advanceTo(now + ms);
    },
    advanceTo,
    pending: () => timeouts.size,
  };
}
