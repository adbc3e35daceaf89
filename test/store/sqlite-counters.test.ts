import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executedStatements, sqliteCounts } from '../../src/store/sqlite-counters';
import { sqliteStore } from '../../src/store/sqlite-store';
import { T0 } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-counters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite statement counters (benchmark instrumentation)', () => {
  it('count the statements and transactions of a counting store', async () => {
    const store = sqliteStore({ path: join(dir, 'counted.db'), countStatements: true });
    try {
      const before = sqliteCounts();
      // Two writes in one event-loop turn: one group transaction with a savepoint each.
      await Promise.all([
        store.appendInbox([{ dialogKey: 'm:1:1', payload: { n: 1 } }], { now: T0 }),
        store.appendInbox([{ dialogKey: 'm:1:2', payload: { n: 2 } }], { now: T0 }),
      ]);
      await store.nextInbox('m:1:1');
      const after = sqliteCounts();
      expect(after.transactions - before.transactions).toBe(1);
      expect(after.savepoints - before.savepoints).toBe(2);
      // Two inserts and one read at least (a dedupe-free append is one INSERT).
      expect(after.statements - before.statements).toBe(3);
      expect(executedStatements(after) - executedStatements(before)).toBe(3 + 2 + 4);
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
});
