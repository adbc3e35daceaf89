/**
 * The SQLite history's deferred trimming: reads show exactly what a trim after every write would
 * have left, while the rows beyond the retention are deleted in bulk, not by one DELETE per write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteStore } from '../../src/store/sqlite-store';
import type { HistoryWrite, NewHistoryEntry, Store } from '../../src/store/store';
import { T0 } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = (): string => join(dir, `case-${++counter}.db`);

const entry = (n: number, at = T0 + n): NewHistoryEntry => ({ at, kind: 'inbound', data: { n } });
const keep = (maxEntries: number, entries: NewHistoryEntry[], maxAgeMs?: number): HistoryWrite => ({
  entries,
  maxEntries,
  ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
});
const numbers = async (store: Store, key = 'a', limit?: number): Promise<number[]> =>
  (await store.readHistory!(key, limit === undefined ? {} : { limit })).map(
    (e) => (e.data as { n: number }).n,
  );
const rowsOf = (path: string, key = 'a'): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare('SELECT COUNT(*) AS n FROM history WHERE dialog_key = ?').get(key) as {
        n: number;
      }
    ).n;
  } finally {
    db.close();
  }
};

describe('SQLite history retention', () => {
  it('reads exactly the retention while the rows beyond it are deleted now and then, not per write', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    let most = 0;
    for (let n = 1; n <= 400; n++) {
      await store.appendHistory!('a', keep(5, [entry(n)]), T0 + n);
      most = Math.max(most, rowsOf(path));
      expect(await numbers(store)).toEqual(
        Array.from({ length: Math.min(n, 5) }, (_, i) => n - Math.min(n, 5) + 1 + i),
      );
    }
    expect(await numbers(store, 'a', 2)).toEqual([399, 400]);
    // Rows beyond the retention existed at times (deleted in bulk), but never many.
    expect(most).toBeGreaterThan(5);
    expect(most).toBeLessThan(5 + 200);
    await store.close();
  });

  it('applies the age limit of the newest write to what is read', async () => {
    const store = sqliteStore({ path: freshPath() });
    for (let n = 1; n <= 50; n++)
      await store.appendHistory!('a', keep(100, [entry(n, T0 + n * 100)], 1000), T0 + n * 100);
    // The last write was at T0 + 5000: entries from before T0 + 4000 are gone.
    expect(await numbers(store)).toEqual(Array.from({ length: 11 }, (_, i) => 40 + i));
    await store.close();
  });

  it('a looser retention after a stricter one does not bring back what the stricter one dropped', async () => {
    const store = sqliteStore({ path: freshPath() });
    await store.appendHistory!(
      'a',
      keep(
        10,
        [1, 2, 3, 4, 5, 6].map((n) => entry(n)),
      ),
      T0,
    );
    await store.appendHistory!('b', keep(10, [entry(1)]), T0);
    await store.appendHistory!('a', keep(3, [entry(7)]), T0);
    expect(await numbers(store)).toEqual([5, 6, 7]);
    await store.appendHistory!('a', keep(10, [entry(8)]), T0);
    expect(await numbers(store)).toEqual([5, 6, 7, 8]);
    // Age: a write with a longer age limit (an earlier cutoff) keeps what is already gone, gone.
    await store.appendHistory!('c', keep(10, [entry(1, T0), entry(2, T0 + 500)], 100), T0 + 550);
    expect(await numbers(store, 'c')).toEqual([2]);
    await store.appendHistory!('c', keep(10, [entry(3, T0 + 600)], 10_000), T0 + 600);
    expect(await numbers(store, 'c')).toEqual([2, 3]);
    expect(await numbers(store, 'b')).toEqual([1]);
    await store.close();
  });

  it('the retention bookkeeping survives a reopen', async () => {
    const path = freshPath();
    let store = sqliteStore({ path });
    await store.appendHistory!(
      'a',
      keep(
        10,
        [1, 2, 3, 4].map((n) => entry(n)),
      ),
      T0,
    );
    await store.appendHistory!('a', keep(2, [entry(5)]), T0);
    await store.close();
    store = sqliteStore({ path });
    expect(await numbers(store)).toEqual([4, 5]);
    await store.appendHistory!('a', keep(10, [entry(6)]), T0);
    expect(await numbers(store)).toEqual([4, 5, 6]);
    await store.close();
  });

  it('opens a file of the previous schema (history rows without a retention) and keeps reading them', async () => {
    const path = freshPath();
    const created = sqliteStore({ path });
    await created.close();
    const db = new Database(path);
    db.exec(`
      ALTER TABLE history DROP COLUMN keep_n;
      ALTER TABLE history DROP COLUMN cutoff;
      -- Version 4: before the history rows recorded their retention.
      UPDATE meta SET value = '4' WHERE key = 'schema_version';
    `);
    const insert = db.prepare(
      'INSERT INTO history (dialog_key, at, kind, data) VALUES (?, ?, ?, ?)',
    );
    for (let n = 1; n <= 4; n++) insert.run('a', T0 + n, 'inbound', JSON.stringify({ n }));
    db.close();
    const store = sqliteStore({ path });
    expect(await numbers(store)).toEqual([1, 2, 3, 4]);
    await store.appendHistory!('a', keep(3, [entry(5)]), T0 + 5);
    expect(await numbers(store)).toEqual([3, 4, 5]);
    await store.close();
  });
});
