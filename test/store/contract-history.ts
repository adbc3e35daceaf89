/**
 * Contract: dialog histories (written with the turn, trimmed to their retention) and the
 * inspection reads and operator requeue the inspector relies on.
 */
import type { HistoryWrite, NewHistoryEntry, Store } from '../../src/store/store';
import { isStoreError } from '../../src/store/store-error';
import { T0, effectOf, timer, turn, type ContractContext } from './contract-helpers';

/** The optional inspection methods, which every built-in adapter must have. */
function inspectable(
  store: Store,
): Required<
  Pick<
    Store,
    'appendHistory' | 'readHistory' | 'listDialogs' | 'dialogEffects' | 'requeueDeadLetter'
  >
> {
  const { appendHistory, readHistory, listDialogs, dialogEffects, requeueDeadLetter } = store;
  if (!appendHistory || !readHistory || !listDialogs || !dialogEffects || !requeueDeadLetter)
    throw new Error(`the ${store.kind} store lacks a history or inspection method`);
  return {
    appendHistory: appendHistory.bind(store),
    readHistory: readHistory.bind(store),
    listDialogs: listDialogs.bind(store),
    dialogEffects: dialogEffects.bind(store),
    requeueDeadLetter: requeueDeadLetter.bind(store),
  };
}

const entry = (n: number, at = T0 + n): NewHistoryEntry => ({
  at,
  kind: 'inbound',
  data: { n, text: `message ${n}` },
});

const keep = (maxEntries: number, entries: NewHistoryEntry[], maxAgeMs?: number): HistoryWrite => ({
  entries,
  maxEntries,
  ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
});

const numbers = (entries: Array<{ data: unknown }>): number[] =>
  entries.map((e) => (e.data as { n: number }).n);

export function historyContract(ctx: ContractContext): void {
  describe('history', () => {
    it('is written with the turn, in order, with store-assigned increasing ids', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await store.commitTurn(
        'a',
        turn(0, {
          history: keep(100, [
            entry(1),
            { at: T0 + 2, kind: 'turn', data: { state: 'menu', effects: [{ type: 'say' }] } },
          ]),
        }),
      );
      await store.commitTurn('a', turn(1, { now: T0 + 5, history: keep(100, [entry(3)]) }));
      const read = await h.readHistory('a');
      expect(read.map(({ at, kind, data }) => ({ at, kind, data }))).toEqual([
        { at: T0 + 1, kind: 'inbound', data: { n: 1, text: 'message 1' } },
        { at: T0 + 2, kind: 'turn', data: { state: 'menu', effects: [{ type: 'say' }] } },
        { at: T0 + 3, kind: 'inbound', data: { n: 3, text: 'message 3' } },
      ]);
      const ids = read.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(3);
      expect(await h.readHistory('b')).toEqual([]);
    });

    it('keeps the newest maxEntries: 100 events with a limit of 20 keep the last 20', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      for (let n = 1; n <= 100; n++) {
        const r = await store.commitTurn('a', turn(n - 1, { history: keep(20, [entry(n)]) }));
        expect(r.status).toBe('committed');
      }
      const read = await h.readHistory('a');
      expect(numbers(read)).toEqual(Array.from({ length: 20 }, (_, i) => 81 + i));
      expect(numbers(await h.readHistory('a', { limit: 5 }))).toEqual([96, 97, 98, 99, 100]);
    });

    it('writes nothing when the commit carries no history (history switched off)', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      for (let n = 0; n < 10; n++) await store.commitTurn('a', turn(n));
      expect(await h.readHistory('a')).toEqual([]);
      expect((await h.listDialogs({ limit: 10 }))[0]?.revision).toBe(10);
    });

    it('drops entries older than maxAgeMs at the next write', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await h.appendHistory('a', keep(100, [entry(1, T0), entry(2, T0 + 1000)], 5000), T0 + 1000);
      expect(numbers(await h.readHistory('a'))).toEqual([1, 2]);
      await h.appendHistory('a', keep(100, [entry(3, T0 + 5500)], 5000), T0 + 5500);
      expect(numbers(await h.readHistory('a'))).toEqual([2, 3]);
    });

    it('appendHistory trims too, and a limit of 0 keeps nothing', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await h.appendHistory(
        'a',
        keep(
          3,
          [1, 2, 3, 4, 5].map((n) => entry(n)),
        ),
        T0,
      );
      expect(numbers(await h.readHistory('a'))).toEqual([3, 4, 5]);
      await h.appendHistory('a', keep(0, [entry(6)]), T0);
      expect(await h.readHistory('a')).toEqual([]);
    });

    it('keeps each dialog apart', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await store.commitTurn('a', turn(0, { history: keep(2, [entry(1), entry(2)]) }));
      await store.commitTurn('b', turn(0, { history: keep(2, [entry(10)]) }));
      await store.commitTurn('b', turn(1, { history: keep(2, [entry(11), entry(12)]) }));
      expect(numbers(await h.readHistory('a'))).toEqual([1, 2]);
      expect(numbers(await h.readHistory('b'))).toEqual([11, 12]);
    });

    it('a conflicting commit writes no history', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await store.commitTurn('a', turn(0, { history: keep(10, [entry(1)]) }));
      const r = await store.commitTurn('a', turn(0, { history: keep(10, [entry(2)]) }));
      expect(r.status).toBe('conflict');
      expect(numbers(await h.readHistory('a'))).toEqual([1]);
    });

    it('refuses data that is not JSON with a StoreError and writes nothing of the turn', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      const bad: NewHistoryEntry = { at: T0, kind: 'inbound', data: { n: BigInt(1) } };
      const err = await store
        .commitTurn('a', turn(0, { effects: [effectOf('x')], history: keep(10, [bad]) }))
        .catch((e: unknown) => e);
      expect(isStoreError(err)).toBe(true);
      expect(await store.loadDialog('a')).toBeUndefined();
      expect(await h.readHistory('a')).toEqual([]);
      expect((await store.stats()).outboxDepth).toBe(0);
      await expect(h.appendHistory('a', keep(-1, [entry(1)]), T0)).rejects.toThrow(/maxEntries/);
    });

    it('survives a reopen', async () => {
      if (!ctx.reopen) return;
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { history: keep(10, [entry(1), entry(2)]) }));
      const reopened = await ctx.reopen();
      expect(numbers(await inspectable(reopened).readHistory('a'))).toEqual([1, 2]);
    });
  });

  describe('inspection', () => {
    it('lists dialogs most recently updated first, with timers and outbox counts', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await store.commitTurn(
        'a',
        turn(0, { now: T0 + 1, effects: [effectOf('a1'), effectOf('a2')] }),
      );
      await store.commitTurn('b', turn(0, { now: T0 + 3, timers: [timer('idle', T0 + 600_000)] }));
      await store.commitTurn('c', turn(0, { now: T0 + 2, effects: [effectOf('c1')] }));
      const claimed = await store.claimEffects({
        now: T0 + 10,
        limit: 10,
        leaseMs: 1000,
        owner: 'p',
      });
      expect(claimed).toHaveLength(3);
      const cEffect = claimed.find((e) => e.dialogKey === 'c')!;
      await store.settleEffect(
        cEffect.seq,
        { status: 'failed', error: 'ACCESS_DENIED', deadLetter: true },
        T0 + 11,
      );
      const list = await h.listDialogs({ limit: 10 });
      expect(list.map((d) => d.dialogKey)).toEqual(['b', 'c', 'a']);
      const byKey = Object.fromEntries(list.map((d) => [d.dialogKey, d]));
      expect(byKey.a).toMatchObject({
        revision: 1,
        outboxDepth: 2,
        deadLetters: 0,
        updatedAt: T0 + 1,
      });
      expect(byKey.c).toMatchObject({ outboxDepth: 0, deadLetters: 1 });
      expect(byKey.b?.timers.map((t) => t.timerKey)).toEqual(['idle']);
      expect(byKey.b?.snapshot).toEqual({ value: 'idle', context: { n: 1 } });
      expect((await h.listDialogs({ limit: 2 })).map((d) => d.dialogKey)).toEqual(['b', 'c']);
      expect(await h.listDialogs({ limit: 0 })).toEqual([]);
    });

    it("shows a dialog's effects with their status and last error, in seq order", async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await store.commitTurn(
        'a',
        turn(0, { effects: [effectOf('a1'), effectOf('a2'), effectOf('a3')] }),
      );
      await store.commitTurn('b', turn(0, { effects: [effectOf('b1')] }));
      const claimed = await store.claimEffects({ now: T0, limit: 2, leaseMs: 1000, owner: 'p' });
      expect(claimed.map((e) => e.dialogKey)).toEqual(['a', 'a']);
      await store.settleEffect(
        claimed[0]!.seq,
        { status: 'failed', error: 'CHAT_ID_ERROR: no chat', deadLetter: true },
        T0 + 1,
      );
      const effects = await h.dialogEffects('a');
      expect(effects.map((e) => [e.effect.type === 'say' && e.effect.text, e.status])).toEqual([
        ['a1', 'dead'],
        ['a2', 'inflight'],
        ['a3', 'pending'],
      ]);
      expect(effects[0]).toMatchObject({
        error: 'CHAT_ID_ERROR: no chat',
        attempts: 1,
        portalId: 'portal-a',
      });
      expect(await h.dialogEffects('none')).toEqual([]);
    });

    it('requeues a dead letter: pending again, claimable, attempts reset', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await store.commitTurn('a', turn(0, { effects: [effectOf('a1')] }));
      const [e] = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'p' });
      await store.settleEffect(e!.seq, { status: 'failed', error: 'X', deadLetter: true }, T0 + 1);
      expect((await store.stats()).deadLetters).toBe(1);
      expect(
        await store.claimEffects({ now: T0 + 2, limit: 10, leaseMs: 1000, owner: 'p' }),
      ).toEqual([]);
      expect(await h.requeueDeadLetter(e!.seq, T0 + 50)).toBe(true);
      expect(await h.requeueDeadLetter(e!.seq, T0 + 50)).toBe(false);
      expect(await h.requeueDeadLetter(999_999, T0 + 50)).toBe(false);
      expect(await store.stats()).toMatchObject({ deadLetters: 0, outboxDepth: 1 });
      expect(await store.deadLetters(10)).toEqual([]);
      expect(
        await store.claimEffects({ now: T0 + 49, limit: 10, leaseMs: 1000, owner: 'p' }),
      ).toEqual([]);
      const again = await store.claimEffects({
        now: T0 + 50,
        limit: 10,
        leaseMs: 1000,
        owner: 'p',
      });
      expect(again.map((x) => [x.seq, x.attempts])).toEqual([[e!.seq, 0]]);
      await store.settleEffect(e!.seq, { status: 'sent' }, T0 + 51);
      expect(await h.dialogEffects('a')).toEqual([]);
    });

    it('a pending effect is not a dead letter to requeue', async () => {
      const store = ctx.store();
      const h = inspectable(store);
      await store.commitTurn('a', turn(0, { effects: [effectOf('a1')] }));
      const [e] = await h.dialogEffects('a');
      expect(await h.requeueDeadLetter(e!.seq, T0)).toBe(false);
      expect((await h.dialogEffects('a'))[0]?.status).toBe('pending');
    });
  });
}
