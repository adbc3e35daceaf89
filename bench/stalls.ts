/**
 * `--stalls`: when did each process of the benchmark stop running? A 1 ms interval timer in the
 * server, the fake portal and the load generator notes every gap between its ticks longer than a
 * threshold, stamped with the wall clock that all three share (`preciseNow`). A phase then says,
 * for its slowest events (event → first REST call at or above the phase's p99), how many were in
 * flight while each process stood still: a slow event during a server stall is the server's; one
 * during a stall of all three is the machine's. The timer wakes each process 1000 times a second,
 * so CPU figures of a run with `--stalls` are not comparable with others.
 */

/** One gap: from `at` (wall ms) for `ms` milliseconds. */
export interface Stall {
  at: number;
  ms: number;
}

/** Default: gaps longer than this many ms are stalls. */
export const STALL_THRESHOLD_MS = 8;

/**
 * Starts watching this process's event loop for stalls.
 *
 * @example
 * const stalls = watchStalls({ now: preciseNow });
 * // ... later
 * const seen = stalls.take(); // and cleared
 */
export function watchStalls(options: { now: () => number; thresholdMs?: number }): {
  take(): Stall[];
  stop(): void;
} {
  const threshold = options.thresholdMs ?? STALL_THRESHOLD_MS;
  let seen: Stall[] = [];
  let last = options.now();
  const timer = setInterval(() => {
    const now = options.now();
    if (now - last > threshold) seen.push({ at: last, ms: now - last });
    last = now;
  }, 1);
  timer.unref();
  return {
    take() {
      const out = seen;
      seen = [];
      return out;
    },
    stop: () => clearInterval(timer),
  };
}

/** An event whose first REST call was measured: sent at `sentAt`, its call arrived `delayMs` later. */
export interface TimedEvent {
  sentAt: number;
  delayMs: number;
}

/** What a phase's stalls say about its slowest events. */
export interface StallReport {
  /** Per process: the longest stall (ms, 0 when none) and how many there were. */
  longestMs: Record<string, number>;
  count: Record<string, number>;
  /** Events at or above the phase's p99 delay. */
  slow: number;
  /** Of those, how many were in flight during a stall of each process. */
  overlapping: Record<string, number>;
}

function overlaps(e: TimedEvent, s: Stall): boolean {
  return s.at < e.sentAt + e.delayMs && e.sentAt < s.at + s.ms;
}

/**
 * Relates the slowest events of a phase (delay at or above `p99Ms`) to the stalls each process
 * had meanwhile.
 *
 * @example
 * relateStalls({ events, p99Ms: 42, stalls: { server: [{ at: 1000, ms: 30 }], portal: [] } });
 */
export function relateStalls(options: {
  events: readonly TimedEvent[];
  p99Ms: number;
  stalls: Record<string, readonly Stall[]>;
}): StallReport {
  const slow = options.events.filter((e) => e.delayMs >= options.p99Ms);
  const report: StallReport = { longestMs: {}, count: {}, slow: slow.length, overlapping: {} };
  for (const [name, stalls] of Object.entries(options.stalls)) {
    report.longestMs[name] = stalls.reduce((m, s) => Math.max(m, s.ms), 0);
    report.count[name] = stalls.length;
    report.overlapping[name] = slow.filter((e) => stalls.some((s) => overlaps(e, s))).length;
  }
  return report;
}

/** One line for the phase report. */
export function formatStalls(r: StallReport): string {
  const names = Object.keys(r.longestMs);
  const longest = names.map((n) => `${n} ${(r.longestMs[n] ?? 0).toFixed(1)}`).join(', ');
  const during = names.map((n) => `${r.overlapping[n] ?? 0} ${n}`).join(', ');
  return `longest stall ms: ${longest}; of the ${r.slow} slowest events, in flight during a stall of: ${during}`;
}
