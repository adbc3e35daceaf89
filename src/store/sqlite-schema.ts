/**
 * The SQLite schema, versioned. Each migration runs once, in its own transaction, and bumps
 * `meta.schema_version`; a database written by a newer version is refused rather than guessed at.
 */
import type Database from 'better-sqlite3';
import { StoreError } from './store-error';

/** Migration `i` brings the schema from version `i` to `i + 1`. Append only; never edit a shipped one. */
const MIGRATIONS: ReadonlyArray<string | ((db: Database.Database) => void)> = [
  `
  CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    dialog_key TEXT NOT NULL,
    dedupe_key TEXT,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS inbox_by_dialog ON inbox (dialog_key, seq);

  CREATE TABLE IF NOT EXISTS dedupe (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS dedupe_by_expiry ON dedupe (expires_at);

  CREATE TABLE IF NOT EXISTS dialogs (
    dialog_key TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    snapshot TEXT,
    bot_version TEXT NOT NULL,
    meta TEXT,
    updated_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER
  );

  CREATE TABLE IF NOT EXISTS timers (
    dialog_key TEXT NOT NULL,
    timer_key TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    event TEXT NOT NULL,
    meta TEXT,
    fired INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dialog_key, timer_key)
  );
  CREATE INDEX IF NOT EXISTS timers_by_due ON timers (fired, deadline);

  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    dialog_key TEXT NOT NULL,
    portal_id TEXT NOT NULL,
    effect TEXT NOT NULL,
    meta TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'inflight', 'dead')),
    lease_owner TEXT,
    lease_until INTEGER,
    error TEXT
  );
  CREATE INDEX IF NOT EXISTS outbox_by_dialog ON outbox (dialog_key, seq);
  CREATE INDEX IF NOT EXISTS outbox_by_available ON outbox (status, available_at);
  CREATE INDEX IF NOT EXISTS outbox_by_lease ON outbox (status, lease_until);

  CREATE TABLE IF NOT EXISTS portals (
    member_id TEXT PRIMARY KEY,
    record TEXT NOT NULL
  );

  CREATE TABLE IF NOT EXISTS offsets (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // Claims walk pending effects in seq order and stop at their limit (see `claimable`).
  `
  CREATE INDEX IF NOT EXISTS outbox_by_status ON outbox (status, seq);
  `,
  // Dialog histories (the inspector's transcripts), trimmed to their retention on every write.
  `
  CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dialog_key TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS history_by_dialog ON history (dialog_key, id);
  `,
  // Backlog counters maintained by triggers in the writing transaction, so that stats() (every
  // /metrics scrape) reads five rows instead of counting tables that grow with the dialogs.
  `
  CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT OR REPLACE INTO counters (name, value) VALUES
    ('live', (SELECT COUNT(*) FROM dialogs WHERE revision > 0 AND snapshot IS NOT NULL)),
    ('inbox', (SELECT COUNT(*) FROM inbox)),
    ('outbox', (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'inflight'))),
    ('dead', (SELECT COUNT(*) FROM outbox WHERE status = 'dead')),
    ('timers', (SELECT COUNT(*) FROM timers WHERE fired = 0));

  CREATE TRIGGER IF NOT EXISTS count_inbox_in AFTER INSERT ON inbox
  BEGIN UPDATE counters SET value = value + 1 WHERE name = 'inbox'; END;
  CREATE TRIGGER IF NOT EXISTS count_inbox_out AFTER DELETE ON inbox
  BEGIN UPDATE counters SET value = value - 1 WHERE name = 'inbox'; END;

  CREATE TRIGGER IF NOT EXISTS count_outbox_in AFTER INSERT ON outbox
  BEGIN UPDATE counters SET value = value + 1 WHERE name = CASE new.status WHEN 'dead' THEN 'dead' ELSE 'outbox' END; END;
  CREATE TRIGGER IF NOT EXISTS count_outbox_out AFTER DELETE ON outbox
  BEGIN UPDATE counters SET value = value - 1 WHERE name = CASE old.status WHEN 'dead' THEN 'dead' ELSE 'outbox' END; END;
  CREATE TRIGGER IF NOT EXISTS count_outbox_status AFTER UPDATE OF status ON outbox
  WHEN (old.status = 'dead') <> (new.status = 'dead')
  BEGIN
    UPDATE counters SET value = value + 1 WHERE name = CASE new.status WHEN 'dead' THEN 'dead' ELSE 'outbox' END;
    UPDATE counters SET value = value - 1 WHERE name = CASE old.status WHEN 'dead' THEN 'dead' ELSE 'outbox' END;
  END;

  CREATE TRIGGER IF NOT EXISTS count_timers_in AFTER INSERT ON timers WHEN new.fired = 0
  BEGIN UPDATE counters SET value = value + 1 WHERE name = 'timers'; END;
  CREATE TRIGGER IF NOT EXISTS count_timers_out AFTER DELETE ON timers WHEN old.fired = 0
  BEGIN UPDATE counters SET value = value - 1 WHERE name = 'timers'; END;
  CREATE TRIGGER IF NOT EXISTS count_timers_fired AFTER UPDATE OF fired ON timers
  WHEN (old.fired = 0) <> (new.fired = 0)
  BEGIN UPDATE counters SET value = value + CASE new.fired WHEN 0 THEN 1 ELSE -1 END WHERE name = 'timers'; END;

  CREATE TRIGGER IF NOT EXISTS count_live_in AFTER INSERT ON dialogs
  WHEN new.revision > 0 AND new.snapshot IS NOT NULL
  BEGIN UPDATE counters SET value = value + 1 WHERE name = 'live'; END;
  CREATE TRIGGER IF NOT EXISTS count_live_out AFTER DELETE ON dialogs
  WHEN old.revision > 0 AND old.snapshot IS NOT NULL
  BEGIN UPDATE counters SET value = value - 1 WHERE name = 'live'; END;
  CREATE TRIGGER IF NOT EXISTS count_live_change AFTER UPDATE OF revision, snapshot ON dialogs
  WHEN (old.revision > 0 AND old.snapshot IS NOT NULL) <> (new.revision > 0 AND new.snapshot IS NOT NULL)
  BEGIN
    UPDATE counters SET value = value + CASE WHEN new.revision > 0 AND new.snapshot IS NOT NULL THEN 1 ELSE -1 END
    WHERE name = 'live';
  END;
  `,
  // Each history row records the retention of the write that added it (entries kept, age cutoff).
  // Reads show what that retention keeps, so rows beyond it may be deleted later, in bulk, instead
  // of by one DELETE per write (see sqlite-history.ts).
  (db) => addColumns(db, 'history', { keep_n: 'INTEGER', cutoff: 'REAL' }),
  // Dedupe in one statement per item: a pending item's key is unique in the inbox (and carries
  // its expiry); a consumed item's key moves to the dedupe table, where it is remembered until then.
  (db) => {
    addColumns(db, 'inbox', { dedupe_expires: 'INTEGER' });
    db.exec(`
      UPDATE inbox SET dedupe_expires = (SELECT expires_at FROM dedupe WHERE key = inbox.dedupe_key)
      WHERE dedupe_key IS NOT NULL AND dedupe_expires IS NULL;
      UPDATE inbox SET dedupe_key = NULL WHERE dedupe_key IS NOT NULL
        AND seq > (SELECT MIN(seq) FROM inbox AS o WHERE o.dedupe_key = inbox.dedupe_key);
      CREATE UNIQUE INDEX IF NOT EXISTS inbox_by_dedupe ON inbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
      CREATE TRIGGER IF NOT EXISTS remember_dedupe AFTER DELETE ON inbox
      WHEN old.dedupe_key IS NOT NULL AND old.dedupe_expires IS NOT NULL
      BEGIN
        INSERT INTO dedupe (key, expires_at) VALUES (old.dedupe_key, old.dedupe_expires)
        ON CONFLICT (key) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at);
      END;
    `);
  },
  // A dialog's timer set lives in its row (JSON, ordered by deadline and key as loads return it),
  // with the earliest unfired deadline indexed and the unfired count kept for the counters, so a
  // turn that re-arms a timer writes nothing besides its dialog row. The timers table stays, empty
  // and unused: the earlier steps name it, and they must stay runnable.
  (db) => {
    addColumns(db, 'dialogs', {
      timers: 'TEXT',
      next_deadline: 'INTEGER',
      pending_timers: 'INTEGER NOT NULL DEFAULT 0',
    });
    db.exec(`
      CREATE INDEX IF NOT EXISTS dialogs_by_deadline ON dialogs (next_deadline)
        WHERE next_deadline IS NOT NULL;
      UPDATE dialogs SET
        timers = (
          SELECT json_group_array(
              CASE WHEN t.meta IS NULL
                THEN json_object('timerKey', t.timer_key, 'deadline', t.deadline,
                  'event', json(t.event), 'fired', json(CASE t.fired WHEN 0 THEN 'false' ELSE 'true' END))
                ELSE json_object('timerKey', t.timer_key, 'deadline', t.deadline,
                  'event', json(t.event), 'fired', json(CASE t.fired WHEN 0 THEN 'false' ELSE 'true' END),
                  'meta', json(t.meta))
              END ORDER BY t.deadline, t.timer_key)
          FROM timers AS t WHERE t.dialog_key = dialogs.dialog_key),
        next_deadline = (
          SELECT MIN(t.deadline) FROM timers AS t WHERE t.dialog_key = dialogs.dialog_key AND t.fired = 0),
        pending_timers = (
          SELECT COUNT(*) FROM timers AS t WHERE t.dialog_key = dialogs.dialog_key AND t.fired = 0)
      WHERE dialog_key IN (SELECT dialog_key FROM timers);
      DROP TRIGGER IF EXISTS count_timers_in;
      DROP TRIGGER IF EXISTS count_timers_out;
      DROP TRIGGER IF EXISTS count_timers_fired;
      DELETE FROM timers;
      CREATE TRIGGER IF NOT EXISTS count_timers_dialog_in AFTER INSERT ON dialogs
      WHEN new.pending_timers <> 0
      BEGIN UPDATE counters SET value = value + new.pending_timers WHERE name = 'timers'; END;
      CREATE TRIGGER IF NOT EXISTS count_timers_dialog_out AFTER DELETE ON dialogs
      WHEN old.pending_timers <> 0
      BEGIN UPDATE counters SET value = value - old.pending_timers WHERE name = 'timers'; END;
      CREATE TRIGGER IF NOT EXISTS count_timers_dialog_change AFTER UPDATE OF pending_timers ON dialogs
      WHEN old.pending_timers <> new.pending_timers
      BEGIN
        UPDATE counters SET value = value + new.pending_timers - old.pending_timers WHERE name = 'timers';
      END;
      INSERT OR REPLACE INTO counters (name, value)
        VALUES ('timers', (SELECT COALESCE(SUM(pending_timers), 0) FROM dialogs));
    `);
  },
  // The outbox index in memory (sqlite-outbox-index.ts) chooses claims and the next wake-up: the
  // status/time indexes only cost writes now. Dead letters keep a partial index for their list.
  `
  DROP INDEX IF EXISTS outbox_by_available;
  DROP INDEX IF EXISTS outbox_by_lease;
  DROP INDEX IF EXISTS outbox_by_status;
  CREATE INDEX IF NOT EXISTS outbox_dead ON outbox (seq) WHERE status = 'dead';
  `,
];

/** Adds the columns a table lacks (idempotent, like the `IF NOT EXISTS` of the other steps). */
function addColumns(db: Database.Database, table: string, columns: Record<string, string>): void {
  const have = new Set(
    db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
      .all()
      .map((c) => c.name),
  );
  for (const [name, type] of Object.entries(columns))
    if (!have.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Creates or upgrades the schema; throws a {@link StoreError} for a database from a newer version. */
export function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID',
  );
  const readVersion = db.prepare<[], { value: string }>(
    "SELECT value FROM meta WHERE key = 'schema_version'",
  );
  const writeVersion = db.prepare<[string]>(
    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const step = db.transaction((from: number) => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = Number(readVersion.get()?.value ?? 0);
    if (current !== from) return;
    const migration = MIGRATIONS[from] as (typeof MIGRATIONS)[number];
    if (typeof migration === 'string') db.exec(migration);
    else migration(db);
    writeVersion.run(String(from + 1));
  });
  // Bounded: each pass either returns, throws, or sees the version grow (here or in another process).
  for (let pass = 0; pass <= SCHEMA_VERSION * 2 + 1; pass++) {
    const current = Number(readVersion.get()?.value ?? 0);
    if (!Number.isInteger(current) || current > SCHEMA_VERSION) {
      throw new StoreError(
        `The database schema version is ${String(current)} but this openlines-bot supports up to ${SCHEMA_VERSION}; upgrade openlines-bot or use another store path`,
      );
    }
    if (current === SCHEMA_VERSION) return;
    step.immediate(current);
  }
  throw new StoreError('The database schema could not be brought up to date');
}
