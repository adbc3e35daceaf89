/**
 * The SQLite store's grouped writes: the settles of one request and their history entries cost a
 * statement each kind, not one per effect, and a lone single-statement write needs no BEGIN/COMMIT.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executedStatements, sqliteCounts } from '../../src/store/sqlite-counters';
import { sqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { T0, effectOf, timer, turn } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-grouped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const open = (): Store =>
  sqliteStore({ path: join(dir, `g-${++counter}.db`), countStatements: true });

/** Statements (BEGIN/COMMIT and savepoints included) that `fn` executed. */
async function statementsOf(fn: () => Promise<unknown>): Promise<number> {
  const before = executedStatements(sqliteCounts());
  await fn();
  return executedStatements(sqliteCounts()) - before;
}

describe('SQLite grouped writes', () => {
  it('settles a request of several effects, with their history entries, in two statements', async () => {
    const store = open();
    await store.commitTurn('a', turn(0, { effects: [effectOf('1'), effectOf('2')] }));
    await store.commitTurn('b', turn(0, { effects: [effectOf('3')] }));
    const claimed = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p' });
    expect(claimed).toHaveLength(3);
    // The retention bookkeeping's first write is behind us, and no write trims this time.
    await store.appendHistory!('c', { entries: [], maxEntries: 100 }, T0);
    await store.appendHistory!(
      'c',
      { entries: [{ at: T0, kind: 'effect', data: 0 }], maxEntries: 100 },
      T0,
    );
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const n = await statementsOf(() =>
      Promise.all(
        claimed.flatMap((e) => [
          store.settleEffect(e.seq, { status: 'sent' }, T0, 'p'),
          store.appendHistory!(
            e.dialogKey,
            { entries: [{ at: T0, kind: 'effect', data: { seq: e.seq } }], maxEntries: 100 },
            T0,
          ),
        ]),
      ),
    );
    jest.restoreAllMocks();
    // One DELETE for the three settles and one INSERT for the three entries, no transaction.
    expect(n).toBe(2);
    expect((await store.stats()).outboxDepth).toBe(0);
    expect((await store.readHistory!('a')).map((e) => e.data)).toEqual([
      { seq: claimed[0]!.seq },
      { seq: claimed[1]!.seq },
    ]);
    await store.close();
  });

  it('a merged settle is fenced per owner like a single one', async () => {
    const store = open();
    await store.commitTurn('a', turn(0, { effects: [effectOf('1'), effectOf('2')] }));
    const claimed = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p' });
    await Promise.all(
      claimed.map((e) => store.settleEffect(e.seq, { status: 'sent' }, T0, 'other')),
    );
    expect((await store.stats()).outboxDepth).toBe(2);
    await Promise.all(claimed.map((e) => store.settleEffect(e.seq, { status: 'sent' }, T0, 'p')));
    expect((await store.stats()).outboxDepth).toBe(0);
    await store.close();
  });

  it('commits a turn that queues two effects and re-arms its timer under a new key with one statement each', async () => {
    const store = open();
    await store.commitTurn('a', turn(0, { timers: [timer('idle.1', T0 + 1000)] }));
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const n = await statementsOf(() =>
      store.commitTurn(
        'a',
        turn(1, {
          effects: [effectOf('1'), effectOf('2')],
          timers: [timer('idle.2', T0 + 2000)],
          storedTimerKeys: ['idle.1'],
        }),
      ),
    );
    jest.restoreAllMocks();
    // BEGIN, the dialog's UPDATE (its timer set included), one INSERT of both effects, COMMIT.
    expect(n).toBe(4);
    const record = await store.loadDialog('a');
    expect(record?.timers.map((t) => [t.timerKey, t.deadline])).toEqual([['idle.2', T0 + 2000]]);
    const effects = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p' });
    expect(effects.map((e) => e.effect)).toEqual([effectOf('1').effect, effectOf('2').effect]);
    expect((await store.stats()).timersPending).toBe(1);
    await store.close();
  });

  it('claims in one statement without a transaction around it', async () => {
    const store = open();
    await store.commitTurn('a', turn(0, { effects: [effectOf('1')] }));
    const n = await statementsOf(() =>
      store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p' }),
    );
    expect(n).toBe(1);
    await store.close();
  });
});
