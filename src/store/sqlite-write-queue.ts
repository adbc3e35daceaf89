/**
 * Group commit for the SQLite store. Every write the event loop issues in one turn (for instance
 * the `appendInbox` of every webhook request that arrived together) runs in ONE SQLite
 * transaction, each inside its own savepoint. A commit costs a few page writes whatever it holds,
 * so under load this divides the I/O per acknowledged event by the batch size, while each write
 * keeps its own all-or-nothing outcome. No promise resolves before the group's COMMIT returned.
 *
 * Two refinements cut the statements a group executes:
 * - Writes of the same kind (a {@link Merger}: e.g. the settles of one `batch` request, the
 *   history entries of their outcomes) run as one statement for all of them.
 * - A group of at most {@link AUTOCOMMIT_MAX} single statements runs without BEGIN/COMMIT: each
 *   statement is atomic on its own (SQLite commits it by itself), and each write is one of them.
 *
 * Writes nobody waits on to go on (a sent effect's settle and its history entry: the REST call has
 * already left) may be queued as *deferred*: they wait for the next group that needs a transaction
 * anyway (a turn's commit, usually) and ride in it, instead of paying a commit of their own. Below
 * saturation, where each group would otherwise hold one or two writes, that removes one or two
 * commits (their WAL page writes and file locks) per event. A deferred write never waits longer
 * than {@link DEFER_MAX_MS}, and the queue keeps their order relative to each other; writes that
 * run before them in autocommit mode are single statements that do not depend on them (the store
 * decides what it defers).
 */
import { clearTimeout, setImmediate, setTimeout } from 'node:timers';
import type Database from 'better-sqlite3';

/** Writes of one kind that can run together, as one statement. */
export interface Merger<I, R> {
  /** Runs one write on its own (inside a transaction or savepoint when it is not a single statement). */
  runOne(item: I): R;
  /** Runs several writes together; the results in the order of `items`. */
  runMany(items: I[]): R[];
  /** Whether `runMany(items)` is exactly one statement (then it may run without a transaction). */
  single(items: I[]): boolean;
}

interface Job {
  run: () => unknown;
  /** One statement: atomic without a transaction around it. */
  single: boolean;
  merge?: { merger: Merger<unknown, unknown>; item: unknown };
  /** May wait for a group that needs a transaction anyway (see the module comment). */
  deferred: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What runs in a group: one job, or the jobs of one merger. */
type Unit = { job: Job } | { merger: Merger<unknown, unknown>; jobs: Job[] };

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Bounds how long one group holds the file's write lock. */
const MAX_GROUP = 500;
/**
 * Groups of up to this many single statements run in autocommit mode. Larger groups share one
 * transaction: its single commit is cheaper than one per statement.
 */
export const AUTOCOMMIT_MAX = 2;
/** The longest a deferred write waits for a group to ride in before it is committed on its own. */
export const DEFER_MAX_MS = 20;

export interface WriteQueue {
  /**
   * Runs `fn` inside the next group transaction; resolves once that transaction committed. With
   * `single`, `fn` executes exactly one statement (it may then run without a transaction).
   */
  write<T>(fn: () => T, options?: { single?: boolean }): Promise<T>;
  /**
   * Queues a write that may run together with the other writes of `merger` in the group. With
   * `deferred`, it may wait (at most {@link DEFER_MAX_MS}) for a group that commits anyway.
   */
  writeMerged<I, R>(merger: Merger<I, R>, item: I, options?: { deferred?: boolean }): Promise<R>;
  /** Commits everything queued now (before closing the database). */
  flush(): void;
}

function unitsOf(jobs: Job[]): Unit[] {
  const units: Unit[] = [];
  const byMerger = new Map<Merger<unknown, unknown>, Job[]>();
  for (const job of jobs) {
    if (!job.merge) {
      units.push({ job });
      continue;
    }
    const same = byMerger.get(job.merge.merger);
    if (same) same.push(job);
    else {
      const list = [job];
      byMerger.set(job.merge.merger, list);
      units.push({ merger: job.merge.merger, jobs: list });
    }
  }
  return units;
}

const isSingle = (unit: Unit): boolean =>
  'job' in unit
    ? unit.job.single
    : unit.merger.single(unit.jobs.map((j) => (j.merge as NonNullable<Job['merge']>).item));

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
    /** Called with the number of writes a group ran without a transaction (one statement each). */
    onAutocommit?: (writes: number) => void;
    /**
     * Brackets every attempt at running a group: `start` before its first write, `finish` after
     * its last one, inside its transaction (before COMMIT), so that `finish` can write what the
     * group's writes gathered in one statement (e.g. the claims of several turns' effects). A
     * group that is rolled back and run again is bracketed again.
     */
    groupHooks?: { start(): void; finish(): void };
  } = {},
): WriteQueue {
  const hooks = options.groupHooks;
  const bracket = <A extends unknown[], R>(fn: (...args: A) => R) =>
    hooks
      ? (...args: A): R => {
          hooks.start();
          const r = fn(...args);
          hooks.finish();
          return r;
        }
      : fn;
  let queue: Job[] = [];
  let scheduled = false;
  /** Queued jobs that are not deferred: while there are any, a group is scheduled. */
  let urgent = 0;
  /** Queued deferred jobs, and the timer that commits them when no group takes them. */
  let deferredQueued = 0;
  let deferTimer: ReturnType<typeof setTimeout> | undefined;

  // Called inside the group transaction, better-sqlite3 turns this into a SAVEPOINT.
  const isolated = db.transaction((fn: () => unknown) => fn());
  // A lone write needs no savepoint: its transaction is already all-or-nothing.
  const single = db.transaction(bracket((fn: () => unknown) => fn()));
  /** Runs the units in order; a merged unit's results go to its jobs. */
  const runUnits = (units: Unit[], jobs: Job[]): Outcome[] => {
    const values = new Map<Job, unknown>();
    for (const unit of units) {
      if ('job' in unit) values.set(unit.job, unit.job.run());
      else {
        const results = unit.merger.runMany(
          unit.jobs.map((j) => (j.merge as NonNullable<Job['merge']>).item),
        );
        unit.jobs.forEach((j, i) => values.set(j, results[i]));
      }
    }
    return jobs.map((job): Outcome => ({ ok: true, value: values.get(job) }));
  };
  // Optimistic: the writes run straight in the group transaction, without a savepoint each. One
  // that throws rolls the whole group back (none of it is kept), and the group runs again below,
  // with a savepoint per write (and no merging), so that only the failing write fails. Writes are
  // statements on this connection only, so running them again after the rollback is safe.
  const plain = db.transaction(bracket(runUnits));
  const group = db.transaction(
    bracket((jobs: Job[]): Outcome[] =>
      jobs.map((job): Outcome => {
        try {
          return { ok: true, value: isolated(job.run) };
        } catch (error) {
          options.onRollback?.();
          return { ok: false, error };
        }
      }),
    ),
  );

  /** Without a transaction: each unit is one statement, atomic by itself. */
  const autocommit = (units: Unit[]): Map<Job, Outcome> => {
    const out = new Map<Job, Outcome>();
    let committed = 0;
    for (const unit of units) {
      if ('job' in unit) {
        try {
          out.set(unit.job, { ok: true, value: unit.job.run() });
          committed += 1;
        } catch (error) {
          options.onRollback?.();
          out.set(unit.job, { ok: false, error });
        }
        continue;
      }
      const items = unit.jobs.map((j) => (j.merge as NonNullable<Job['merge']>).item);
      try {
        const results = unit.merger.runMany(items);
        unit.jobs.forEach((j, i) => out.set(j, { ok: true, value: results[i] }));
        committed += 1;
      } catch {
        // The statement failed as a whole: each write on its own, so only the failing one fails.
        options.onRollback?.();
        for (const job of unit.jobs) {
          try {
            options.onGroup?.(1, 0);
            out.set(job, { ok: true, value: single.immediate(job.run) });
          } catch (error) {
            options.onRollback?.();
            out.set(job, { ok: false, error });
          }
        }
      }
    }
    // Without a transaction, what the writes gathered is written on its own (autocommit too).
    hooks?.finish();
    if (committed > 0) options.onAutocommit?.(committed);
    return out;
  };

  /**
   * The jobs the next group runs. Deferred jobs wait (unless `all`) while the other jobs would
   * commit without a transaction: joining them would add BEGIN/COMMIT, not save a commit.
   */
  const takeJobs = (all: boolean): Job[] => {
    const head = queue.slice(0, MAX_GROUP);
    if (all || deferredQueued === 0) {
      queue = queue.slice(head.length);
      return head;
    }
    const now = head.filter((j) => !j.deferred);
    const nowUnits = unitsOf(now);
    const take =
      now.length === 0 || (nowUnits.length <= AUTOCOMMIT_MAX && nowUnits.every(isSingle))
        ? now
        : head;
    if (take === head) queue = queue.slice(head.length);
    else {
      const taken = new Set(take);
      queue = queue.filter((j) => !taken.has(j));
    }
    return take;
  };

  const runGroup = (all = false): void => {
    if (queue.length === 0) return;
    const jobs = takeJobs(all);
    if (jobs.length === 0) return;
    for (const job of jobs) {
      if (job.deferred) deferredQueued -= 1;
      else urgent -= 1;
    }
    if (deferredQueued === 0 && deferTimer !== undefined) {
      // Every deferred write rode in this group: no wake-up for them.
      clearTimeout(deferTimer);
      deferTimer = undefined;
    }
    let outcomes: Outcome[];
    try {
      const units = unitsOf(jobs);
      if (units.length <= AUTOCOMMIT_MAX && units.every(isSingle)) {
        const out = autocommit(units);
        outcomes = jobs.map((job) => out.get(job) as Outcome);
      } else if (jobs.length === 1) {
        // IMMEDIATE: take the write lock up front, so a read-then-write can never deadlock with another process.
        options.onGroup?.(1, 0);
        outcomes = [{ ok: true, value: single.immediate((jobs[0] as Job).run) }];
      } else {
        try {
          options.onGroup?.(jobs.length, 0);
          outcomes = plain.immediate(units, jobs);
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
    while (queue.length > 0) runGroup(true);
  };

  const tick = (): void => {
    scheduled = false;
    runGroup();
    if (urgent > 0) schedule();
  };

  const flushDeferred = (): void => {
    deferTimer = undefined;
    runGroup(true);
    if (urgent > 0) schedule();
    else if (deferredQueued > 0) armDeferTimer();
  };

  const armDeferTimer = (): void => {
    if (deferTimer === undefined) deferTimer = setTimeout(flushDeferred, DEFER_MAX_MS);
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(tick);
  };

  const enqueue = <T>(job: Omit<Job, 'resolve' | 'reject'>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ ...job, resolve: resolve as (value: unknown) => void, reject });
      if (job.deferred) {
        deferredQueued += 1;
        armDeferTimer();
      } else {
        urgent += 1;
        schedule();
      }
    });

  return {
    write<T>(fn: () => T, writeOptions: { single?: boolean } = {}): Promise<T> {
      return enqueue<T>({ run: fn, single: writeOptions.single === true, deferred: false });
    },
    writeMerged<I, R>(
      merger: Merger<I, R>,
      item: I,
      mergeOptions: { deferred?: boolean } = {},
    ): Promise<R> {
      const m = merger as unknown as Merger<unknown, unknown>;
      return enqueue<R>({
        run: () => m.runOne(item),
        single: m.single([item]),
        merge: { merger: m, item },
        deferred: mergeOptions.deferred === true,
      });
    },
    flush,
  };
}
