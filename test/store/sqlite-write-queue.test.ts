import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteStore } from '../../src/store/sqlite-store';
import { createWriteQueue, type Merger } from '../../src/store/sqlite-write-queue';
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

describe('createWriteQueue merging and autocommit', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(freshPath());
    db.exec('CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0))');
  });
  afterEach(() => db.close());

  /** A merger inserting many values with one statement (and counting its calls). */
  const inserter = () => {
    const calls = { one: 0, many: 0 };
    const merger: Merger<number, number> = {
      runOne: (v) => {
        calls.one += 1;
        db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
        return v;
      },
      runMany: (vs) => {
        calls.many += 1;
        db.prepare(`INSERT INTO t (v) VALUES ${vs.map(() => '(?)').join(', ')}`).run(...vs);
        return vs;
      },
      single: () => true,
    };
    return { merger, calls };
  };

  it('runs the writes of one merger in a group as one call, each getting its own result', async () => {
    const { merger, calls } = inserter();
    const groups: number[] = [];
    const queue = createWriteQueue(db, { onGroup: (jobs) => groups.push(jobs) });
    const other = queue.write(() => db.prepare('INSERT INTO t (v) VALUES (100)').run().changes, {
      single: true,
    });
    const results = await Promise.all([1, 2, 3].map((v) => queue.writeMerged(merger, v)));
    expect(results).toEqual([1, 2, 3]);
    expect(await other).toBe(1);
    expect(calls).toEqual({ one: 0, many: 1 });
    // Two units of one statement each: no transaction around them.
    expect(groups).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 4 });
  });

  it('a failing merged statement fails only the write that makes it fail', async () => {
    const { merger } = inserter();
    const queue = createWriteQueue(db);
    const results = await Promise.allSettled([1, -1, 3].map((v) => queue.writeMerged(merger, v)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 3 }]);
  });

  it('a larger group shares one transaction, and a failure there still fails one write only', async () => {
    const { merger } = inserter();
    const groups: number[] = [];
    const queue = createWriteQueue(db, { onGroup: (jobs) => groups.push(jobs) });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.allSettled([
      queue.write(() => insert.run(10), { single: true }),
      queue.writeMerged(merger, 1),
      queue.write(() => insert.run(-5), { single: true }),
      queue.writeMerged(merger, 2),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(groups.length).toBeGreaterThan(0);
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 2 }, { v: 10 }]);
  });

  it('a write that is not a single statement keeps its transaction', async () => {
    const groups: number[] = [];
    const queue = createWriteQueue(db, { onGroup: (jobs) => groups.push(jobs) });
    const failed = queue.write(() => {
      db.prepare('INSERT INTO t (v) VALUES (1)').run();
      throw new Error('the second step fails');
    });
    await expect(failed).rejects.toThrow('the second step fails');
    expect(groups).toEqual([1]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
  });
});

describe('createWriteQueue: deferred writes', () => {
  let db: Database.Database;
  let other: Database.Database;
  beforeEach(() => {
    db = new Database(freshPath());
    db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
    // A second connection sees only what is committed.
    other = new Database(db.name, { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.close();
  });
  const committed = (): number[] =>
    (other.prepare('SELECT v FROM t ORDER BY rowid').all() as Array<{ v: number }>).map((r) => r.v);
  const turnOfLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  const merger = (): Merger<number, number> => ({
    runOne: (v) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes,
    runMany: (vs) => vs.map((v) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes),
    single: (vs) => vs.length === 1,
  });

  it('rides in the next group that needs a transaction anyway, in queue order', async () => {
    const groups: number[] = [];
    const queue = createWriteQueue(db, { onGroup: (jobs) => groups.push(jobs) });
    const deferred = queue.writeMerged(merger(), 1, { deferred: true });
    await turnOfLoop();
    await turnOfLoop();
    // Nothing else was queued: it waits, uncommitted, without a group of its own.
    expect(committed()).toEqual([]);
    expect(groups).toEqual([]);
    const turn = queue.write(() => {
      db.prepare('INSERT INTO t (v) VALUES (2)').run();
      db.prepare('INSERT INTO t (v) VALUES (3)').run();
    });
    await Promise.all([deferred, turn]);
    // One transaction held both: the deferred write first, as it was queued first.
    expect(groups).toEqual([2]);
    expect(committed()).toEqual([1, 2, 3]);
  });

  it('lets lone statements commit without it, then commits on its own when no group takes it', async () => {
    const groups: number[] = [];
    const queue = createWriteQueue(db, { onGroup: (jobs) => groups.push(jobs) });
    const deferred = queue.writeMerged(merger(), 1, { deferred: true });
    await queue.write(() => db.prepare('INSERT INTO t (v) VALUES (2)').run(), { single: true });
    // Joining the lone statement would have added BEGIN/COMMIT, not saved a commit.
    expect(committed()).toEqual([2]);
    expect(await deferred).toBe(1);
    expect(committed()).toEqual([2, 1]);
    // Each ran as a single statement: no transaction at all.
    expect(groups).toEqual([]);
  });

  it('is committed at once by flush (a closing store)', async () => {
    const queue = createWriteQueue(db);
    const deferred = queue.writeMerged(merger(), 7, { deferred: true });
    queue.flush();
    expect(committed()).toEqual([7]);
    expect(await deferred).toBe(1);
  });

  it('keeps its own outcome when it fails inside a shared group', async () => {
    const queue = createWriteQueue(db);
    const failing: Merger<number, number> = {
      ...merger(),
      runOne: () => {
        db.prepare('INSERT INTO t (v) VALUES (99)').run();
        throw new Error('the deferred write fails');
      },
      runMany: () => {
        throw new Error('the deferred write fails');
      },
    };
    const deferred = queue.writeMerged(failing, 1, { deferred: true });
    const turn = queue.write(() => {
      db.prepare('INSERT INTO t (v) VALUES (2)').run();
      db.prepare('INSERT INTO t (v) VALUES (3)').run();
    });
    const results = await Promise.allSettled([deferred, turn]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(committed()).toEqual([2, 3]);
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
