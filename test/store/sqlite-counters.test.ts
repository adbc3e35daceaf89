import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  executedStatements,
  sqliteCounts,
  sqliteCountsBySource,
} from '../../src/store/sqlite-counters';
import { sqliteStore } from '../../src/store/sqlite-store';
import { effectOf, T0, timer, turn } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-counters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite statement counters (benchmark instrumentation)', () => {
  it('count the statements and transactions of a counting store', async () => {
    const store = sqliteStore({ path: join(dir, 'counted.db'), countStatements: true });
    try {
      const before = sqliteCounts();
      // Three writes in one event-loop turn: one group transaction (no savepoints unless one fails).
      await Promise.all([
        store.appendInbox([{ dialogKey: 'm:1:1', payload: { n: 1 } }], { now: T0 }),
        store.appendInbox([{ dialogKey: 'm:1:2', payload: { n: 2 } }], { now: T0 }),
        store.appendInbox([{ dialogKey: 'm:1:3', payload: { n: 3 } }], { now: T0 }),
      ]);
      await store.nextInbox('m:1:1');
      const after = sqliteCounts();
      expect(after.transactions - before.transactions).toBe(1);
      expect(after.savepoints - before.savepoints).toBe(0);
      // Three inserts (an append of one item is one INSERT, its dedupe included) and one read.
      expect(after.statements - before.statements).toBe(4);
      expect(executedStatements(after) - executedStatements(before)).toBe(4 + 2);
      // Inside the transaction, and a read: no commit of their own.
      expect(after.autocommits - before.autocommits).toBe(0);
      // A lone append of one item is one statement, without BEGIN/COMMIT around it.
      const alone = sqliteCounts();
      await store.appendInbox([{ dialogKey: 'm:1:4', dedupeKey: 'k', payload: 4 }], { now: T0 });
      expect(executedStatements(sqliteCounts()) - executedStatements(alone)).toBe(1);
      // ... which SQLite commits on its own.
      expect(sqliteCounts().autocommits - alone.autocommits).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('leave a store that does not count unwrapped', async () => {
    const store = sqliteStore({ path: join(dir, 'plain.db'), countStatements: false });
    try {
      const before = sqliteCounts();
      await store.appendInbox([{ dialogKey: 'm:1:1', payload: {} }], { now: T0 });
      await store.nextInbox('m:1:1');
      expect(sqliteCounts()).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('write a timer set with the dialog row (nothing more, nothing when unchanged), and claim and settle an effect with one statement each', async () => {
    const store = sqliteStore({ path: join(dir, 'turns.db'), countStatements: true });
    /** The statements a commit runs (BEGIN/COMMIT not included), by kind. */
    const commit = async (c: Parameters<typeof turn>[1] & object, revision: number) => {
      const before = new Map(sqliteCountsBySource().map((x) => [x.sql, x.count]));
      await store.commitTurn('m:1:1', turn(revision, c));
      return sqliteCountsBySource()
        .map((x) => ({ sql: x.sql, n: x.count - (before.get(x.sql) ?? 0) }))
        .filter((x) => x.n > 0)
        .map((x) => `${x.n} ${x.sql.split(' ').slice(0, 3).join(' ')}`);
    };
    const timersOf = async () =>
      (await store.loadDialog('m:1:1'))?.timers.map((t) => [t.timerKey, t.deadline, t.fired]);
    try {
      const timers = [timer('t', T0 + 60_000)];
      expect(await commit({ timers, effects: [effectOf('hi')] }, 0)).toEqual([
        '1 INSERT INTO dialogs',
        '1 INSERT INTO outbox',
      ]);
      // Unchanged: the UPDATE leaves the timer columns alone.
      expect(await commit({ timers, timersUnchanged: true }, 1)).toEqual(['1 UPDATE dialogs SET']);
      expect(await timersOf()).toEqual([['t', T0 + 60_000, false]]);
      // Re-armed (same key, new deadline), another added, one dropped: the dialog's UPDATE alone.
      expect(
        await commit(
          { timers: [timer('t', T0 + 90_000), timer('u', T0 + 5)], storedTimerKeys: ['t'] },
          2,
        ),
      ).toEqual(['1 UPDATE dialogs SET']);
      expect(await timersOf()).toEqual([
        ['u', T0 + 5, false],
        ['t', T0 + 90_000, false],
      ]);
      expect((await store.stats()).timersPending).toBe(2);
      expect(await store.nextTimerDeadline()).toBe(T0 + 5);
      expect(
        await commit({ timers: [timer('u', T0 + 5)], storedTimerKeys: ['t', 'u'] }, 3),
      ).toEqual(['1 UPDATE dialogs SET']);
      expect(await timersOf()).toEqual([['u', T0 + 5, false]]);
      expect((await store.stats()).timersPending).toBe(1);
      // Firing marks it in the row without a new revision; the counter follows.
      expect(await store.fireDueTimers(T0 + 5, 10)).toEqual(['m:1:1']);
      expect(await timersOf()).toEqual([['u', T0 + 5, true]]);
      expect((await store.loadDialog('m:1:1'))?.revision).toBe(4);
      expect((await store.stats()).timersPending).toBe(0);
      expect(await store.nextTimerDeadline()).toBeUndefined();
      expect(await commit({ timers: [] }, 4)).toEqual(['1 UPDATE dialogs SET']);
      expect(await timersOf()).toEqual([]);

      const before = sqliteCounts().statements;
      const [claimed] = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p' });
      await store.settleEffect(claimed!.seq, { status: 'sent' }, T0, 'p');
      expect(sqliteCounts().statements - before).toBe(2);
      expect((await store.stats()).outboxDepth).toBe(0);
    } finally {
      await store.close();
    }
  });
});
