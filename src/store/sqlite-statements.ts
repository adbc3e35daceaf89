/**
 * Every SQL statement of the SQLite store, prepared once per connection. The hot paths (the turn
 * read, firing timers, the next deadline) are index lookups, so the cost does not grow with the
 * number of idle dialogs; `test/store/sqlite-store.test.ts` checks the plans. Claims and the next
 * outbox wake-up are chosen in memory (sqlite-outbox-index.ts).
 */
import type Database from 'better-sqlite3';

export interface InboxRowSql {
  seq: number;
  dialog_key: string;
  dedupe_key: string | null;
  payload: string;
  received_at: number;
}

export interface DialogRowSql {
  revision: number;
  snapshot: string | null;
  bot_version: string;
  meta: string | null;
  updated_at: number;
}

/** A dialog row with its timer set (a JSON array of `TimerRecord`s, NULL when it never had one). */
export interface DialogTimersRowSql extends DialogRowSql {
  timers: string | null;
}

/** The row of `nextTurn`: the inbox item, and the dialog (NULLs when it has no record). */
export interface NextTurnRowSql
  extends InboxRowSql, Omit<DialogTimersRowSql, 'revision' | 'bot_version' | 'updated_at'> {
  more: number;
  revision: number | null;
  bot_version: string | null;
  updated_at: number | null;
}

/** A dialog with a due timer, for `fireDueTimers`. */
export interface DueDialogRowSql {
  dialog_key: string;
  timers: string;
}

export interface OutboxRowSql {
  seq: number;
  dialog_key: string;
  portal_id: string;
  effect: string;
  meta: string | null;
  attempts: number;
  available_at: number;
  created_at: number;
  error: string | null;
}

/** The parameters of a dialog write with its timer set (see `updateDialogTimers`). */
export interface DialogWrite {
  key: string;
  expected: number;
  snapshot: string | null;
  version: string;
  meta: string | null;
  now: number;
  /** The timer set as JSON (see sqlite-rows.ts), its earliest unfired deadline and unfired count. */
  timers: string;
  deadline: number | null;
  pending: number;
}

const OUTBOX_COLUMNS =
  'seq, dialog_key, portal_id, effect, meta, attempts, available_at, created_at, error';

/** An effect a settle may change: not a dead letter; with an owner, that owner's live claim. */
const SETTLEABLE =
  "status != 'dead' AND (@owner IS NULL OR (status = 'inflight' AND lease_owner = @owner))";

/** The SQL text of the queries whose plans must be index lookups (exported for the plan test). */
export const HOT_QUERIES = {
  nextInbox:
    'SELECT seq, dialog_key, dedupe_key, payload, received_at FROM inbox WHERE dialog_key = ? ORDER BY seq LIMIT 1',
  // The dialogs with a due timer, earliest first (`next_deadline`: the earliest unfired deadline).
  dueDialogs:
    'SELECT dialog_key, timers FROM dialogs WHERE next_deadline IS NOT NULL AND next_deadline <= ? ORDER BY next_deadline LIMIT ?',
  nextTimerDeadline: 'SELECT MIN(next_deadline) AS at FROM dialogs WHERE next_deadline IS NOT NULL',
  // The dialog with its timer set (kept in its row).
  loadDialog: `
    SELECT revision, snapshot, bot_version, meta, updated_at, timers
    FROM dialogs WHERE dialog_key = ? AND revision > 0`,
  // A turn's read: the dialog's oldest item, whether another one follows, and the dialog with its
  // timers (columns as in loadDialog; NULL when it has no record).
  nextTurn: `
    SELECT i.seq, i.dialog_key, i.dedupe_key, i.payload, i.received_at,
      EXISTS (SELECT 1 FROM inbox AS n WHERE n.dialog_key = i.dialog_key AND n.seq > i.seq) AS more,
      d.revision, d.snapshot, d.bot_version, d.meta, d.updated_at, d.timers
    FROM inbox AS i
    LEFT JOIN dialogs AS d ON d.dialog_key = i.dialog_key AND d.revision > 0
    WHERE i.seq = (SELECT MIN(seq) FROM inbox WHERE dialog_key = @key) AND i.dialog_key = @key`,
  // Every /metrics scrape and /healthz: maintained counters (see the schema's triggers) and the
  // first inbox row, all primary-key lookups, so the cost does not grow with the dialogs.
  stats: `SELECT
     (SELECT value FROM counters WHERE name = 'live') AS dialogs,
     (SELECT value FROM counters WHERE name = 'inbox') AS inbox,
     (SELECT value FROM counters WHERE name = 'outbox') AS outbox,
     (SELECT value FROM counters WHERE name = 'dead') AS dead,
     (SELECT value FROM counters WHERE name = 'timers') AS timers,
     (SELECT received_at FROM inbox WHERE seq = (SELECT MIN(seq) FROM inbox)) AS oldest`,
} as const;

/** The part of a better-sqlite3 statement the store uses (declared here so declarations can name it). */
export interface Statement<P extends unknown[], R> {
  run(...params: P): Database.RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** Prepares every statement of the store on `db`. */
export function prepareStatements(db: Database.Database) {
  const prepare = <P extends unknown[] = [], R = unknown>(source: string): Statement<P, R> =>
    db.prepare<P, R>(source);
  return {
    /** Prepares another statement on the same connection (multi-row INSERTs, cached by the caller). */
    prepareRaw: (source: string): Statement<unknown[], unknown> => prepare<unknown[]>(source),
    // -- inbox and dedupe --
    // Appends an item unless its dedupe key is a duplicate, in one statement: pending items' keys
    // are unique in the inbox, processed ones are in `dedupe` until they expire (a trigger moves a
    // key there when its item is consumed). `changes` is 1 when appended, 0 for a duplicate.
    insertItem: prepare<
      [
        {
          dialog: string;
          key: string | null;
          expires: number | null;
          payload: string;
          now: number;
        },
      ]
    >(
      `INSERT INTO inbox (dialog_key, dedupe_key, dedupe_expires, payload, received_at)
       SELECT @dialog, @key, @expires, @payload, @now
       WHERE @key IS NULL OR NOT EXISTS (SELECT 1 FROM dedupe WHERE key = @key AND expires_at > @now)
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
    ),
    upsertOffset: prepare<[string, number]>(
      'INSERT INTO offsets (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)',
    ),
    nextInbox: prepare<[string], InboxRowSql>(HOT_QUERIES.nextInbox),
    peekInbox: prepare<[string, number], InboxRowSql>(
      'SELECT seq, dialog_key, dedupe_key, payload, received_at FROM inbox WHERE dialog_key = ? ORDER BY seq LIMIT ?',
    ),
    pendingDialogs: prepare<[number], { dialog_key: string }>(
      'SELECT dialog_key FROM inbox GROUP BY dialog_key ORDER BY MIN(seq) LIMIT ?',
    ),
    deleteInbox: prepare<[number]>('DELETE FROM inbox WHERE seq = ?'),
    deleteDialogInbox: prepare<[number, string]>(
      'DELETE FROM inbox WHERE seq = ? AND dialog_key = ?',
    ),
    // An inline turn's commit (see commitInlineTurn): the dialog's oldest pending item, and whether
    // the event's dedupe key is pending or remembered, in one read (index lookups only).
    inlineCheck: prepare<
      [{ dialog: string; key: string | null; now: number }],
      { head: number | null; duplicate: number }
    >(
      `SELECT (SELECT MIN(seq) FROM inbox WHERE dialog_key = @dialog) AS head,
         @key IS NOT NULL AND (
           EXISTS (SELECT 1 FROM dedupe WHERE key = @key AND expires_at > @now)
           OR EXISTS (SELECT 1 FROM inbox WHERE dedupe_key = @key)) AS duplicate`,
    ),
    // What consuming an inbox item remembers (the remember_dedupe trigger), for an inline turn's event.
    rememberDedupe: prepare<[string, number]>(
      `INSERT INTO dedupe (key, expires_at) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
    ),
    // A pending item's key is guarded by the inbox itself, so an expired row can always go.
    purgeDedupe: prepare<[number]>('DELETE FROM dedupe WHERE expires_at <= ?'),

    // -- dialogs --
    loadDialog: prepare<[string], DialogTimersRowSql>(HOT_QUERIES.loadDialog),
    nextTurn: prepare<[{ key: string }], NextTurnRowSql>(HOT_QUERIES.nextTurn),
    // A turn whose timer set is unchanged leaves it as it is.
    updateDialog: prepare<[string | null, string, string | null, number, string, number]>(
      'UPDATE dialogs SET revision = revision + 1, snapshot = ?, bot_version = ?, meta = ?, updated_at = ? WHERE dialog_key = ? AND revision = ?',
    ),
    // A turn and its new timer set in one statement.
    updateDialogTimers: prepare<[DialogWrite]>(
      `UPDATE dialogs SET revision = revision + 1, snapshot = @snapshot, bot_version = @version,
         meta = @meta, updated_at = @now, timers = @timers, next_deadline = @deadline,
         pending_timers = @pending
       WHERE dialog_key = @key AND revision = @expected`,
    ),
    // A dialog's first commit (expected revision 0) in one statement: a new row, or the update of
    // a row still at revision 0; `changes` is 0 when the dialog already has a revision.
    createDialog: prepare<[Omit<DialogWrite, 'expected'>]>(
      `INSERT INTO dialogs (dialog_key, revision, snapshot, bot_version, meta, updated_at, timers,
         next_deadline, pending_timers)
       VALUES (@key, 1, @snapshot, @version, @meta, @now, @timers, @deadline, @pending)
       ON CONFLICT (dialog_key) DO UPDATE SET revision = 1, snapshot = excluded.snapshot,
         bot_version = excluded.bot_version, meta = excluded.meta, updated_at = excluded.updated_at,
         timers = excluded.timers, next_deadline = excluded.next_deadline,
         pending_timers = excluded.pending_timers
       WHERE dialogs.revision = 0`,
    ),

    // -- timers (kept in the dialog rows) --
    dueDialogs: prepare<[number, number], DueDialogRowSql>(HOT_QUERIES.dueDialogs),
    // Timers marked fired: the turn's revision stays (firing is not a turn).
    markFired: prepare<[string, number | null, number, string]>(
      'UPDATE dialogs SET timers = ?, next_deadline = ?, pending_timers = ? WHERE dialog_key = ?',
    ),
    nextTimerDeadline: prepare<[], { at: number | null }>(HOT_QUERIES.nextTimerDeadline),

    // -- outbox --
    leaseEffect: prepare<[string, number, number]>(
      "UPDATE outbox SET status = 'inflight', lease_owner = ?, lease_until = ? WHERE seq = ?",
    ),
    // Recording a claim the outbox index chose (sqlite-outbox-index.ts): seqs as a JSON array.
    leaseEffects: prepare<[string, number, string]>(
      "UPDATE outbox SET status = 'inflight', lease_owner = ?, lease_until = ? WHERE seq IN (SELECT value FROM json_each(?))",
    ),
    outboxRow: prepare<[number], OutboxRowSql>(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE seq = ?`,
    ),
    // Every unsettled effect, to build the outbox index on open.
    unsettledEffects: prepare<[], { seq: number; dialog_key: string; available_at: number }>(
      "SELECT seq, dialog_key, available_at FROM outbox WHERE status <> 'dead' ORDER BY seq",
    ),
    // Settling in one statement each: a dead letter stays as it is, and with an owner only that
    // owner's live claim is settled (fencing), so no status read comes first.
    settleSent: prepare<[{ seq: number; owner: string | null }]>(
      `DELETE FROM outbox WHERE seq = @seq AND ${SETTLEABLE}`,
    ),
    // The sent effects of one owner (a whole `batch` request) in one statement.
    settleSentMany: prepare<[{ seqs: string; owner: string | null }], { seq: number }>(
      `DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(@seqs)) AND ${SETTLEABLE}
       RETURNING seq`,
    ),
    settleRetry: prepare<[{ seq: number; owner: string | null; at: number; error: string }]>(
      `UPDATE outbox SET status = 'pending', attempts = attempts + 1, available_at = @at, error = @error,
       lease_owner = NULL, lease_until = NULL WHERE seq = @seq AND ${SETTLEABLE}`,
    ),
    // A retry that does not count as an attempt (the request never reached Bitrix24, e.g. a 503).
    settleRetryUncounted: prepare<
      [{ seq: number; owner: string | null; at: number; error: string }]
    >(
      `UPDATE outbox SET status = 'pending', available_at = @at, error = @error,
       lease_owner = NULL, lease_until = NULL WHERE seq = @seq AND ${SETTLEABLE}`,
    ),
    settleDead: prepare<[{ seq: number; owner: string | null; at: number; error: string }]>(
      `UPDATE outbox SET status = 'dead', attempts = attempts + 1, available_at = @at, error = @error,
       lease_owner = NULL, lease_until = NULL WHERE seq = @seq AND ${SETTLEABLE}`,
    ),
    deadLetters: prepare<[number], OutboxRowSql>(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE status = 'dead' ORDER BY seq LIMIT ?`,
    ),

    // -- portals and offsets --
    getPortal: prepare<[string], { record: string }>(
      'SELECT record FROM portals WHERE member_id = ?',
    ),
    savePortal: prepare<[string, string]>(
      'INSERT INTO portals (member_id, record) VALUES (?, ?) ON CONFLICT (member_id) DO UPDATE SET record = excluded.record',
    ),
    deletePortal: prepare<[string]>('DELETE FROM portals WHERE member_id = ?'),
    listPortals: prepare<[], { record: string }>('SELECT record FROM portals ORDER BY member_id'),
    getOffset: prepare<[string], { value: number }>('SELECT value FROM offsets WHERE key = ?'),

    // -- housekeeping --
    stats: prepare<
      [],
      {
        dialogs: number;
        inbox: number;
        outbox: number;
        dead: number;
        timers: number;
        oldest: number | null;
      }
    >(HOT_QUERIES.stats),
    ping: prepare<[], { one: number }>('SELECT 1 AS one'),
  };
}

/** The prepared statements of one connection. */
export type SqliteStatements = ReturnType<typeof prepareStatements>;
