import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteStore } from '../../src/store/sqlite-store';
import { createWriteQueue } from '../../src/store/sqlite-write-queue';
import { T0 } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = (): string => join(dir, `q-${++counter}.db`);

describe('createWriteQueue', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(freshPath());
    db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
  });
  afterEach(() => db.close());

  it('commits the writes of one event-loop turn in one transaction, each with its own outcome', async () => {
    const queue = createWriteQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    // A second connection sees only committed rows: inside the group it must see none yet.
    const other = new Database(db.name, { readonly: true });
    const committedRows = () =>
      (other.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
    const seenByOther: number[] = [];
    const results = await Promise.allSettled([
      queue.write(() => insert.run(1).changes),
      queue.write(() => {
        insert.run(2);
        throw new Error('this write fails');
      }),
      queue.write(() => {
        seenByOther.push(committedRows());
        return insert.run(3).changes;
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(seenByOther).toEqual([0]);
    expect(committedRows()).toBe(2);
    other.close();
    // The failed write's own row was rolled back with its savepoint; the others stand.
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 3 }]);
  });

  it('rolls a lone failing write back completely', async () => {
    const queue = createWriteQueue(db);
    const failed = queue.write(() => {
      db.prepare('INSERT INTO t (v) VALUES (1)').run();
      throw new Error('no');
    });
    await expect(failed).rejects.toThrow('no');
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
  });

  it('applies writes in the order they were queued', async () => {
    const queue = createWriteQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    await Promise.all(Array.from({ length: 1200 }, (_, i) => queue.write(() => insert.run(i))));
    const values = (db.prepare('SELECT v FROM t ORDER BY rowid').all() as Array<{ v: number }>).map(
      (r) => r.v,
    );
    expect(values).toEqual(Array.from({ length: 1200 }, (_, i) => i));
  });
});

describe('sqliteStore', () => {
  it('commits writes still queued when it is closed', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    const pending = store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k', payload: 'queued' }], {
      now: T0,
    });
    await store.close();
    expect((await pending)[0]?.status).toBe('accepted');
    const reopened = sqliteStore({ path });
    expect((await reopened.nextInbox('a'))?.payload).toBe('queued');
    await reopened.close();
  });

  it('keeps working while a test fakes the global timers', async () => {
    jest.useFakeTimers();
    try {
      const store = sqliteStore({ path: freshPath() });
      const [result] = await store.appendInbox([{ dialogKey: 'a', payload: 1 }], { now: T0 });
      expect(result?.status).toBe('accepted');
      await store.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
