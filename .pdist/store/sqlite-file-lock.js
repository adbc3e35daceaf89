"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.lockPathOf = lockPathOf;
exports.lockSqliteFile = lockSqliteFile;
/**
 * One process per SQLite database file. The lock is a small companion SQLite file
 * (`<database>.lock`) held in EXCLUSIVE locking mode for the life of the store: the operating
 * system drops the lock when the process ends in any way (including `kill -9`), so a restart
 * never waits for a stale lock, and a second process opening the same database is refused at once.
 */
const better_sqlite3_1 = __importDefault(require("better-sqlite3"));
const store_error_1 = require("./store-error");
/** The lock file of a database file. */
function lockPathOf(databasePath) {
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
function lockSqliteFile(databasePath) {
    const path = lockPathOf(databasePath);
    let db;
    try {
        // No busy wait: a held lock is another live process, not a moment of contention.
        db = new better_sqlite3_1.default(path, { timeout: 0 });
        db.pragma('locking_mode = EXCLUSIVE');
        // The first write takes the exclusive lock; in EXCLUSIVE mode it is kept until close.
        db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since INTEGER NOT NULL)');
        db.prepare('INSERT INTO holder (id, pid, since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, since = excluded.since').run(process.pid, Date.now());
    }
    catch (cause) {
        db?.close();
        const code = cause.code;
        if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
            throw new store_error_1.StoreError(`Another process is using the SQLite store at ${databasePath} (its lock file ${path} is held). ` +
                'One process per SQLite database: stop the other process first, give this one another ' +
                'store path, or use the Redis store to run several processes.', { cause });
        }
        throw new store_error_1.StoreError(`Cannot lock the SQLite store at ${databasePath} (lock file ${path}): ${cause.message}`, { cause });
    }
    const held = db;
    let released = false;
    return {
        path,
        release() {
            if (released)
                return;
            released = true;
            held.close();
        },
    };
}
