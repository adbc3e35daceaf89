/**
 * Percentiles and the latency join of the benchmark.
 */

/** p50 / p99 / max of a sample, in ms (NaN when empty). */
export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Nearest-rank percentiles of a sample.
 *
 * @example
 * spread({ values: Float64Array.from([1, 2, 3]) }); // { n: 3, p50: 2, p99: 3, max: 3 }
 */
export function spread(options: { values: ArrayLike<number> }): Spread {
  const sorted = Float64Array.from(options.values).sort();
  const n = sorted.length;
  const at = (p: number): number =>
    n === 0 ? Number.NaN : (sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)] ?? Number.NaN);
  return { n, p50: at(50), p99: at(99), max: n === 0 ? Number.NaN : (sorted[n - 1] ?? Number.NaN) };
}

/**
 * Differences `received[key] - sent[key]` for every key in both (ms); keys whose REST call never
 * arrived are counted as `missing`.
 *
 * @example
 * joinDelays({ sent: new Map([['12', 1000]]), received: { '12': 1004.5 } }); // { delays: [4.5], sentAt: [1000], missing: 0 }
 */
export function joinDelays(options: {
  sent: ReadonlyMap<string, number>;
  received: Readonly<Record<string, number>>;
}): {
  delays: number[];
  /** When each of `delays` was sent (wall ms), in the same order. */
  sentAt: number[];
  missing: number;
} {
  const delays: number[] = [];
  const sentAt: number[] = [];
  let missing = 0;
  for (const [key, at] of options.sent) {
    const got = options.received[key];
    if (got === undefined) missing++;
    else {
      delays.push(got - at);
      sentAt.push(at);
    }
  }
  return { delays, sentAt, missing };
}

/** Rounds for display. */
export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}
