import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema';
import { executedStatements, sqliteCounts } from '../../src/store/sqlite-counters';
import { sqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { T0, effectOf, turn } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = (): string => join(dir, `case-${++counter}.db`);

/** Commits `count` dialogs with `perDialog` effects each. */
async function fill(store: Store, count: number, perDialog: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      store.commitTurn(
        `d${i}`,
        turn(0, { effects: Array.from({ length: perDialog }, (_, k) => effectOf(`d${i}.${k}`)) }),
      ),
    ),
  );
}

describe('sqliteStore outbox queries', () => {
  it('claims and answers the next wake-up from memory: no statement when there is nothing to do', async () => {
    const store = sqliteStore({ path: freshPath(), countStatements: true });
    const statements = (): number => executedStatements(sqliteCounts());
    const before = statements();
    expect(await store.claimEffects({ now: T0, limit: 50, leaseMs: 1000, owner: 'p1' })).toEqual(
      [],
    );
    expect(await store.nextEffectAvailableAt()).toBeUndefined();
    expect(statements() - before).toBe(0);
    await fill(store, 3, 2);
    const afterFill = statements();
    const claimed = await store.claimEffects({ now: T0, limit: 50, leaseMs: 1000, owner: 'p1' });
    expect(claimed.map((e) => e.effect)).toEqual(
      ['d0.0', 'd0.1', 'd1.0', 'd1.1', 'd2.0', 'd2.1'].map((t) => effectOf(t).effect),
    );
    // One UPDATE, without a transaction around it, records the claim; the rows come from the index.
    expect(statements() - afterFill).toBe(1);
    const idle = statements();
    expect(await store.claimEffects({ now: T0, limit: 50, leaseMs: 1000, owner: 'p2' })).toEqual(
      [],
    );
    expect(await store.nextEffectAvailableAt()).toBe(T0 + 1000);
    expect(statements() - idle).toBe(0);
    await store.close();
  });

  it('records claims in the file as before: a reopened store sees them released, then claims them again', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    await fill(store, 2, 1);
    const claimed = await store.claimEffects({ now: T0, limit: 10, leaseMs: 60_000, owner: 'p1' });
    expect(claimed).toHaveLength(2);
    const raw = new Database(path, { readonly: true });
    expect(
      raw
        .prepare("SELECT seq, lease_owner FROM outbox WHERE status = 'inflight' ORDER BY seq")
        .all(),
    ).toEqual(claimed.map((e) => ({ seq: e.seq, lease_owner: 'p1' })));
    raw.close();
    await store.close();
    const reopened = sqliteStore({ path });
    const again = await reopened.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p2' });
    expect(again.map((e) => e.seq)).toEqual(claimed.map((e) => e.seq));
    expect(again.map((e) => e.effect)).toEqual(claimed.map((e) => e.effect));
    await reopened.close();
  });

  it('answers the exact next wake-up time with many effects queued behind a retrying one', async () => {
    const store = sqliteStore({ path: freshPath() });
    await fill(store, 50, 3);
    const claimed = await store.claimEffects({
      now: T0,
      limit: 1000,
      leaseMs: 60_000,
      owner: 'p1',
    });
    expect(claimed).toHaveLength(150);
    // Every dialog's first effect goes back for a retry at a different time; the ones behind it
    // stay in flight (leased until T0 + 60 s) and do not count.
    for (const e of claimed.filter(
      (c) => c.effect.type === 'say' && c.effect.text.endsWith('.0'),
    )) {
      const i = Number(e.dialogKey.slice(1));
      await store.settleEffect(
        e.seq,
        { status: 'retry', availableAt: T0 + 1000 + i, error: 'x' },
        T0,
      );
    }
    expect(
      await store.claimEffects({ now: T0 + 999, limit: 1000, leaseMs: 1, owner: 'p2' }),
    ).toEqual([]);
    expect(await store.nextEffectAvailableAt()).toBe(T0 + 1000);
    const first = await store.claimEffects({
      now: T0 + 1000,
      limit: 1000,
      leaseMs: 1,
      owner: 'p2',
    });
    expect(first.map((e) => e.dialogKey)).toEqual(['d0']);
    expect(await store.nextEffectAvailableAt()).toBe(T0 + 1001);
    await store.close();
  });

  it('upgrades a database of schema version 1, keeping its outbox', async () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    await fill(store, 2, 1);
    await store.close();
    const db = new Database(path);
    db.exec(
      // The outbox indexes of a version 1 file.
      "DROP INDEX outbox_dead; CREATE INDEX outbox_by_available ON outbox (status, available_at); CREATE INDEX outbox_by_lease ON outbox (status, lease_until); UPDATE meta SET value = '1' WHERE key = 'schema_version'",
    );
    db.close();

    const reopened = sqliteStore({ path });
    const claimed = await reopened.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p1' });
    expect(claimed.map((e) => e.dialogKey)).toEqual(['d0', 'd1']);
    await reopened.close();
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
      value: String(SCHEMA_VERSION),
    });
    // Claims are chosen in memory: of the outbox's status indexes only the dead letters' is left.
    expect(
      check
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' ORDER BY name",
        )
        .all(),
    ).toEqual([{ name: 'outbox_by_dialog' }, { name: 'outbox_dead' }]);
    expect(
      (
        check
          .prepare(
            "EXPLAIN QUERY PLAN SELECT seq FROM outbox WHERE status = 'dead' ORDER BY seq LIMIT 10",
          )
          .all() as Array<{ detail: string }>
      ).map((r) => r.detail),
    ).toEqual(['SCAN outbox USING COVERING INDEX outbox_dead']);
    check.close();
  });
});
