/**
 * The SQLite store's lease statements added for takeover (orphan scan, claim heartbeat, release,
 * fenced settle). Kept apart from the hot-path statements of sqlite-statements.ts.
 */
import type Database from 'better-sqlite3';

export interface SqliteLeaseStatements {
  /** Dialogs with pending items, by their oldest seq above the cursor, with their lease. */
  pendingHeads: Database.Statement<
    [number, number],
    { dialog_key: string; head: number; lease_owner: string | null; lease_until: number | null }
  >;
  /** Extends several claims in one statement (seqs as a JSON array); returns the extended seqs. */
  extendClaims: Database.Statement<[number, string, string], { seq: number }>;
  releaseClaim: Database.Statement<[number, string]>;
}

export function prepareLeaseStatements(db: Database.Database): SqliteLeaseStatements {
  return {
    pendingHeads: db.prepare(
      `SELECT h.dialog_key AS dialog_key, h.head AS head, d.lease_owner AS lease_owner, d.lease_until AS lease_until
       FROM (SELECT dialog_key, MIN(seq) AS head FROM inbox GROUP BY dialog_key) AS h
       LEFT JOIN dialogs AS d ON d.dialog_key = h.dialog_key
       WHERE h.head > ? ORDER BY h.head LIMIT ?`,
    ),
    extendClaims: db.prepare(
      "UPDATE outbox SET lease_until = ? WHERE status = 'inflight' AND lease_owner = ? AND seq IN (SELECT value FROM json_each(?)) RETURNING seq",
    ),
    releaseClaim: db.prepare(
      "UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE seq = ? AND status = 'inflight' AND lease_owner = ?",
    ),
  };
}
