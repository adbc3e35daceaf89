import type { Clock, ClockHandle } from '../../../src/clock';

/** A clock whose time moves only when the test advances it. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order and letting I/O callbacks run between them. */
  advance(ms: number): Promise<void>;
  /** Number of timers not yet fired. */
  pending(): number;
}

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

/** Lets promise chains and (real, loopback or nock) I/O callbacks make progress. */
export async function flushIO(turns = 5): Promise<void> {
  // One real timer tick first: nock answers through timers, and on a busy machine a few
  // setImmediate turns can pass before it does; advancing the fake clock then would time the
  // request out before its answer arrives.
  await new Promise<void>((r) => setTimeout(r, 1));
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  let seq = 0;
  let timers: Timer[] = [];
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const t = { id: ++seq, due: now + Math.max(0, ms), fn };
      timers.push(t);
      return t.id as unknown as ClockHandle;
    },
    clearTimeout(h) {
      timers = timers.filter((t) => t.id !== (h as unknown as number));
    },
    pending: () => timers.length,
    async advance(ms) {
      const target = now + ms;
      for (let guard = 0; guard < 100_000; guard++) {
        const next = timers
          .filter((t) => t.due <= target)
          .sort((a, b) => a.due - b.due || a.id - b.id)[0];
        if (!next) break;
        timers = timers.filter((t) => t !== next);
        now = next.due;
        next.fn();
        await flushIO(2);
      }
      now = target;
      await flushIO();
    },
  };
}

/**
 * Drives `promise` to completion by letting I/O run and advancing the clock in `stepMs` steps,
 * at most `maxSteps` times (bounded: a hung promise fails the test instead of spinning).
 */
export async function settle<T>(
  clock: FakeClock,
  promise: Promise<T>,
  stepMs = 100,
  maxSteps = 5_000,
): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < maxSteps && !done; i++) {
    await flushIO();
    if (!done) await clock.advance(stepMs);
  }
  if (!done) throw new Error(`promise did not settle within ${maxSteps} steps of ${stepMs} ms`);
  return tracked;
}
