/**
 * Files written by the previous schema open and keep their guarantees: here the inbox dedupe,
 * which moved from a separate write per item into the inbox row itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema';
import { sqliteStore } from '../../src/store/sqlite-store';
import { T0 } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite schema upgrade: dedupe in the inbox row', () => {
  it('keeps pending and processed keys of a previous-schema file duplicates, and forgets them when they expire', async () => {
    const path = join(dir, 'old.db');
    await sqliteStore({ path }).close();
    const db = new Database(path);
    db.exec(`
      DROP TRIGGER remember_dedupe;
      DROP INDEX inbox_by_dedupe;
      ALTER TABLE inbox DROP COLUMN dedupe_expires;
      UPDATE meta SET value = '${SCHEMA_VERSION - 1}' WHERE key = 'schema_version';
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
