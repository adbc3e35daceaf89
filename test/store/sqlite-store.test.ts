import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema';
import { HOT_QUERIES } from '../../src/store/sqlite-statements';
import { DEFAULT_SQLITE_PATH, sqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { isStoreError } from '../../src/store/store-error';
import { runStoreContract } from './contract';
import { T0, effectOf, turn } from './contract-helpers';
import { runChild } from './run-child';

const dir = mkdtempSync(join(tmpdir(), 'openlines-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
const paths = new WeakMap<Store, string>();
const freshPath = (): string => join(dir, `case-${++counter}`, 'state.db');
const open = (path: string): Store => {
  const store = sqliteStore({ path });
  paths.set(store, path);
  return store;
};

runStoreContract('sqliteStore', () => open(freshPath()), {
  reopen: async (store) => {
    await store.close();
    return open(paths.get(store)!);
  },
  reopenReleasesLeases: true,
  inlineTurns: true,
});

describe('sqliteStore', () => {
  it('reports its kind and uses WAL with the current schema version', async () => {
    const path = freshPath();
    const store = open(path);
    expect(store.kind).toBe('sqlite');
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
      value: String(SCHEMA_VERSION),
    });
    db.close();
  });

  it('refuses a database written by a newer schema version with a StoreError', async () => {
    const path = freshPath();
    await sqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(
      String(SCHEMA_VERSION + 1),
    );
    db.close();
    expect(() => sqliteStore({ path })).toThrow(
      expect.objectContaining({
        code: 'STORE_ERROR',
        message: expect.stringMatching(/newer|upgrade/),
      }),
    );
  });

  it('throws a StoreError when the file cannot be opened', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path, { recursive: true });
    let error: unknown;
    try {
      sqliteStore({ path });
    } catch (e) {
      error = e;
    }
    expect(isStoreError(error)).toBe(true);
  });

  it('creates its default file under ./.openlines-bot/ in the working directory', async () => {
    const cwd = join(dir, 'default-cwd');
    mkdirSync(cwd);
    const { lines, stderr } = await runChild({ mode: 'default-path' }, { cwd });
    expect({ lines, stderr }).toEqual({ lines: ['DONE'], stderr: '' });
    const path = join(cwd, DEFAULT_SQLITE_PATH);
    expect(existsSync(path)).toBe(true);
    const store = open(path);
    expect((await store.nextInbox('a'))?.payload).toBe('here');
    await store.close();
  });

  it('looks up the hot paths through indexes, never by scanning a table', async () => {
    const path = freshPath();
    await open(path).close();
    const db = new Database(path, { readonly: true });
    const plan = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map(
        (r) => r.detail,
      );
    const params: Record<keyof typeof HOT_QUERIES, unknown[]> = {
      nextInbox: ['k'],
      dueDialogs: [0, 1],
      nextTimerDeadline: [],
      loadDialog: ['k'],
      nextTurn: [{ key: 'k' }],
      stats: [],
    };
    for (const [name, sql] of Object.entries(HOT_QUERIES)) {
      const details = plan(sql, ...params[name as keyof typeof HOT_QUERIES]);
      // "SCAN" (even "SCAN ... USING INDEX") walks a whole table or index: O(n) in idle dialogs.
      // ("SCAN CONSTANT ROW" is the one-row SELECT without a table.)
      const scans = details.filter((d) => d.startsWith('SCAN ') && d !== 'SCAN CONSTANT ROW');
      expect({ name, scans }).toEqual({
        name,
        scans: [],
      });
      expect(details.some((d) => d.startsWith('SEARCH '))).toBe(true);
    }
    db.close();
  });

  it('lets one store at a time use a file: a second is refused with a clear error until the first closes', async () => {
    const path = freshPath();
    const first = open(path);
    let refusal: unknown;
    try {
      open(path);
    } catch (e) {
      refusal = e;
    }
    expect(isStoreError(refusal)).toBe(true);
    expect((refusal as Error).message).toContain(
      `Another process is using the SQLite store at ${path}`,
    );
    // The refused open changed nothing: the first store still works, and after it closes the file is free.
    expect(await first.acquireDialog('a', 'proc-1', 1000, T0)).toBe(true);
    await first.close();
    const second = open(path);
    expect(await second.stats()).toMatchObject({ dialogs: 0 });
    await second.close();
  });

  it('releases the leases of the previous process on open, so its dialogs and claimed effects are served at once', async () => {
    const path = freshPath();
    const first = open(path);
    expect(await first.acquireDialog('a', 'dead-proc', 600_000, T0)).toBe(true);
    await first.commitTurn('b', turn(0, { effects: [effectOf('one'), effectOf('two')] }));
    const claimed = await first.claimEffects({
      now: T0,
      limit: 10,
      leaseMs: 600_000,
      owner: 'dead-proc',
    });
    expect(claimed).toHaveLength(2);
    await first.close();

    const next = open(path);
    expect(await next.acquireDialog('a', 'new-proc', 1000, T0 + 1)).toBe(true);
    const again = await next.claimEffects({
      now: T0 + 1,
      limit: 10,
      leaseMs: 1000,
      owner: 'new-proc',
    });
    expect(again.map((e) => [e.seq, e.attempts])).toEqual(claimed.map((e) => [e.seq, 0]));
    await next.close();
  });
});
