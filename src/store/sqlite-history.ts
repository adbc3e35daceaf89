/**
 * The SQLite store's dialog histories and inspection queries (the inspector's reads, the
 * operator's requeue). Kept apart from the hot-path statements of sqlite-statements.ts.
 */
import type Database from 'better-sqlite3';
import { decodeJson } from './json-column';
import { readDialog, toOutboxEffect } from './sqlite-rows';
import type { OutboxRowSql, SqliteStatements, Statement } from './sqlite-statements';
import type {
  DialogKey,
  DialogRecord,
  DialogSummary,
  HistoryEntry,
  HistoryKind,
  InspectedEffect,
} from './store';
import type { EncodedHistoryWrite } from './store-rules';

interface HistoryRowSql {
  id: number;
  at: number;
  kind: string;
  data: string;
}

/** Prepares the history and inspection statements on `db` (after the schema is migrated). */
export function prepareHistoryStatements(db: Database.Database) {
  const prepare = <P extends unknown[] = [], R = unknown>(source: string): Statement<P, R> =>
    db.prepare<P, R>(source);
  return {
    /** An INSERT of `rows` entries at once (prepared on first use, then cached). */
    prepareInsert: (rows: number): Statement<unknown[], unknown> =>
      prepare<unknown[]>(
        `INSERT INTO history (dialog_key, at, kind, data) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ')}`,
      ),
    insert: prepare<[string, number, string, string]>(
      'INSERT INTO history (dialog_key, at, kind, data) VALUES (?, ?, ?, ?)',
    ),
    // Everything up to the (maxEntries + 1)-th newest entry goes.
    trimCount: prepare<[string, string, number]>(
      `DELETE FROM history WHERE dialog_key = ? AND id <= (
         SELECT id FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    ),
    trimAge: prepare<[string, number]>('DELETE FROM history WHERE dialog_key = ? AND at < ?'),
    // Both limits in one statement (the per-turn path): older than the cutoff, or beyond the count.
    trimBoth: prepare<[string, number, string, number]>(
      `DELETE FROM history WHERE dialog_key = ? AND (at < ? OR id <= (
         SELECT id FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?))`,
    ),
    readAll: prepare<[string], HistoryRowSql>(
      'SELECT id, at, kind, data FROM history WHERE dialog_key = ? ORDER BY id',
    ),
    readLast: prepare<[string, number], HistoryRowSql>(
      `SELECT * FROM (SELECT id, at, kind, data FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT ?)
       ORDER BY id`,
    ),
    recentDialogs: prepare<[number], { dialog_key: string }>(
      'SELECT dialog_key FROM dialogs WHERE revision > 0 ORDER BY updated_at DESC, dialog_key LIMIT ?',
    ),
    dialogEffects: prepare<[string], OutboxRowSql & { status: InspectedEffect['status'] }>(
      `SELECT seq, dialog_key, portal_id, effect, meta, attempts, available_at, created_at, error, status
       FROM outbox WHERE dialog_key = ? ORDER BY seq`,
    ),
    dialogCounts: prepare<[string], { depth: number; dead: number }>(
      `SELECT COALESCE(SUM(status <> 'dead'), 0) AS depth, COALESCE(SUM(status = 'dead'), 0) AS dead
       FROM outbox WHERE dialog_key = ?`,
    ),
    requeue: prepare<[number, number]>(
      "UPDATE outbox SET status = 'pending', attempts = 0, available_at = ?, lease_owner = NULL, lease_until = NULL WHERE seq = ? AND status = 'dead'",
    ),
  };
}

export type SqliteHistoryStatements = ReturnType<typeof prepareHistoryStatements>;

/** Appends and trims; runs inside the caller's transaction (the turn's commit, or its own). */
export function writeHistory(
  h: SqliteHistoryStatements,
  dialogKey: DialogKey,
  w: EncodedHistoryWrite,
): void {
  insertEntries(h, dialogKey, w.entries);
  if (w.cutoff === undefined) h.trimCount.run(dialogKey, dialogKey, w.maxEntries);
  else h.trimBoth.run(dialogKey, w.cutoff, dialogKey, w.maxEntries);
}

/** Rows per multi-row INSERT (a turn writes a handful of entries). */
const INSERT_ROWS = 8;
const multiInserts = new WeakMap<
  SqliteHistoryStatements,
  Map<number, Statement<unknown[], unknown>>
>();

/** Inserts the entries with one statement per {@link INSERT_ROWS} of them. */
function insertEntries(
  h: SqliteHistoryStatements,
  dialogKey: DialogKey,
  entries: EncodedHistoryWrite['entries'],
): void {
  for (let start = 0; start < entries.length; start += INSERT_ROWS) {
    const chunk = entries.slice(start, start + INSERT_ROWS);
    if (chunk.length === 1) {
      const e = chunk[0] as (typeof chunk)[number];
      h.insert.run(dialogKey, e.at, e.kind, e.data);
      continue;
    }
    let cache = multiInserts.get(h);
    if (!cache) multiInserts.set(h, (cache = new Map()));
    let statement = cache.get(chunk.length);
    if (!statement) {
      statement = h.prepareInsert(chunk.length);
      cache.set(chunk.length, statement);
    }
    statement.run(...chunk.flatMap((e) => [dialogKey, e.at, e.kind, e.data]));
  }
}

export function readHistoryRows(
  h: SqliteHistoryStatements,
  dialogKey: DialogKey,
  limit: number | undefined,
): HistoryEntry[] {
  const rows =
    limit === undefined ? h.readAll.all(dialogKey) : h.readLast.all(dialogKey, Math.max(0, limit));
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    kind: r.kind as HistoryKind,
    data: decodeJson(r.data),
  }));
}

export function listDialogRows(
  h: SqliteHistoryStatements,
  sql: SqliteStatements,
  limit: number,
): DialogSummary[] {
  const out: DialogSummary[] = [];
  for (const { dialog_key: key } of h.recentDialogs.all(Math.max(0, limit))) {
    const record: DialogRecord | undefined = readDialog(sql, key);
    if (!record) continue;
    const counts = h.dialogCounts.get(key) ?? { depth: 0, dead: 0 };
    out.push({ ...record, outboxDepth: counts.depth, deadLetters: counts.dead });
  }
  return out;
}

export function dialogEffectRows(
  h: SqliteHistoryStatements,
  dialogKey: DialogKey,
): InspectedEffect[] {
  return h.dialogEffects.all(dialogKey).map((row) => ({
    ...toOutboxEffect(row),
    status: row.status,
    ...(row.error === null ? {} : { error: row.error }),
  }));
}
