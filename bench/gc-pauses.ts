/**
 * GC pauses of this process, read (and restarted) per phase: the server, the fake portal and the
 * load generator each watch their own, so that a latency outlier can be told from a collector's
 * pause in any of them.
 */
import { PerformanceObserver } from 'node:perf_hooks';

/** The pauses since the last `take()`. */
export interface GcPauses {
  maxPauseMs: number;
  totalPauseMs: number;
  count: number;
}

/**
 * Starts watching this process's GC pauses.
 *
 * @example
 * const gc = watchGcPauses();
 * // ... a phase ...
 * const { maxPauseMs } = gc.take();
 */
export function watchGcPauses(): { take(): GcPauses; stop(): void } {
  let seen: GcPauses = { maxPauseMs: 0, totalPauseMs: 0, count: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      seen.maxPauseMs = Math.max(seen.maxPauseMs, e.duration);
      seen.totalPauseMs += e.duration;
      seen.count += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    take() {
      const out = seen;
      seen = { maxPauseMs: 0, totalPauseMs: 0, count: 0 };
      return out;
    },
    stop: () => observer.disconnect(),
  };
}
