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

/** A dialog's visible history: what the retention of its newest row keeps (see `writeHistory`). */
const VISIBLE = `
  SELECT id, at, kind, data FROM (
    SELECT id, at, kind, data FROM history WHERE dialog_key = @key ORDER BY id DESC
    LIMIT COALESCE((SELECT keep_n FROM history WHERE dialog_key = @key ORDER BY id DESC LIMIT 1), -1))
  WHERE at >= COALESCE((SELECT cutoff FROM history WHERE dialog_key = @key ORDER BY id DESC LIMIT 1), -9e18)
  ORDER BY id DESC LIMIT @limit`;

/** The retention the history rows were written with since they were last made exact (see `writeHistory`). */
interface RetentionState {
  /** The smallest `maxEntries` written. */
  keep: number;
  /** The smallest `maxAgeMs` written; `null`: none had an age limit. */
  maxAge: number | null;
}

const RETENTION_KEY = 'history_retention';

/** Prepares the history and inspection statements on `db` (after the schema is migrated). */
export function prepareHistoryStatements(db: Database.Database) {
  const prepare = <P extends unknown[] = [], R = unknown>(source: string): Statement<P, R> =>
    db.prepare<P, R>(source);
  const getRetention = prepare<[], { value: string }>(
    `SELECT value FROM meta WHERE key = '${RETENTION_KEY}'`,
  );
  const loadRetention = (): RetentionState | undefined => {
    const text = getRetention.get()?.value;
    return text === undefined ? undefined : (JSON.parse(text) as RetentionState);
  };
  return {
    /** An INSERT of `rows` entries at once (prepared on first use, then cached). */
    prepareInsert: (rows: number): Statement<unknown[], unknown> =>
      prepare<unknown[]>(
        `INSERT INTO history (dialog_key, at, kind, data, keep_n, cutoff) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      ),
    insert: prepare<[string, number, string, string, number, number | null]>(
      'INSERT INTO history (dialog_key, at, kind, data, keep_n, cutoff) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    // Everything up to the (maxEntries + 1)-th newest entry goes.
    trimCount: prepare<[string, string, number]>(
      `DELETE FROM history WHERE dialog_key = ? AND id <= (
         SELECT id FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    ),
    // Both limits in one statement: older than the cutoff, or beyond the count.
    trimBoth: prepare<[string, number, string, number]>(
      `DELETE FROM history WHERE dialog_key = ? AND (at < ? OR id <= (
         SELECT id FROM history WHERE dialog_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?))`,
    ),
    // Deletes, in every dialog, the rows its newest row's retention does not keep: afterwards
    // every row is visible, whatever retention the next write brings.
    materialize: prepare(
      `DELETE FROM history WHERE id IN (
         SELECT id FROM (
           SELECT id, at, ROW_NUMBER() OVER w AS rn, FIRST_VALUE(keep_n) OVER w AS k,
             FIRST_VALUE(cutoff) OVER w AS c
           FROM history WINDOW w AS (PARTITION BY dialog_key ORDER BY id DESC))
         WHERE (k IS NOT NULL AND rn > k) OR (c IS NOT NULL AND at < c))`,
    ),
    setRetention: prepare<[string]>(
      `INSERT INTO meta (key, value) VALUES ('${RETENTION_KEY}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    /** The retention bookkeeping (a copy of the meta row, and the largest cutoff written). */
    retention: { state: loadRetention(), lastCutoff: undefined as number | undefined },
    /** Reads the bookkeeping again (after a rolled-back transaction, which may have changed it). */
    loadRetention,
    readVisible: prepare<[{ key: string; limit: number }], HistoryRowSql>(VISIBLE),
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

/** On average, one write in this many also deletes its dialog's rows beyond the retention. */
export const TRIM_EVERY = 16;

/** Deletes the dialog's rows beyond the write's retention. */
function trim(h: SqliteHistoryStatements, dialogKey: DialogKey, w: EncodedHistoryWrite): void {
  if (w.cutoff === undefined) h.trimCount.run(dialogKey, dialogKey, w.maxEntries);
  else h.trimBoth.run(dialogKey, w.cutoff, dialogKey, w.maxEntries);
}

/** The bookkeeping a write brings: a looser retention (delete what was hidden first), or a tighter one to record. */
function retentionChange(
  h: SqliteHistoryStatements,
  w: EncodedHistoryWrite,
): { looser: boolean; next: RetentionState } | undefined {
  const cur = h.retention.state;
  const age = w.maxAgeMs ?? null;
  const looser =
    cur !== undefined &&
    (w.maxEntries > cur.keep ||
      (age === null ? cur.maxAge !== null : cur.maxAge !== null && age > cur.maxAge));
  if (looser) return { looser, next: { keep: w.maxEntries, maxAge: age } };
  if (
    cur === undefined ||
    w.maxEntries < cur.keep ||
    (age !== null && (cur.maxAge === null || age < cur.maxAge))
  )
    return {
      looser,
      next: {
        keep: Math.min(w.maxEntries, cur?.keep ?? Infinity),
        maxAge: age === null ? (cur?.maxAge ?? null) : Math.min(age, cur?.maxAge ?? Infinity),
      },
    };
  return undefined;
}

/**
 * Keeps the rows' recorded retentions monotone (each write no looser than the earlier ones), which
 * is what makes the newest row's retention decide alone what a dialog shows. A looser write (more
 * entries, a longer or no age limit) first deletes what the earlier ones hid. The cutoff recorded
 * is the latest one written so far (concurrent writes bring their `now`s in any order).
 */
function checkRetention(h: SqliteHistoryStatements, w: EncodedHistoryWrite): void {
  const r = h.retention;
  const change = retentionChange(h, w);
  if (change) {
    if (change.looser) {
      h.materialize.run();
      r.lastCutoff = undefined;
    }
    h.setRetention.run(JSON.stringify(change.next));
    r.state = change.next;
  }
  if (w.cutoff !== undefined) r.lastCutoff = Math.max(r.lastCutoff ?? -Infinity, w.cutoff);
}

/** Whether this write deletes its dialog's rows beyond the retention (one in {@link TRIM_EVERY}). */
export const trimThisTime = (): boolean => Math.random() * TRIM_EVERY < 1;

/**
 * Appends; runs inside the caller's transaction (the turn's commit, or its own). Each row records
 * the write's retention, and reads show only what the newest row's retention keeps, exactly what a
 * trim after every write would have left. The rows beyond it are deleted by one write in
 * {@link TRIM_EVERY} on average, so the DELETE is not paid on every write.
 */
export function writeHistory(
  h: SqliteHistoryStatements,
  dialogKey: DialogKey,
  w: EncodedHistoryWrite,
  trimNow = trimThisTime(),
): void {
  if (w.entries.length === 0) {
    trim(h, dialogKey, w);
    return;
  }
  checkRetention(h, w);
  insertRows(
    h,
    w.entries.map((e) => ({ dialogKey, e, w })),
  );
  if (trimNow) trim(h, dialogKey, w);
}

/** One history write of {@link writeHistories}, with its trim decided when it was queued. */
export interface QueuedHistoryWrite {
  dialogKey: DialogKey;
  w: EncodedHistoryWrite;
  trimNow: boolean;
}

/** Whether {@link writeHistories} can write these with one multi-row INSERT and nothing else. */
export function historiesAreOneInsert(
  h: SqliteHistoryStatements,
  writes: readonly QueuedHistoryWrite[],
): boolean {
  let rows = 0;
  for (const q of writes) {
    if (q.trimNow || q.w.entries.length === 0 || retentionChange(h, q.w)) return false;
    rows += q.w.entries.length;
  }
  return rows <= INSERT_ROWS;
}

/**
 * Several history writes (of several dialogs) at once: their rows in multi-row INSERTs, in the
 * order of the writes. A write that changes the retention bookkeeping makes them go one by one.
 */
export function writeHistories(
  h: SqliteHistoryStatements,
  writes: readonly QueuedHistoryWrite[],
): void {
  if (writes.some((q) => q.w.entries.length === 0 || retentionChange(h, q.w))) {
    for (const q of writes) writeHistory(h, q.dialogKey, q.w, q.trimNow);
    return;
  }
  for (const q of writes) checkRetention(h, q.w);
  insertRows(
    h,
    writes.flatMap((q) => q.w.entries.map((e) => ({ dialogKey: q.dialogKey, e, w: q.w }))),
  );
  for (const q of writes) if (q.trimNow) trim(h, q.dialogKey, q.w);
}

/** Rows per multi-row INSERT (a group's writes go together). */
const INSERT_ROWS = 32;
const multiInserts = new WeakMap<
  SqliteHistoryStatements,
  Map<number, Statement<unknown[], unknown>>
>();

type Row = {
  dialogKey: DialogKey;
  e: EncodedHistoryWrite['entries'][number];
  w: EncodedHistoryWrite;
};
/** Inserts the rows in order, with one statement per {@link INSERT_ROWS} of them. */
function insertRows(h: SqliteHistoryStatements, rows: readonly Row[]): void {
  const latest = h.retention.lastCutoff ?? null;
  const paramsOf = (r: Row): unknown[] => [
    r.dialogKey,
    r.e.at,
    r.e.kind,
    r.e.data,
    r.w.maxEntries,
    r.w.cutoff === undefined ? null : latest,
  ];
  for (let start = 0; start < rows.length; start += INSERT_ROWS) {
    const chunk = rows.slice(start, start + INSERT_ROWS);
    if (chunk.length === 1) {
      h.insert.run(...(paramsOf(chunk[0] as Row) as Parameters<typeof h.insert.run>));
      continue;
    }
    let cache = multiInserts.get(h);
    if (!cache) multiInserts.set(h, (cache = new Map()));
    let statement = cache.get(chunk.length);
    if (!statement) {
      statement = h.prepareInsert(chunk.length);
      cache.set(chunk.length, statement);
    }
    statement.run(...chunk.flatMap(paramsOf));
  }
}

export function readHistoryRows(
  h: SqliteHistoryStatements,
  dialogKey: DialogKey,
  limit: number | undefined,
): HistoryEntry[] {
  const rows = h.readVisible.all({
    key: dialogKey,
    limit: limit === undefined ? -1 : Math.max(0, limit),
  });
  rows.reverse();
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
