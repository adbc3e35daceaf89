/**
 * Statement counters of the SQLite store, for the benchmark (statements and transactions per
 * event). Off by default: only a store opened with `countStatements: true`, or while
 * `OPENLINES_SQLITE_COUNT_STATEMENTS=1` is set, counts, and an uncounted store runs its
 * statements unwrapped, so counting costs nothing when it is off.
 */
import type Database from 'better-sqlite3';

/** What the counting stores of this process executed since it started. */
export interface SqliteCounts {
  /** Prepared statements executed (`run`, `get`, `all`, `iterate`). */
  statements: number;
  /** Write transactions (each a `BEGIN IMMEDIATE` and a `COMMIT`). */
  transactions: number;
  /** Savepoints inside group transactions (each a `SAVEPOINT` and a `RELEASE`). */
  savepoints: number;
  /**
   * Writing statements run outside any transaction: SQLite commits each on its own. With
   * `transactions`, the commits (each a WAL append and its locks) the store made.
   */
  autocommits: number;
}

const counts: SqliteCounts = { statements: 0, transactions: 0, savepoints: 0, autocommits: 0 };
/** One counter per statement text, found when a statement is prepared (cheap to bump when it runs). */
const bySource = new Map<string, { count: number }>();

/**
 * Executions per statement text (whitespace folded), most executed first.
 *
 * @example
 * const top = sqliteCountsBySource().slice(0, 5);
 */
export function sqliteCountsBySource(): Array<{ sql: string; count: number }> {
  return [...bySource.entries()]
    .filter(([, c]) => c.count > 0)
    .map(([sql, c]) => ({ sql, count: c.count }))
    .sort((a, b) => b.count - a.count);
}

/**
 * A copy of the process-wide counters.
 *
 * @example
 * const before = sqliteCounts();
 * // ... work ...
 * const statementsPerEvent = (sqliteCounts().statements - before.statements) / events;
 */
export function sqliteCounts(): SqliteCounts {
  return { ...counts };
}

/**
 * Statements as SQLite executes them: prepared statements plus the BEGIN/COMMIT of each
 * transaction and the SAVEPOINT/RELEASE of each savepoint.
 *
 * @example
 * const n = executedStatements(sqliteCounts());
 */
export function executedStatements(c: SqliteCounts): number {
  return c.statements + 2 * c.transactions + 2 * c.savepoints;
}

/** Whether a store opened with `option` counts (the option wins over the environment). */
export function countingWanted(option: boolean | undefined): boolean {
  return option ?? process.env.OPENLINES_SQLITE_COUNT_STATEMENTS === '1';
}

const EXECUTING = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Makes every statement prepared on `db` from now on count its executions.
 *
 * @example
 * if (countingWanted(options.countStatements)) countStatementsOf(db);
 */
export function countStatementsOf(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source) as unknown as Record<string, (...args: unknown[]) => unknown>;
    const text = source.replace(/\s+/g, ' ').trim();
    let mine = bySource.get(text);
    if (!mine) bySource.set(text, (mine = { count: 0 }));
    const counter = mine;
    for (const name of EXECUTING) {
      const original = statement[name] as (...args: unknown[]) => unknown;
      statement[name] = function (this: unknown, ...args: unknown[]) {
        counts.statements += 1;
        counter.count += 1;
        return original.apply(this, args);
      };
    }
    return statement;
  }) as unknown as typeof db.prepare;
}

/**
 * Counts one group transaction of the write queue and the savepoints it took.
 *
 * @example
 * countGroup(3, 0);
 */
export function countGroup(_jobs: number, savepoints: number): void {
  counts.transactions += 1;
  counts.savepoints += savepoints;
}

/**
 * Counts writes the write queue ran without a transaction (each one statement, committed by
 * SQLite on its own).
 *
 * @example
 * countAutocommits(2);
 */
export function countAutocommits(statements: number): void {
  counts.autocommits += statements;
}
