"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SQLITE_PATH = void 0;
exports.sqliteStore = sqliteStore;
/**
 * The embedded default store: one SQLite file (better-sqlite3, WAL). Survives restarts and
 * `kill -9`. One process per file: a lock (sqlite-file-lock.ts) refuses a second process, so on
 * open every lease in the file belongs to a previous life of this process and is released at once.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const better_sqlite3_1 = __importDefault(require("better-sqlite3"));
const json_column_1 = require("./json-column");
const sqlite_history_1 = require("./sqlite-history");
const sqlite_rows_1 = require("./sqlite-rows");
const sqlite_file_lock_1 = require("./sqlite-file-lock");
const sqlite_leases_1 = require("./sqlite-leases");
const rate_gcra_1 = require("./rate-gcra");
const sqlite_schema_1 = require("./sqlite-schema");
const sqlite_statements_1 = require("./sqlite-statements");
const sqlite_counters_1 = require("./sqlite-counters");
const sqlite_write_queue_1 = require("./sqlite-write-queue");
const sqlite_outbox_index_1 = require("./sqlite-outbox-index");
const sqlite_writes_1 = require("./sqlite-writes");
const store_error_1 = require("./store-error");
const store_rules_1 = require("./store-rules");
/** Where {@link sqliteStore} keeps its file when no `path` is given (relative to the working directory). */
exports.DEFAULT_SQLITE_PATH = './.openlines-bot/state.db';
/**
 * Opens (creating if needed) a SQLite {@link Store}. Throws a {@link StoreError} when the file
 * cannot be opened, or when another process uses it (only one process may use a database file;
 * several processes need the Redis store). Leases left by a previous process (one that was
 * killed) are released on open, so its dialogs and claimed effects are served at once.
 *
 * @example
 * const store = sqliteStore({ path: './data/bot.db' });
 * const runtime = createRuntime({ bots: [supportBot], store, clients });
 */
function sqliteStore(options = {}) {
    const path = options.path ?? exports.DEFAULT_SQLITE_PATH;
    const { db, sql, lock } = openDatabase(path, options);
    const hsql = (0, sqlite_history_1.prepareHistoryStatements)(db);
    const queue = (0, sqlite_write_queue_1.createWriteQueue)(db, (0, sqlite_counters_1.countingWanted)(options.countStatements) ? { onGroup: sqlite_counters_1.countGroup } : {});
    const leases = (0, sqlite_leases_1.prepareLeaseStatements)(db);
    // One process uses a database file: its budgets and locks live in the process.
    const local = (0, rate_gcra_1.createLocalCoordination)();
    /** Dialog leases (see `acquireDialog`). */
    const dialogLeases = new Map();
    // The file lock makes this store the outbox's only writer: it follows every change in memory,
    // so choosing a claim and the next wake-up read no rows (see sqlite-outbox-index.ts).
    const outbox = new sqlite_outbox_index_1.OutboxIndex();
    for (const r of sql.unsettledEffects.all())
        outbox.add({ seq: r.seq, dialogKey: r.dialog_key, availableAt: r.available_at });
    let closed = false;
    const failure = (what, cause) => (0, store_error_1.isStoreError)(cause)
        ? cause
        : new store_error_1.StoreError(`SQLite store ${what} failed: ${cause.message}`, { cause });
    const closedError = () => new store_error_1.StoreError('The SQLite store is closed');
    const read = (what, fn) => {
        if (closed)
            throw closedError();
        try {
            return fn();
        }
        catch (cause) {
            throw failure(what, cause);
        }
    };
    /** Queues a write into the next group transaction (see sqlite-write-queue.ts). */
    const write = async (what, fn) => {
        if (closed)
            throw closedError();
        try {
            return await queue.write(fn);
        }
        catch (cause) {
            throw failure(what, cause);
        }
    };
    return {
        kind: 'sqlite',
        async appendInbox(items, options) {
            const encoded = items.map((item) => ({
                ...item,
                payload: (0, json_column_1.encodeJson)(item.payload, 'Inbox payload'),
            }));
            const ttl = options.dedupeTtlMs ?? store_rules_1.DEFAULT_DEDUPE_TTL_MS;
            const { now, offset } = options;
            return write('appendInbox', () => (0, sqlite_writes_1.appendItems)(sql, encoded, { now, ttl, offset }));
        },
        async nextInbox(dialogKey) {
            return read('nextInbox', () => {
                const row = sql.nextInbox.get(dialogKey);
                return row ? inboxItemOf(row) : undefined;
            });
        },
        async peekInbox(dialogKey, limit) {
            return read('peekInbox', () => limit <= 0 ? [] : sql.peekInbox.all(dialogKey, limit).map(inboxItemOf));
        },
        async pendingDialogs(limit) {
            return read('pendingDialogs', () => sql.pendingDialogs.all(limit).map((r) => r.dialog_key));
        },
        async loadDialog(dialogKey) {
            return read('loadDialog', () => (0, sqlite_rows_1.readDialog)(sql, dialogKey));
        },
        async commitTurn(dialogKey, c) {
            const encoded = (0, sqlite_rows_1.encodeCommit)(c);
            const history = c.history && (0, store_rules_1.encodeHistoryWrite)(c.history, c.now);
            const seqs = [];
            const revision = await write('commitTurn', () => {
                const r = (0, sqlite_writes_1.commitDialog)(sql, dialogKey, c, encoded, seqs);
                if (r !== undefined && history)
                    (0, sqlite_history_1.writeHistory)(hsql, dialogKey, history);
                return r;
            });
            if (revision === undefined)
                return { status: 'conflict' };
            seqs.forEach((seq, i) => {
                const e = encoded.effects[i];
                if (!e)
                    return;
                outbox.add({
                    seq,
                    dialogKey,
                    availableAt: c.now,
                    row: {
                        seq,
                        dialog_key: dialogKey,
                        portal_id: e.portalId,
                        effect: e.effect,
                        meta: e.meta,
                        attempts: 0,
                        available_at: c.now,
                        created_at: c.now,
                        error: null,
                    },
                });
            });
            return { status: 'committed', revision };
        },
        async discardInbox(seq) {
            await write('discardInbox', () => sql.deleteInbox.run(seq));
        },
        // The file lock makes this store the only user of the database, so a dialog lease needs no
        // row write: it lives here, in memory, and costs no statement or transaction per turn.
        async acquireDialog(dialogKey, owner, leaseMs, now) {
            if (closed)
                throw closedError();
            const held = dialogLeases.get(dialogKey);
            if (held && held.owner !== owner && held.until > now)
                return false;
            dialogLeases.set(dialogKey, { owner, until: now + leaseMs });
            return true;
        },
        async releaseDialog(dialogKey, owner) {
            if (closed)
                throw closedError();
            if (dialogLeases.get(dialogKey)?.owner === owner)
                dialogLeases.delete(dialogKey);
        },
        async orphanedDialogs({ now, owner, after, limit }) {
            return read('orphanedDialogs', () => {
                const page = leases.pendingHeads.all(after, Math.max(0, limit));
                const dialogs = page
                    .filter((r) => {
                    const held = dialogLeases.get(r.dialog_key);
                    return !held || held.owner === owner || held.until <= now;
                })
                    .map((r) => r.dialog_key);
                const last = page[page.length - 1];
                return { dialogs, next: page.length >= limit && last ? last.head : 0 };
            });
        },
        async fireDueTimers(now, limit) {
            return write('fireDueTimers', () => (0, sqlite_writes_1.fireTimers)(sql, now, limit));
        },
        async nextTimerDeadline() {
            return read('nextTimerDeadline', () => sql.nextTimerDeadline.get()?.at ?? undefined);
        },
        async claimEffects({ now, limit, leaseMs, owner }) {
            if (closed)
                throw closedError();
            // Nothing to claim costs a walk of the index, no statement and no transaction.
            const chosen = outbox.claimable(now, limit);
            if (chosen.length === 0)
                return [];
            const until = now + leaseMs;
            outbox.lease(chosen, owner, until);
            try {
                return await write('claimEffects', () => (0, sqlite_writes_1.leaseChosenEffects)(sql, chosen, owner, until));
            }
            catch (e) {
                outbox.unlease(chosen.filter((x) => x.owner === owner && x.leaseUntil === until));
                throw e;
            }
        },
        async settleEffect(seq, outcome, now, owner) {
            const changed = await write('settleEffect', () => (0, sqlite_writes_1.settleEffectRow)(sql, seq, outcome, now, owner));
            if (!changed)
                return;
            if (outcome.status === 'retry') {
                const e = outbox.get(seq);
                if (e) {
                    outbox.unlease([e]);
                    e.availableAt = outcome.availableAt;
                    // Its attempts and error changed: a claim reads the row again.
                    delete e.row;
                }
            }
            else
                outbox.remove(seq);
        },
        async extendEffectClaims(seqs, owner, leaseUntil) {
            if (seqs.length === 0)
                return [];
            // One statement for the whole heartbeat, whatever the number of claims.
            const kept = await write('extendEffectClaims', () => {
                const extended = new Set(leases.extendClaims.all(leaseUntil, owner, JSON.stringify(seqs)).map((r) => r.seq));
                return seqs.filter((seq) => extended.has(seq));
            });
            for (const seq of kept) {
                const e = outbox.get(seq);
                if (e)
                    e.leaseUntil = leaseUntil;
            }
            return kept;
        },
        async releaseEffects(seqs, owner) {
            if (seqs.length === 0)
                return;
            const released = await write('releaseEffects', () => seqs.filter((seq) => leases.releaseClaim.run(seq, owner).changes > 0));
            for (const seq of released) {
                const e = outbox.get(seq);
                if (e)
                    outbox.unlease([e]);
            }
        },
        async nextEffectAvailableAt() {
            return read('nextEffectAvailableAt', () => outbox.nextAvailableAt());
        },
        async deadLetters(limit) {
            return read('deadLetters', () => sql.deadLetters
                .all(limit)
                .map((row) => ({ ...(0, sqlite_rows_1.toOutboxEffect)(row), error: row.error ?? '' })));
        },
        async getPortal(memberId) {
            return read('getPortal', () => (0, json_column_1.decodeJson)(sql.getPortal.get(memberId)?.record));
        },
        async savePortal(record) {
            const text = (0, json_column_1.encodeJson)(record, 'Portal record');
            await write('savePortal', () => sql.savePortal.run(record.memberId, text));
        },
        async deletePortal(memberId) {
            await write('deletePortal', () => sql.deletePortal.run(memberId));
        },
        async listPortals() {
            return read('listPortals', () => sql.listPortals.all().map((r) => JSON.parse(r.record)));
        },
        async reserveRate(key, options) {
            return read('reserveRate', () => local.reserveRate(key, options));
        },
        async saturateRate(key, options) {
            read('saturateRate', () => local.saturateRate(key, options));
        },
        async acquireLock(name, owner, leaseMs, now) {
            return read('acquireLock', () => local.acquireLock(name, owner, leaseMs, now));
        },
        async releaseLock(name, owner) {
            read('releaseLock', () => local.releaseLock(name, owner));
        },
        async getOffset(key) {
            return read('getOffset', () => sql.getOffset.get(key)?.value);
        },
        async purgeExpired(now) {
            return write('purgeExpired', () => sql.purgeDedupe.run(now).changes);
        },
        async stats() {
            return read('stats', () => {
                const s = sql.stats.get();
                return {
                    dialogs: s.dialogs,
                    inboxDepth: s.inbox,
                    outboxDepth: s.outbox,
                    deadLetters: s.dead,
                    timersPending: s.timers,
                    ...(s.oldest !== null ? { oldestInboxAt: s.oldest } : {}),
                };
            });
        },
        async ping() {
            read('ping', () => sql.ping.get());
        },
        async appendHistory(dialogKey, w, now) {
            const history = (0, store_rules_1.encodeHistoryWrite)(w, now);
            await write('appendHistory', () => (0, sqlite_history_1.writeHistory)(hsql, dialogKey, history));
        },
        async readHistory(dialogKey, options = {}) {
            return read('readHistory', () => (0, sqlite_history_1.readHistoryRows)(hsql, dialogKey, options.limit));
        },
        async listDialogs({ limit }) {
            return read('listDialogs', () => (0, sqlite_history_1.listDialogRows)(hsql, sql, limit));
        },
        async dialogEffects(dialogKey) {
            return read('dialogEffects', () => (0, sqlite_history_1.dialogEffectRows)(hsql, dialogKey));
        },
        async requeueDeadLetter(seq, now) {
            const row = await write('requeueDeadLetter', () => hsql.requeue.run(now, seq).changes > 0 ? sql.outboxRow.get(seq) : undefined);
            if (!row)
                return false;
            outbox.add({ seq, dialogKey: row.dialog_key, availableAt: row.available_at, row });
            return true;
        },
        async close() {
            if (closed)
                return;
            closed = true;
            try {
                // Writes already accepted into the queue are committed, not dropped.
                queue.flush();
            }
            finally {
                db.close();
                lock?.release();
            }
        },
    };
}
/** Opens the file with the store's settings and brings its schema up to date. */
function inboxItemOf(row) {
    const item = {
        seq: row.seq,
        dialogKey: row.dialog_key,
        payload: (0, json_column_1.decodeJson)(row.payload),
        receivedAt: row.received_at,
    };
    if (row.dedupe_key !== null)
        item.dedupeKey = row.dedupe_key;
    return item;
}
function openDatabase(path, options) {
    let db;
    let lock;
    try {
        const onDisk = path !== ':memory:' && path !== '';
        if (onDisk) {
            (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(path), { recursive: true });
            lock = (0, sqlite_file_lock_1.lockSqliteFile)(path);
        }
        db = new better_sqlite3_1.default(path, { timeout: options.busyTimeoutMs ?? 5000 });
        db.pragma('journal_mode = WAL');
        db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
        // A REPLACE that removes a row must fire its DELETE trigger, or the backlog counters drift.
        db.pragma('recursive_triggers = ON');
        (0, sqlite_schema_1.migrate)(db);
        releasePreviousLeases(db);
        if ((0, sqlite_counters_1.countingWanted)(options.countStatements))
            (0, sqlite_counters_1.countStatementsOf)(db);
        return { db, sql: (0, sqlite_statements_1.prepareStatements)(db), lock };
    }
    catch (cause) {
        db?.close();
        lock?.release();
        if ((0, store_error_1.isStoreError)(cause))
            throw cause;
        throw new store_error_1.StoreError(`Cannot open the SQLite store at ${path}: ${cause.message}`, {
            cause,
        });
    }
}
/**
 * With the file lock held, every lease in the file belongs to a process that is gone: its dialogs
 * become free and its claimed effects pending again (their attempts unchanged: whether they were
 * sent is unknown, and sending again is what a crash costs).
 */
function releasePreviousLeases(db) {
    db.transaction(() => {
        db.prepare('UPDATE dialogs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL').run();
        db.prepare('DELETE FROM dialogs WHERE revision = 0 AND lease_owner IS NULL').run();
        db.prepare("UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE status = 'inflight'").run();
    }).immediate();
}
