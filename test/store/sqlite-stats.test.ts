import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HOT_QUERIES } from '../../src/store/sqlite-statements';
import { sqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { effectOf, T0, timer, turn } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `s-${++n}.db`);

/** What COUNT(*) over the tables says (the slow way the counters replace). */
function counted(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    return {
      dialogs: one('SELECT COUNT(*) AS n FROM dialogs WHERE revision > 0 AND snapshot IS NOT NULL'),
      inboxDepth: one('SELECT COUNT(*) AS n FROM inbox'),
      outboxDepth: one("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'inflight')"),
      deadLetters: one("SELECT COUNT(*) AS n FROM outbox WHERE status = 'dead'"),
      // Timers live in their dialog's row, as a JSON array (counted here from the JSON itself).
      timersPending: one(
        "SELECT COUNT(*) AS n FROM dialogs, json_each(dialogs.timers) AS t WHERE json_extract(t.value, '$.fired') = 0",
      ),
    };
  } finally {
    db.close();
  }
}

/** Populates `dialogs` dialogs through the store's own API, in group-committed chunks. */
async function populate(store: Store, dialogs: number): Promise<void> {
  for (let start = 0; start < dialogs; start += 500) {
    const writes: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(dialogs, start + 500); i++) {
      const key = `m:7:${i}`;
      writes.push(
        store.commitTurn(
          key,
          turn(0, {
            // Every third conversation is over, every other one has a timer, every fifth an effect.
            ...(i % 3 === 0 ? { snapshot: null } : {}),
            timers: i % 2 === 0 ? [timer('t', T0 + 60_000)] : [],
            effects: i % 5 === 0 ? [effectOf(`hello ${i}`)] : [],
          }),
        ),
      );
      if (i % 7 === 0)
        writes.push(store.appendInbox([{ dialogKey: key, payload: i }], { now: T0 + i }));
    }
    await Promise.all(writes);
  }
}

describe('SQLite stats (what /metrics and /healthz read)', () => {
  it('reads maintained counters with index lookups only, exact after populating through the API', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    try {
      await populate(store, 3000);
      const stats = await store.stats();
      expect(stats).toEqual({ ...counted(path), oldestInboxAt: T0 });
      expect(stats.dialogs).toBe(2000);
    } finally {
      await store.close();
    }
    // Structurally O(1) in the number of dialogs: no step of the plan walks a table or an index.
    const db = new Database(path, { readonly: true });
    try {
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${HOT_QUERIES.stats}`).all() as Array<{ detail: string }>
      ).map((r) => r.detail);
      expect(plan.filter((d) => d.startsWith('SCAN ') && d !== 'SCAN CONSTANT ROW')).toEqual([]);
      expect(plan.filter((d) => /COUNT|TEMP B-TREE/.test(d))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('counts what a database of the previous schema version already holds when it upgrades', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    await populate(store, 300);
    await store.close();
    const expected = counted(path);
    // Back to the schema before the counters: drop them, as an older openlines-bot left the file.
    const db = new Database(path);
    for (const { name } of db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'count_%'")
      .all() as Array<{ name: string }>)
      db.exec(`DROP TRIGGER ${name}`);
    db.exec('DROP TABLE counters');
    // Version 3: the schema before the counters (later steps run again, harmlessly).
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(3));
    db.close();
    const upgraded = sqliteStore({ path });
    try {
      expect(await upgraded.stats()).toEqual({ ...expected, oldestInboxAt: T0 });
    } finally {
      await upgraded.close();
    }
  });
});
