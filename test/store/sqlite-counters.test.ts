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
      // A lone append of one item is one statement, without BEGIN/COMMIT around it.
      const alone = executedStatements(sqliteCounts());
      await store.appendInbox([{ dialogKey: 'm:1:4', dedupeKey: 'k', payload: 4 }], { now: T0 });
      expect(executedStatements(sqliteCounts()) - alone).toBe(1);
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

  it('leave an unchanged timer set alone, and claim and settle an effect with one statement each', async () => {
    const store = sqliteStore({ path: join(dir, 'turns.db'), countStatements: true });
    const timerStatements = (): number =>
      sqliteCountsBySource()
        .filter((x) => /timers/.test(x.sql) && /^(DELETE|INSERT)/.test(x.sql))
        .reduce((n, x) => n + x.count, 0);
    try {
      const timers = [timer('t', T0 + 60_000)];
      await store.commitTurn('m:1:1', turn(0, { timers, effects: [effectOf('hi')] }));
      const rewritten = timerStatements();
      await store.commitTurn('m:1:1', turn(1, { timers, timersUnchanged: true }));
      expect(timerStatements()).toBe(rewritten);
      expect((await store.loadDialog('m:1:1'))?.timers).toEqual([
        expect.objectContaining({ timerKey: 't', deadline: T0 + 60_000 }),
      ]);
      // Without the hint the set is rewritten.
      await store.commitTurn('m:1:1', turn(2, { timers }));
      expect(timerStatements()).toBeGreaterThan(rewritten);

      // A moved deadline with the same keys: overwritten in place, no DELETE of the set.
      const deletes = (): number =>
        sqliteCountsBySource()
          .filter((x) => x.sql.startsWith('DELETE FROM timers'))
          .reduce((n, x) => n + x.count, 0);
      const before0 = deletes();
      await store.commitTurn(
        'm:1:1',
        turn(3, { timers: [timer('t', T0 + 90_000), timer('u', T0 + 5)], storedTimerKeys: ['t'] }),
      );
      expect(deletes()).toBe(before0);
      expect(
        (await store.loadDialog('m:1:1'))?.timers.map((t) => [t.timerKey, t.deadline]),
      ).toEqual([
        ['u', T0 + 5],
        ['t', T0 + 90_000],
      ]);
      expect((await store.stats()).timersPending).toBe(2);
      // A key dropped: the set is deleted and written again.
      await store.commitTurn(
        'm:1:1',
        turn(4, { timers: [timer('u', T0 + 5)], storedTimerKeys: ['t', 'u'] }),
      );
      expect(deletes()).toBe(before0 + 1);
      expect((await store.loadDialog('m:1:1'))?.timers.map((t) => t.timerKey)).toEqual(['u']);
      expect((await store.stats()).timersPending).toBe(1);

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
