/**
 * Group commit for the SQLite store. Every write the event loop issues in one turn (for instance
 * the `appendInbox` of every webhook request that arrived together) runs in ONE SQLite
 * transaction, each inside its own savepoint. A commit costs a few page writes whatever it holds,
 * so under load this divides the I/O per acknowledged event by the batch size, while each write
 * keeps its own all-or-nothing outcome. No promise resolves before the group's COMMIT returned.
 */
import { setImmediate } from 'node:timers';
import type Database from 'better-sqlite3';

interface Job {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Bounds how long one group holds the file's write lock. */
const MAX_GROUP = 500;

export interface WriteQueue {
  /** Runs `fn` inside the next group transaction; resolves once that transaction committed. */
  write<T>(fn: () => T): Promise<T>;
  /** Commits everything queued now (before closing the database). */
  flush(): void;
}

/**
 * Creates the write queue of one connection. The timer comes from `node:timers`, so fake global
 * timers in a test do not stall the store.
 */
export function createWriteQueue(
  db: Database.Database,
  /**
   * `onGroup`: called per group transaction with its writes and the savepoints it took.
   * `onRollback`: called after a transaction or savepoint was rolled back (before anything runs
   * again), so that state kept beside the database can be read back from it.
   */
  options: {
    onGroup?: (jobs: number, savepoints: number) => void;
    onRollback?: () => void;
  } = {},
): WriteQueue {
  let queue: Job[] = [];
  let scheduled = false;

  // Called inside the group transaction, better-sqlite3 turns this into a SAVEPOINT.
  const isolated = db.transaction((fn: () => unknown) => fn());
  // A lone write needs no savepoint: its transaction is already all-or-nothing.
  const single = db.transaction((fn: () => unknown) => fn());
  // Optimistic: the writes run straight in the group transaction, without a savepoint each. One
  // that throws rolls the whole group back (none of it is kept), and the group runs again below,
  // with a savepoint per write, so that only the failing write fails. Writes are statements on
  // this connection only, so running them again after the rollback is safe.
  const plain = db.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job): Outcome => ({ ok: true, value: job.run() })),
  );
  const group = db.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job): Outcome => {
      try {
        return { ok: true, value: isolated(job.run) };
      } catch (error) {
        options.onRollback?.();
        return { ok: false, error };
      }
    }),
  );

  const runGroup = (): void => {
    if (queue.length === 0) return;
    const jobs = queue.slice(0, MAX_GROUP);
    queue = queue.slice(jobs.length);
    let outcomes: Outcome[];
    try {
      // IMMEDIATE: take the write lock up front, so a read-then-write can never deadlock with another process.
      if (jobs.length === 1) {
        options.onGroup?.(1, 0);
        outcomes = [{ ok: true, value: single.immediate((jobs[0] as Job).run) }];
      } else {
        try {
          options.onGroup?.(jobs.length, 0);
          outcomes = plain.immediate(jobs);
        } catch {
          options.onRollback?.();
          options.onGroup?.(jobs.length, jobs.length);
          outcomes = group.immediate(jobs);
        }
      }
    } catch (error) {
      options.onRollback?.();
      for (const job of jobs) job.reject(error);
      return;
    }
    outcomes.forEach((o, i) => {
      const job = jobs[i] as Job;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  };

  const flush = (): void => {
    while (queue.length > 0) runGroup();
  };

  const tick = (): void => {
    scheduled = false;
    runGroup();
    if (queue.length > 0) schedule();
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(tick);
  };

  return {
    write<T>(fn: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run: fn, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    flush,
  };
}
