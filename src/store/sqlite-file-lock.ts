/**
 * One process per SQLite database file. The lock is a small companion SQLite file
 * (`<database>.lock`) held in EXCLUSIVE locking mode for the life of the store: the operating
 * system drops the lock when the process ends in any way (including `kill -9`), so a restart
 * never waits for a stale lock, and a second process opening the same database is refused at once.
 */
import Database from 'better-sqlite3';
import { StoreError } from './store-error';

/** A held lock; `release()` lets another process open the database. */
export interface SqliteFileLock {
  readonly path: string;
  release(): void;
}

/** The lock file of a database file. */
export function lockPathOf(databasePath: string): string {
  return `${databasePath}.lock`;
}

/**
 * Takes the lock of `databasePath`, or throws a {@link StoreError} saying that another process
 * uses the database.
 *
 * @example
 * const lock = lockSqliteFile('./data/state.db');
 * // ... use the database ...
 * lock.release();
 */
export function lockSqliteFile(databasePath: string): SqliteFileLock {
  const path = lockPathOf(databasePath);
  let db: Database.Database | undefined;
  try {
    // No busy wait: a held lock is another live process, not a moment of contention.
    db = new Database(path, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in EXCLUSIVE mode it is kept until close.
    db.exec(
      'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since INTEGER NOT NULL)',
    );
    db.prepare(
      'INSERT INTO holder (id, pid, since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, since = excluded.since',
    ).run(process.pid, Date.now());
  } catch (cause) {
    db?.close();
    const code = (cause as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new StoreError(
        `Another process is using the SQLite store at ${databasePath} (its lock file ${path} is held). ` +
          'One process per SQLite database: stop the other process first, give this one another ' +
          'store path, or use the Redis store to run several processes.',
        { cause },
      );
    }
    throw new StoreError(
      `Cannot lock the SQLite store at ${databasePath} (lock file ${path}): ${(cause as Error).message}`,
      { cause },
    );
  }
  const held = db;
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      held.close();
    },
  };
}
