/**
 * Helpers around a phase: counts, bounded waits, the store's backlog.
 */

/**
 * Adds the counts of `from` to `into`.
 *
 * @example
 * addCounts({ into: failures, from: { '503': 2 } });
 */
export function addCounts(options: {
  into: Record<string, number>;
  from: Record<string, number>;
}): void {
  for (const [k, v] of Object.entries(options.from)) options.into[k] = (options.into[k] ?? 0) + v;
}

/**
 * Rejects when `promise` takes longer than `ms`.
 *
 * @example
 * await withTimeout({ promise: child.call('idle'), ms: 40_000, what: 'draining the outbox' });
 */
export function withTimeout<T>(options: {
  promise: Promise<T>;
  ms: number;
  what: string;
}): Promise<T> {
  const { ms, what } = options;
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    options.promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Scrapes `/metrics` once a second while a phase runs: how deep the inbox (accepted, not yet
 * processed) and the outbox (committed, not yet sent) got.
 *
 * @example
 * const depth = sampleDepths({ port });
 * const { inbox, outbox } = await depth.stop();
 */
export function sampleDepths(options: { port: number }): {
  stop(): Promise<{ inbox: number; outbox: number }>;
} {
  const { port } = options;
  const max = { inbox: 0, outbox: 0 };
  const scrape = async (): Promise<void> => {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const value = (name: string): number =>
        Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
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
