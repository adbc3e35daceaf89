"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HOT_QUERIES = void 0;
exports.prepareStatements = prepareStatements;
const OUTBOX_COLUMNS = 'seq, dialog_key, portal_id, effect, meta, attempts, available_at, created_at, error';
/** An effect a settle may change: not a dead letter; with an owner, that owner's live claim. */
const SETTLEABLE = "status != 'dead' AND (@owner IS NULL OR (status = 'inflight' AND lease_owner = @owner))";
/** The SQL text of the queries whose plans must be index lookups (exported for the plan test). */
exports.HOT_QUERIES = {
    nextInbox: 'SELECT seq, dialog_key, dedupe_key, payload, received_at FROM inbox WHERE dialog_key = ? ORDER BY seq LIMIT 1',
    dueTimers: 'SELECT dialog_key, timer_key, deadline, event, meta, fired FROM timers WHERE fired = 0 AND deadline <= ? ORDER BY deadline LIMIT ?',
    nextTimerDeadline: 'SELECT MIN(deadline) AS at FROM timers WHERE fired = 0',
    // The dialog and its timers in one statement (so from one snapshot, without a read transaction
    // around two): one row per timer, or one row with NULL timer columns.
    loadDialog: `
    SELECT d.revision, d.snapshot, d.bot_version, d.meta, d.updated_at,
      t.timer_key, t.deadline, t.event, t.meta AS timer_meta, t.fired
    FROM dialogs AS d LEFT JOIN timers AS t ON t.dialog_key = d.dialog_key
    WHERE d.dialog_key = ? AND d.revision > 0
    ORDER BY t.deadline, t.timer_key`,
    // Every /metrics scrape and /healthz: maintained counters (see the schema's triggers) and the
    // first inbox row, all primary-key lookups, so the cost does not grow with the dialogs.
    stats: `SELECT
     (SELECT value FROM counters WHERE name = 'live') AS dialogs,
     (SELECT value FROM counters WHERE name = 'inbox') AS inbox,
     (SELECT value FROM counters WHERE name = 'outbox') AS outbox,
     (SELECT value FROM counters WHERE name = 'dead') AS dead,
     (SELECT value FROM counters WHERE name = 'timers') AS timers,
     (SELECT received_at FROM inbox WHERE seq = (SELECT MIN(seq) FROM inbox)) AS oldest`,
};
/** Prepares every statement of the store on `db`. */
function prepareStatements(db) {
    const prepare = (source) => db.prepare(source);
    return {
        // -- inbox and dedupe --
        dedupeExpiry: prepare('SELECT expires_at FROM dedupe WHERE key = ?'),
        dedupePending: prepare('SELECT 1 AS one FROM inbox WHERE dedupe_key = ? LIMIT 1'),
        upsertDedupe: prepare('INSERT INTO dedupe (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at'),
        // Records a dedupe key unless it is a duplicate (pending, or processed and not expired), in one
        // statement: `changes` is 1 when recorded, 0 for a duplicate.
        claimDedupe: prepare(`INSERT INTO dedupe (key, expires_at) VALUES (@key, @expires)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
       WHERE dedupe.expires_at <= @now AND NOT EXISTS (SELECT 1 FROM inbox WHERE dedupe_key = excluded.key)`),
        insertInbox: prepare('INSERT INTO inbox (dialog_key, dedupe_key, payload, received_at) VALUES (?, ?, ?, ?)'),
        upsertOffset: prepare('INSERT INTO offsets (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)'),
        nextInbox: prepare(exports.HOT_QUERIES.nextInbox),
        peekInbox: prepare('SELECT seq, dialog_key, dedupe_key, payload, received_at FROM inbox WHERE dialog_key = ? ORDER BY seq LIMIT ?'),
        pendingDialogs: prepare('SELECT dialog_key FROM inbox GROUP BY dialog_key ORDER BY MIN(seq) LIMIT ?'),
        deleteInbox: prepare('DELETE FROM inbox WHERE seq = ?'),
        deleteDialogInbox: prepare('DELETE FROM inbox WHERE seq = ? AND dialog_key = ?'),
        purgeDedupe: prepare('DELETE FROM dedupe WHERE expires_at <= ? AND key NOT IN (SELECT dedupe_key FROM inbox WHERE dedupe_key IS NOT NULL)'),
        // -- dialogs --
        loadDialog: prepare(exports.HOT_QUERIES.loadDialog),
        updateDialog: prepare('UPDATE dialogs SET revision = revision + 1, snapshot = ?, bot_version = ?, meta = ?, updated_at = ? WHERE dialog_key = ? AND revision = ?'),
        insertDialog: prepare('INSERT INTO dialogs (dialog_key, revision, snapshot, bot_version, meta, updated_at) VALUES (?, 1, ?, ?, ?, ?) ON CONFLICT (dialog_key) DO NOTHING'),
        acquireDialog: prepare(`INSERT INTO dialogs (dialog_key, revision, snapshot, bot_version, updated_at, lease_owner, lease_until)
       VALUES (@key, 0, NULL, '', @now, @owner, @until)
       ON CONFLICT (dialog_key) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
       WHERE dialogs.lease_owner IS NULL OR dialogs.lease_owner = excluded.lease_owner OR dialogs.lease_until <= @now`),
        releaseDialog: prepare('UPDATE dialogs SET lease_owner = NULL, lease_until = NULL WHERE dialog_key = ? AND lease_owner = ?'),
        dropLeaseOnlyDialog: prepare('DELETE FROM dialogs WHERE dialog_key = ? AND revision = 0 AND lease_owner IS NULL'),
        // -- timers --
        deleteTimers: prepare('DELETE FROM timers WHERE dialog_key = ?'),
        insertTimer: prepare('INSERT OR REPLACE INTO timers (dialog_key, timer_key, deadline, event, meta, fired) VALUES (?, ?, ?, ?, ?, ?)'),
        dueTimers: prepare(exports.HOT_QUERIES.dueTimers),
        markFired: prepare('UPDATE timers SET fired = 1 WHERE dialog_key = ? AND timer_key = ?'),
        nextTimerDeadline: prepare(exports.HOT_QUERIES.nextTimerDeadline),
        // -- outbox --
        insertEffect: prepare("INSERT INTO outbox (dialog_key, portal_id, effect, meta, attempts, available_at, created_at, status) VALUES (?, ?, ?, ?, 0, ?, ?, 'pending')"),
        leaseEffect: prepare("UPDATE outbox SET status = 'inflight', lease_owner = ?, lease_until = ? WHERE seq = ?"),
        effectStatus: prepare('SELECT status FROM outbox WHERE seq = ?'),
        // Recording a claim the outbox index chose (sqlite-outbox-index.ts): seqs as a JSON array.
        leaseEffects: prepare("UPDATE outbox SET status = 'inflight', lease_owner = ?, lease_until = ? WHERE seq IN (SELECT value FROM json_each(?))"),
        outboxRow: prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE seq = ?`),
        // Every unsettled effect, to build the outbox index on open.
        unsettledEffects: prepare("SELECT seq, dialog_key, available_at FROM outbox WHERE status <> 'dead' ORDER BY seq"),
        // Settling in one statement each: a dead letter stays as it is, and with an owner only that
        // owner's live claim is settled (fencing), so no status read comes first.
        settleSent: prepare(`DELETE FROM outbox WHERE seq = @seq AND ${SETTLEABLE}`),
        settleRetry: prepare(`UPDATE outbox SET status = 'pending', attempts = attempts + 1, available_at = @at, error = @error,
       lease_owner = NULL, lease_until = NULL WHERE seq = @seq AND ${SETTLEABLE}`),
        // A retry that does not count as an attempt (the request never reached Bitrix24, e.g. a 503).
        settleRetryUncounted: prepare(`UPDATE outbox SET status = 'pending', available_at = @at, error = @error,
       lease_owner = NULL, lease_until = NULL WHERE seq = @seq AND ${SETTLEABLE}`),
        settleDead: prepare(`UPDATE outbox SET status = 'dead', attempts = attempts + 1, available_at = @at, error = @error,
       lease_owner = NULL, lease_until = NULL WHERE seq = @seq AND ${SETTLEABLE}`),
        deleteEffect: prepare('DELETE FROM outbox WHERE seq = ?'),
        retryEffect: prepare("UPDATE outbox SET status = 'pending', attempts = attempts + 1, available_at = ?, error = ?, lease_owner = NULL, lease_until = NULL WHERE seq = ?"),
        /** A retry that does not count toward the dead-letter limit (the portal's rate limit). */
        retryEffectUncounted: prepare("UPDATE outbox SET status = 'pending', available_at = ?, error = ?, lease_owner = NULL, lease_until = NULL WHERE seq = ?"),
        killEffect: prepare("UPDATE outbox SET status = 'dead', attempts = attempts + 1, available_at = ?, error = ?, lease_owner = NULL, lease_until = NULL WHERE seq = ?"),
        deadLetters: prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE status = 'dead' ORDER BY seq LIMIT ?`),
        // -- portals and offsets --
        getPortal: prepare('SELECT record FROM portals WHERE member_id = ?'),
        savePortal: prepare('INSERT INTO portals (member_id, record) VALUES (?, ?) ON CONFLICT (member_id) DO UPDATE SET record = excluded.record'),
        deletePortal: prepare('DELETE FROM portals WHERE member_id = ?'),
        listPortals: prepare('SELECT record FROM portals ORDER BY member_id'),
        getOffset: prepare('SELECT value FROM offsets WHERE key = ?'),
        // -- housekeeping --
        stats: prepare(exports.HOT_QUERIES.stats),
        ping: prepare('SELECT 1 AS one'),
    };
}
