import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import Database from 'better-sqlite3';
import { BACKSTOP_PAGES, startCheckpointer } from '../../src/store/sqlite-checkpointer';
import { sqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';

const dir = mkdtempSync(join(tmpdir(), 'openlines-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `c-${++n}.db`);

/** About 300 pages of log: below SQLite's own threshold (1000), so no commit checkpoints. */
async function writeDialogs(store: Store): Promise<void> {
  const snapshot = { value: 'waiting', context: { note: 'x'.repeat(1500) } };
  for (let batch = 0; batch < 4; batch++) {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.commitTurn(`p:1:${batch * 100 + i}`, {
          expectedRevision: 0,
          snapshot,
          botVersion: '1',
          effects: [],
          timers: [],
          now: 1,
        }),
      ),
    );
  }
}

const fileBytes = (path: string): number => statSync(path).size;

/** Polls (real time: the worker is a real thread) until `test` holds, at most `ms`. */
async function waitFor(test: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('SQLite store: WAL checkpoints in a worker thread', () => {
  it('copies committed pages into the database file without any commit doing it', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    try {
      await writeDialogs(store);
      // The log holds the writes; the worker moves them into the file on its own.
      expect(await waitFor(() => fileBytes(path) > 200 * 4096)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('with checkpoints: auto, the same writes stay in the log (the figure above is the worker)', async () => {
    const path = freshPath();
    const store = sqliteStore({ path, checkpoints: 'auto' });
    try {
      await writeDialogs(store);
      expect(fileBytes(path)).toBeLessThan(200 * 4096);
      expect(fileBytes(`${path}-wal`)).toBeGreaterThan(200 * 4096);
    } finally {
      await store.close();
    }
  });

  it('close() stops the worker, leaves no log behind, and everything is in the file', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    await writeDialogs(store);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM dialogs').get()).toEqual({ n: 400 });
    } finally {
      db.close();
    }
  });

  it('does not keep a process alive: a store nobody closed lets it exit', () => {
    const script = `
      const { sqliteStore } = require('./src/store/sqlite-store');
      sqliteStore({ path: ${JSON.stringify(freshPath())} });
      process.stdout.write('opened');
    `;
    // Times out (and throws) if the worker holds the process.
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(out).toBe('opened');
  });

  it("moves the connection's own threshold out while the worker runs, and back when it fails", async () => {
    const pragmas: string[] = [];
    const errors: string[] = [];
    // A database the worker cannot open: its start fails in the thread.
    const checkpointer = startCheckpointer({
      db: { pragma: (source: string) => pragmas.push(source) },
      path: join(dir, 'missing-dir', 'nothing.db'),
      synchronous: 'NORMAL',
      onError: (m) => errors.push(m),
    });
    expect(pragmas).toEqual([`wal_autocheckpoint = ${BACKSTOP_PAGES}`]);
    expect(await waitFor(() => errors.length > 0)).toBe(true);
    expect(errors[0]).toMatch(/checkpoint worker/);
    expect(pragmas).toEqual([
      `wal_autocheckpoint = ${BACKSTOP_PAGES}`,
      'wal_autocheckpoint = 1000',
    ]);
    await checkpointer.stop();
  });
});
