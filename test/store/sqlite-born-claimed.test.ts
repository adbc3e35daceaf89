import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteCountsBySource } from '../../src/store/sqlite-counters';
import { sqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { effectOf, T0, turn } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-born-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `b-${++n}.db`);
const claimFor = { owner: 'me', leaseMs: 60_000 };

/** The outbox as the file holds it, read by a second connection (committed rows only). */
function outboxOnDisk(
  path: string,
): Array<{ seq: number; status: string; owner: string | null; until: number | null }> {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT seq, status, lease_owner AS owner, lease_until AS until FROM outbox ORDER BY seq',
      )
      .all() as Array<{ seq: number; status: string; owner: string | null; until: number | null }>;
  } finally {
    db.close();
  }
}

const claimStatements = (): number =>
  sqliteCountsBySource()
    .filter((s) => s.sql.startsWith("UPDATE outbox SET status = 'inflight'"))
    .reduce((sum, s) => sum + s.count, 0);

describe("SQLite store: effects claimed in their turn's commit (TurnCommit.claimFor)", () => {
  let store: Store;
  let path: string;
  beforeEach(() => {
    path = freshPath();
    store = sqliteStore({ path, countStatements: true });
  });
  afterEach(async () => {
    await store.close();
  });

  it('records the new effects as claimed in the commit and returns them', async () => {
    const r = await store.commitTurn(
      'd1',
      turn(0, { effects: [effectOf('hello'), effectOf('how can I help?')], claimFor }),
    );
    expect(r.status).toBe('committed');
    const claimed = r.status === 'committed' ? (r.claimed ?? []) : [];
    expect(claimed.map((e) => e.effect)).toEqual([
      { type: 'say', text: 'hello' },
      { type: 'say', text: 'how can I help?' },
    ]);
    // Durable as claimed when the commit resolves: a crash now leaves them in flight, not pending.
    expect(outboxOnDisk(path)).toEqual(
      claimed.map((e) => ({ seq: e.seq, status: 'inflight', owner: 'me', until: T0 + 60_000 })),
    );
    // Nobody else can claim them while the lease runs.
    expect(
      await store.claimEffects({ now: T0 + 1, limit: 10, leaseMs: 1000, owner: 'other' }),
    ).toEqual([]);
    // The claimer settles them like any claim of its own.
    for (const e of claimed) await store.settleEffect(e.seq, { status: 'sent' }, T0 + 2, 'me');
    expect(outboxOnDisk(path)).toEqual([]);
  });

  it('leaves them pending when an earlier effect of the dialog is unsettled (claim order)', async () => {
    const first = await store.commitTurn('d1', turn(0, { effects: [effectOf('one')] }));
    expect(first).toEqual({ status: 'committed', revision: 1 });
    const second = await store.commitTurn('d1', turn(1, { effects: [effectOf('two')], claimFor }));
    expect(second).toEqual({ status: 'committed', revision: 2 });
    expect(outboxOnDisk(path).map((r) => r.status)).toEqual(['pending', 'pending']);
    // A claim hands them out in order, as always.
    const claimed = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'me' });
    expect(claimed.map((e) => (e.effect as { text: string }).text)).toEqual(['one', 'two']);
  });

  it('writes the claims of the turns committed together as one statement', async () => {
    const before = claimStatements();
    const results = await Promise.all(
      ['a', 'b', 'c'].map((k) =>
        store.commitTurn(k, turn(0, { effects: [effectOf(k)], claimFor })),
      ),
    );
    expect(results.map((r) => (r.status === 'committed' ? r.claimed?.length : -1))).toEqual([
      1, 1, 1,
    ]);
    expect(claimStatements() - before).toBe(1);
    expect(outboxOnDisk(path).map((r) => r.status)).toEqual(['inflight', 'inflight', 'inflight']);
  });

  it('claims nothing when the turn conflicts or has no effects', async () => {
    await store.commitTurn('d1', turn(0));
    const conflict = await store.commitTurn('d1', turn(0, { effects: [effectOf('x')], claimFor }));
    expect(conflict).toEqual({ status: 'conflict' });
    const none = await store.commitTurn('d1', turn(1, { claimFor }));
    expect(none).toEqual({ status: 'committed', revision: 2 });
    expect(outboxOnDisk(path)).toEqual([]);
  });

  it('releases born claims of a previous process on open, like every claim', async () => {
    await store.commitTurn('d1', turn(0, { effects: [effectOf('x')], claimFor }));
    await store.close();
    store = sqliteStore({ path, countStatements: true });
    expect(outboxOnDisk(path).map((r) => r.status)).toEqual(['pending']);
    const claimed = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'next' });
    expect(claimed).toHaveLength(1);
  });
});
