/**
 * What the benchmark measures around a phase: the child's CPU, the store's backlog, the
 * percentiles of a set of phases.
 */
import { preciseNow, type BenchChild } from './ipc';
import type { LoadResult } from './load-generator';
import type { TargetFigures } from './report';
import { spread, type Spread } from './stats';

/** First-REST-call delays of one set of phases. */
export interface FirstCallFigures {
  all: Spread;
  afterJoin: Spread;
  afterOrderNumber: Spread;
  missing: number;
}

/**
 * Adds the counts of `from` to `into`.
 *
 * @example
 * addCounts({ into: failures, from: { '503': 2 } });
 */
export function addCounts(options: { into: Record<string, number>; from: Record<string, number> }): void {
  for (const [k, v] of Object.entries(options.from)) options.into[k] = (options.into[k] ?? 0) + v;
}

/**
 * One target's figures over several phases: acked events over the summed windows, latencies pooled.
 *
 * @example
 * const figures = totalsOf({ results: [round1, round2] });
 */
export function totalsOf(options: { results: LoadResult[] }): TargetFigures {
  const { results } = options;
  const acked = results.reduce((n, r) => n + r.acked, 0);
  const windowMs = results.reduce((n, r) => n + r.windowMs, 0);
  const latencies = results.flatMap((r) => Array.from(r.latenciesMs));
  const failures: Record<string, number> = {};
  for (const r of results) addCounts({ into: failures, from: r.failures });
  return { eventsPerSecond: windowMs > 0 ? (acked / windowMs) * 1000 : 0, ack: spread({ values: latencies }), acked, failures };
}

/**
 * Percentiles of the first-REST-call delays (ms), after joins, after order numbers, and together.
 *
 * @example
 * const figures = firstCallFigures({ join: [4.1, 5.0], order: [7.2], missing: 0 });
 */
export function firstCallFigures(options: { join: number[]; order: number[]; missing: number }): FirstCallFigures {
  const { join, order, missing } = options;
  return {
    all: spread({ values: join.concat(order) }),
    afterJoin: spread({ values: join }),
    afterOrderNumber: spread({ values: order }),
    missing,
  };
}

/**
 * Rejects when `promise` takes longer than `ms`.
 *
 * @example
 * await withTimeout({ promise: child.call('idle'), ms: 40_000, what: 'draining the outbox' });
 */
export function withTimeout<T>(options: { promise: Promise<T>; ms: number; what: string }): Promise<T> {
  const { ms, what } = options;
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    options.promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

type CpuUsage = { user: number; system: number };

/**
 * CPU the child spent while `work` ran (user + system, and system alone), and the wall time (ms).
 *
 * @example
 * const { value, cpuMs } = await measured({ child: express, work: () => runLoad(...) });
 */
export async function measured<T>(options: {
  child: BenchChild;
  work: () => Promise<T>;
}): Promise<{ value: T; cpuMs: number; systemMs: number; wallMs: number }> {
  const { child, work } = options;
  const before = await child.call<CpuUsage>('cpu');
  const t0 = preciseNow();
  const value = await work();
  const after = await child.call<CpuUsage>('cpu');
  const systemMs = (after.system - before.system) / 1000;
  return { value, cpuMs: (after.user - before.user) / 1000 + systemMs, systemMs, wallMs: preciseNow() - t0 };
}

/**
 * Scrapes `/metrics` once a second while a phase runs: how deep the inbox (accepted, not yet
 * processed) and the outbox (committed, not yet sent) got.
 *
 * @example
 * const depth = sampleDepths({ port });
 * const { inbox, outbox } = await depth.stop();
 */
export function sampleDepths(options: { port: number }): { stop(): Promise<{ inbox: number; outbox: number }> } {
  const { port } = options;
  const max = { inbox: 0, outbox: 0 };
  const scrape = async (): Promise<void> => {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
      max.inbox = Math.max(max.inbox, value('openlines_inbox_depth'));
      max.outbox = Math.max(max.outbox, value('openlines_outbox_depth'));
    } catch {
      // A scrape that fails under load is just a missing sample.
    }
  };
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    pending = scrape();
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      return max;
    },
  };
}

