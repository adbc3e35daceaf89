import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema';
import { HOT_QUERIES, NEXT_EFFECT_AT } from '../../src/store/sqlite-statements';
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
  it('finds the next wake-up time through index lookups, without scanning the outbox', async () => {
    const path = freshPath();
    await sqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    const details = (
      db.prepare(`EXPLAIN QUERY PLAN ${NEXT_EFFECT_AT}`).all() as Array<{
        detail: string;
      }>
    ).map((r) => r.detail);
    db.close();
    expect(details.filter((d) => /^SCAN (o|p|outbox)\b/.test(d))).toEqual([]);
    expect(details.filter((d) => d.startsWith('SEARCH o USING INDEX'))).toHaveLength(2);
  });

  it('claims by walking pending effects in seq order, without sorting the whole outbox', async () => {
    const path = freshPath();
    await sqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    const details = (
      db
        .prepare(`EXPLAIN QUERY PLAN ${HOT_QUERIES.claimable}`)
        .all({ now: T0, limit: 10 }) as Array<{ detail: string }>
    ).map((r) => r.detail);
    db.close();
    expect(details).toContain('SEARCH o USING INDEX outbox_by_status (status=?)');
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
      "DROP INDEX outbox_by_status; UPDATE meta SET value = '1' WHERE key = 'schema_version'",
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
    expect(
      check.prepare("SELECT name FROM sqlite_master WHERE name = 'outbox_by_status'").get(),
    ).toEqual({ name: 'outbox_by_status' });
    check.close();
  });
});
