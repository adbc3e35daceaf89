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
import { T0, effectOf, timer, turn } from './contract-helpers';
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
      dueTimers: [0, 1],
      nextTimerDeadline: [],
      claimable: [{ now: 0, limit: 1 }],
      loadDialog: ['k'],
    };
    for (const [name, sql] of Object.entries(HOT_QUERIES)) {
      const details = plan(sql, ...params[name as keyof typeof HOT_QUERIES]);
      // "SCAN" (even "SCAN ... USING INDEX") walks a whole table or index: O(n) in idle dialogs.
      expect({ name, scans: details.filter((d) => d.startsWith('SCAN ')) }).toEqual({
        name,
        scans: [],
      });
      expect(details.some((d) => d.startsWith('SEARCH '))).toBe(true);
    }
    db.close();
  });

  it('shares dialogs, effects and timers between two connections to one file safely', async () => {
    const path = freshPath();
    const first = open(path);
    const second = open(path);
    expect(await first.acquireDialog('a', 'proc-1', 1000, T0)).toBe(true);
    expect(await second.acquireDialog('a', 'proc-2', 1000, T0 + 1)).toBe(false);
    const results = await Promise.all([
      first.commitTurn('a', turn(0, { effects: [effectOf('one')] })),
      second.commitTurn('a', turn(0, { effects: [effectOf('two')] })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['committed', 'conflict']);
    const [claimedByFirst, claimedBySecond] = [
      await first.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'proc-1' }),
      await second.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'proc-2' }),
    ];
    expect(claimedByFirst).toHaveLength(1);
    expect(claimedBySecond).toEqual([]);
    // Both connections fire timers at once: each timer reaches the inbox exactly once.
    for (let d = 0; d < 5; d++) {
      await first.commitTurn(
        `t${d}`,
        turn(0, { timers: [timer('x', T0 + d), timer('y', T0 + 10 + d)] }),
      );
    }
    const woken = await Promise.all([
      first.fireDueTimers(T0 + 100, 3),
      second.fireDueTimers(T0 + 100, 3),
      first.fireDueTimers(T0 + 100, 3),
      second.fireDueTimers(T0 + 100, 3),
    ]);
    expect(woken.flat().length).toBeGreaterThan(0);
    expect(await second.stats()).toMatchObject({ inboxDepth: 10, timersPending: 0 });
    await first.close();
    await second.close();
  });
});
