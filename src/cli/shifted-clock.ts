/**
 * A real-time clock that can also jump forward, for `chat`'s `/wait 10m`: time runs as usual,
 * and a jump fires at once every timeout that the jump made due.
 */
import type { Clock, ClockHandle } from '../clock';

/** A {@link Clock} with {@link ShiftedClock.advance}. */
export interface ShiftedClock extends Clock {
  /** Moves time forward by `ms` and fires the timeouts that fell due, in deadline order. */
  advance(ms: number): void;
}

interface Pending {
  at: number;
  fn: () => void;
  real: ReturnType<typeof setTimeout>;
}

/**
 * Creates a clock that follows real time plus the jumps made with `advance`.
 *
 * @example
 * const clock = createShiftedClock();
 * clock.advance(10 * 60_000); // ten minutes later, at once
 */
export function createShiftedClock(options: { now?: () => number } = {}): ShiftedClock {
  const realNow = options.now ?? Date.now;
  let offset = 0;
  const pending = new Set<Pending>();
  const now = () => realNow() + offset;
  return {
    now,
    setTimeout(fn, ms) {
      const entry: Pending = {
        at: now() + Math.max(0, ms),
        fn,
        real: setTimeout(
          () => {
            pending.delete(entry);
            fn();
          },
          Math.max(0, ms),
        ),
      };
      entry.real.unref?.();
      pending.add(entry);
      return entry as unknown as ClockHandle;
    },
    clearTimeout(handle) {
      const entry = handle as unknown as Pending;
      if (pending.delete(entry)) clearTimeout(entry.real);
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('advance() needs a non-negative number of milliseconds');
      offset += ms;
      const due = [...pending].filter((p) => p.at <= now()).sort((a, b) => a.at - b.at);
      for (const p of due) {
        pending.delete(p);
        clearTimeout(p.real);
        p.fn();
      }
    },
  };
}
