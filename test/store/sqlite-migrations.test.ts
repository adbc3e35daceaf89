/**
 * Files written by a previous schema open and keep their guarantees: the inbox dedupe, which
 * moved from a separate write per item into the inbox row itself, and the durable timers, which
 * moved from a table of their own into their dialog's row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema';
import { sqliteStore } from '../../src/store/sqlite-store';
import { T0, timer, turn } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite schema upgrade: dedupe in the inbox row', () => {
  it('keeps pending and processed keys of a previous-schema file duplicates, and forgets them when they expire', async () => {
    const path = join(dir, 'old.db');
    await sqliteStore({ path }).close();
    const db = new Database(path);
    // Version 5: the schema before the dedupe step (the later steps run again, harmlessly).
    db.exec(`
      DROP TRIGGER remember_dedupe;
      DROP INDEX inbox_by_dedupe;
      ALTER TABLE inbox DROP COLUMN dedupe_expires;
      UPDATE meta SET value = '5' WHERE key = 'schema_version';
    `);
    // As the previous version wrote them: every key in the dedupe table, pending ones in the inbox too.
    const item = db.prepare(
      'INSERT INTO inbox (dialog_key, dedupe_key, payload, received_at) VALUES (?, ?, ?, ?)',
    );
    const key = db.prepare('INSERT INTO dedupe (key, expires_at) VALUES (?, ?)');
    item.run('a', 'pending', '"p"', T0);
    key.run('pending', T0 + 1000);
    key.run('processed', T0 + 1000);
    db.close();

    const store = sqliteStore({ path });
    const append = (k: string, now: number) =>
      store.appendInbox([{ dialogKey: 'a', dedupeKey: k, payload: k }], { now });
    expect((await append('pending', T0 + 10))[0]?.status).toBe('duplicate');
    expect((await append('processed', T0 + 10))[0]?.status).toBe('duplicate');
    // Consumed, the pending key is remembered until its expiry, then accepted again.
    const head = await store.nextInbox('a');
    expect(head?.dedupeKey).toBe('pending');
    await store.discardInbox(head!.seq);
    expect((await append('pending', T0 + 20))[0]?.status).toBe('duplicate');
    expect((await append('pending', T0 + 2000))[0]?.status).toBe('accepted');
    expect((await append('processed', T0 + 2000))[0]?.status).toBe('accepted');
    // And a key accepted now is a duplicate while it waits, and after it was consumed.
    expect((await append('new', T0 + 2000))[0]?.status).toBe('accepted');
    expect((await append('new', T0 + 2001))[0]?.status).toBe('duplicate');
    await store.close();
  });
});

/** Timer keys that UTF-16 and UTF-8 (SQLite's BINARY collation) order differently. */
const HIGH_BMP = '\uffff';
const ASTRAL = '\u{10000}';

describe('SQLite schema upgrade: timers in the dialog row', () => {
  it('moves the armed and fired timers of a previous-schema file into their dialogs: loaded as before, fired once, counted', async () => {
    const path = join(dir, 'timers.db');
    await sqliteStore({ path }).close();
    const db = new Database(path);
    // Back to version 6, as the previous openlines-bot left the file: timers in their own table,
    // counted by triggers on it.
    db.exec(`
      DROP TRIGGER count_timers_dialog_in;
      DROP TRIGGER count_timers_dialog_out;
      DROP TRIGGER count_timers_dialog_change;
      DROP INDEX dialogs_by_deadline;
      ALTER TABLE dialogs DROP COLUMN timers;
      ALTER TABLE dialogs DROP COLUMN next_deadline;
      ALTER TABLE dialogs DROP COLUMN pending_timers;
      CREATE TRIGGER count_timers_in AFTER INSERT ON timers WHEN new.fired = 0
      BEGIN UPDATE counters SET value = value + 1 WHERE name = 'timers'; END;
      CREATE TRIGGER count_timers_out AFTER DELETE ON timers WHEN old.fired = 0
      BEGIN UPDATE counters SET value = value - 1 WHERE name = 'timers'; END;
      CREATE TRIGGER count_timers_fired AFTER UPDATE OF fired ON timers
      WHEN (old.fired = 0) <> (new.fired = 0)
      BEGIN UPDATE counters SET value = value + CASE new.fired WHEN 0 THEN 1 ELSE -1 END WHERE name = 'timers'; END;
      UPDATE meta SET value = '6' WHERE key = 'schema_version';
    `);
    const dialog = db.prepare(
      `INSERT INTO dialogs (dialog_key, revision, snapshot, bot_version, meta, updated_at)
       VALUES (?, 3, '{"value":"waiting"}', '1', NULL, ${T0})`,
    );
    const row = db.prepare(
      'INSERT INTO timers (dialog_key, timer_key, deadline, event, meta, fired) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const key of ['a', 'b', 'c']) dialog.run(key);
    row.run('a', 'late', T0 + 5000, '{"type":"late"}', null, 0);
    row.run('a', 'idle', T0 + 1000, '{"type":"idle"}', '{"actor":"x","n":[1,null]}', 0);
    row.run('a', 'done', T0 + 10, '{"type":"done"}', 'null', 1);
    row.run('b', 'idle', T0 + 2000, '{"type":"idle"}', null, 0);
    row.run('b', ASTRAL, T0 + 9000, '"astral"', null, 0);
    row.run('b', HIGH_BMP, T0 + 9000, '"high"', null, 0);
    expect(db.prepare("SELECT value FROM counters WHERE name = 'timers'").get()).toEqual({
      value: 5,
    });
    db.close();

    const store = sqliteStore({ path });
    try {
      expect((await store.loadDialog('a'))?.timers).toEqual([
        { timerKey: 'done', deadline: T0 + 10, event: { type: 'done' }, meta: null, fired: true },
        {
          timerKey: 'idle',
          deadline: T0 + 1000,
          event: { type: 'idle' },
          meta: { actor: 'x', n: [1, null] },
          fired: false,
        },
        { timerKey: 'late', deadline: T0 + 5000, event: { type: 'late' }, fired: false },
      ]);
      // Absent meta stays absent (not `undefined`, not `null`).
      expect(Object.keys((await store.loadDialog('a'))?.timers[2] ?? {})).not.toContain('meta');
      // Ordered as SQLite ordered the rows: by deadline, then key in UTF-8 byte order.
      expect((await store.loadDialog('b'))?.timers.map((t) => t.timerKey)).toEqual([
        'idle',
        HIGH_BMP,
        ASTRAL,
      ]);
      expect((await store.loadDialog('c'))?.timers).toEqual([]);
      expect((await store.stats()).timersPending).toBe(5);
      expect(await store.nextTimerDeadline()).toBe(T0 + 1000);

      // They fire as before: once, earliest first, at most `limit` per call.
      expect(await store.fireDueTimers(T0 + 2000, 1)).toEqual(['a']);
      expect(await store.fireDueTimers(T0 + 2000, 10)).toEqual(['b']);
      expect(await store.fireDueTimers(T0 + 2000, 10)).toEqual([]);
      const item = await store.nextInbox('a');
      expect(item?.payload).toEqual({
        kind: 'timer',
        timerKey: 'idle',
        event: { type: 'idle' },
        meta: { actor: 'x', n: [1, null] },
        deadline: T0 + 1000,
      });
      expect(item?.dedupeKey).toBe(`timer:a:idle:${T0 + 1000}`);
      expect((await store.stats()).timersPending).toBe(3);
      expect(await store.nextTimerDeadline()).toBe(T0 + 5000);
      // Firing is not a turn: the revision the runtime compares against is unchanged.
      expect((await store.loadDialog('a'))?.revision).toBe(3);
      expect(await store.fireDueTimers(T0 + 9000, 10)).toEqual(['a', 'b']);
      expect(
        (await store.peekInbox('b', 10)).map((i) => (i.payload as { timerKey: string }).timerKey),
      ).toEqual(['idle', HIGH_BMP, ASTRAL]);
      expect((await store.stats()).timersPending).toBe(0);
      expect(await store.nextTimerDeadline()).toBeUndefined();

      // The next turn of a migrated dialog replaces its set in the row.
      const commit = await store.commitTurn(
        'a',
        turn(3, {
          timers: [timer('idle', T0 + 20_000)],
          storedTimerKeys: ['done', 'idle', 'late'],
        }),
      );
      expect(commit.status).toBe('committed');
      expect((await store.loadDialog('a'))?.timers.map((t) => [t.timerKey, t.fired])).toEqual([
        ['idle', false],
      ]);
      expect((await store.stats()).timersPending).toBe(1);
    } finally {
      await store.close();
    }
    // Upgraded to this version, the old table left empty.
    const after = new Database(path, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
      value: String(SCHEMA_VERSION),
    });
    expect(after.prepare('SELECT COUNT(*) AS n FROM timers').get()).toEqual({ n: 0 });
    after.close();
  });

  it('orders a committed timer set like the rows of the previous schema', async () => {
    const store = sqliteStore({ path: join(dir, 'order.db') });
    try {
      await store.commitTurn(
        'a',
        turn(0, {
          timers: [
            timer(ASTRAL, T0 + 5),
            timer(HIGH_BMP, T0 + 5),
            timer('b', T0 + 5),
            timer('z', T0 + 1),
            timer('b', T0 + 7),
          ],
        }),
      );
      // By deadline, then key in UTF-8 byte order; a key given twice keeps its last timer.
      expect((await store.loadDialog('a'))?.timers.map((t) => [t.timerKey, t.deadline])).toEqual([
        ['z', T0 + 1],
        [HIGH_BMP, T0 + 5],
        [ASTRAL, T0 + 5],
        ['b', T0 + 7],
      ]);
      expect((await store.stats()).timersPending).toBe(4);
      // A deadline that never comes is kept (as the INTEGER column kept it); NaN is refused.
      await store.commitTurn('a', turn(1, { timers: [timer('never', Infinity)] }));
      expect((await store.loadDialog('a'))?.timers.map((t) => t.deadline)).toEqual([Infinity]);
      expect(await store.fireDueTimers(T0 + 1e12, 10)).toEqual([]);
      await expect(
        store.commitTurn('a', turn(2, { timers: [timer('bad', Number.NaN)] })),
      ).rejects.toThrow('Timer deadline must be a number');
    } finally {
      await store.close();
    }
  });
});
