"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.prepareHistoryStatements = prepareHistoryStatements;
exports.writeHistory = writeHistory;
exports.readHistoryRows = readHistoryRows;
exports.listDialogRows = listDialogRows;
exports.dialogEffectRows = dialogEffectRows;
const json_column_1 = require("./json-column");
const sqlite_rows_1 = require("./sqlite-rows");
/** Prepares the history and inspection statements on `db` (after the schema is migrated). */
function prepareHistoryStatements(db) {
    const prepare = (source) => db.prepare(source);
    return {
        /** An INSERT of `rows` entries at once (prepared on first use, then cached). */
        prepareInsert: (rows) => prepare(`INSERT INTO history (dialog_key, at, kind, data) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ')}`),
        insert: prepare('INSERT INTO history (dialog_key, at, kind, data) VALUES (?, ?, ?, ?)'),
        // Everything up to the (maxEntries + 1)-th newest entry goes.
        trimCount: prepare(`DELETE FROM history WHERE dialog_key = ? AND id <= (
         SELECT id FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`),
        trimAge: prepare('DELETE FROM history WHERE dialog_key = ? AND at < ?'),
        // Both limits in one statement (the per-turn path): older than the cutoff, or beyond the count.
        trimBoth: prepare(`DELETE FROM history WHERE dialog_key = ? AND (at < ? OR id <= (
         SELECT id FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?))`),
        readAll: prepare('SELECT id, at, kind, data FROM history WHERE dialog_key = ? ORDER BY id'),
        readLast: prepare(`SELECT * FROM (SELECT id, at, kind, data FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT ?)
       ORDER BY id`),
        recentDialogs: prepare('SELECT dialog_key FROM dialogs WHERE revision > 0 ORDER BY updated_at DESC, dialog_key LIMIT ?'),
        dialogEffects: prepare(`SELECT seq, dialog_key, portal_id, effect, meta, attempts, available_at, created_at, error, status
       FROM outbox WHERE dialog_key = ? ORDER BY seq`),
        dialogCounts: prepare(`SELECT COALESCE(SUM(status <> 'dead'), 0) AS depth, COALESCE(SUM(status = 'dead'), 0) AS dead
       FROM outbox WHERE dialog_key = ?`),
        requeue: prepare("UPDATE outbox SET status = 'pending', attempts = 0, available_at = ?, lease_owner = NULL, lease_until = NULL WHERE seq = ? AND status = 'dead'"),
    };
}
/** Appends and trims; runs inside the caller's transaction (the turn's commit, or its own). */
function writeHistory(h, dialogKey, w) {
    insertEntries(h, dialogKey, w.entries);
    if (w.cutoff === undefined)
        h.trimCount.run(dialogKey, dialogKey, w.maxEntries);
    else
        h.trimBoth.run(dialogKey, w.cutoff, dialogKey, w.maxEntries);
}
/** Rows per multi-row INSERT (a turn writes a handful of entries). */
const INSERT_ROWS = 8;
const multiInserts = new WeakMap();
/** Inserts the entries with one statement per {@link INSERT_ROWS} of them. */
function insertEntries(h, dialogKey, entries) {
    for (let start = 0; start < entries.length; start += INSERT_ROWS) {
        const chunk = entries.slice(start, start + INSERT_ROWS);
        if (chunk.length === 1) {
            const e = chunk[0];
            h.insert.run(dialogKey, e.at, e.kind, e.data);
            continue;
        }
        let cache = multiInserts.get(h);
        if (!cache)
            multiInserts.set(h, (cache = new Map()));
        let statement = cache.get(chunk.length);
        if (!statement) {
            statement = h.prepareInsert(chunk.length);
            cache.set(chunk.length, statement);
        }
        statement.run(...chunk.flatMap((e) => [dialogKey, e.at, e.kind, e.data]));
    }
}
function readHistoryRows(h, dialogKey, limit) {
    const rows = limit === undefined ? h.readAll.all(dialogKey) : h.readLast.all(dialogKey, Math.max(0, limit));
    return rows.map((r) => ({
        id: r.id,
        at: r.at,
        kind: r.kind,
        data: (0, json_column_1.decodeJson)(r.data),
    }));
}
function listDialogRows(h, sql, limit) {
    const out = [];
    for (const { dialog_key: key } of h.recentDialogs.all(Math.max(0, limit))) {
        const record = (0, sqlite_rows_1.readDialog)(sql, key);
        if (!record)
            continue;
        const counts = h.dialogCounts.get(key) ?? { depth: 0, dead: 0 };
        out.push({ ...record, outboxDepth: counts.depth, deadLetters: counts.dead });
    }
    return out;
}
function dialogEffectRows(h, dialogKey) {
    return h.dialogEffects.all(dialogKey).map((row) => ({
        ...(0, sqlite_rows_1.toOutboxEffect)(row),
        status: row.status,
        ...(row.error === null ? {} : { error: row.error }),
    }));
}
