/** Contract: dialog records, compare-and-set commits and per-dialog leases. */
import { isStoreError } from '../../src/store/store-error';
import {
  T0,
  appendOne,
  effectOf,
  texts,
  timer,
  turn,
  type ContractContext,
} from './contract-helpers';

export function dialogContract(ctx: ContractContext): void {
  describe('commitTurn', () => {
    it('creates the record at revision 1 from expected revision 0, with every field', async () => {
      const store = ctx.store();
      expect(await store.loadDialog('a')).toBeUndefined();
      const result = await store.commitTurn(
        'a',
        turn(0, {
          snapshot: { value: 'asking' },
          botVersion: '3',
          meta: { chatId: 7 },
          timers: [timer('t1', T0 + 60_000, { meta: { id: 1 } })],
          now: T0 + 1,
        }),
      );
      expect(result).toEqual({ status: 'committed', revision: 1 });
      expect(await store.loadDialog('a')).toEqual({
        dialogKey: 'a',
        revision: 1,
        snapshot: { value: 'asking' },
        botVersion: '3',
        meta: { chatId: 7 },
        timers: [
          {
            timerKey: 't1',
            deadline: T0 + 60_000,
            event: { type: 'xstate.after.t1' },
            meta: { id: 1 },
            fired: false,
          },
        ],
        updatedAt: T0 + 1,
      });
    });

    it('increments the revision by one on each commit', async () => {
      const store = ctx.store();
      for (let rev = 0; rev < 5; rev++) {
        expect(await store.commitTurn('a', turn(rev))).toEqual({
          status: 'committed',
          revision: rev + 1,
        });
      }
      expect((await store.loadDialog('a'))?.snapshot).toEqual({ value: 'idle', context: { n: 5 } });
    });

    it('refuses a stale revision and changes nothing at all', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { timers: [timer('keep', T0 + 10)] }));
      await store.commitTurn('a', turn(1, { timers: [timer('keep', T0 + 10)] }));
      const seq = await appendOne(store, 'a', 'k', 'event');
      const before = await store.loadDialog('a');
      for (const stale of [0, 1, 3]) {
        const result = await store.commitTurn(
          'a',
          turn(stale, {
            snapshot: 'other',
            effects: [effectOf('x')],
            timers: [timer('new', T0 + 5)],
            consumedSeq: seq,
            now: T0 + 99,
          }),
        );
        expect(result).toEqual({ status: 'conflict' });
      }
      expect(await store.loadDialog('a')).toEqual(before);
      expect((await store.nextInbox('a'))?.seq).toBe(seq);
      expect(
        await store.claimEffects({ now: T0 + 100, limit: 10, leaseMs: 1000, owner: 'o' }),
      ).toEqual([]);
      expect((await store.stats()).timersPending).toBe(1);
    });

    it('lets exactly one of several concurrent commits of the same revision win', async () => {
      const store = ctx.store();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.commitTurn('a', turn(0, { snapshot: { writer: i }, effects: [effectOf(`w${i}`)] })),
        ),
      );
      const winners = results.flatMap((r, i) => (r.status === 'committed' ? [i] : []));
      expect(winners).toHaveLength(1);
      expect((await store.loadDialog('a'))?.snapshot).toEqual({ writer: winners[0] });
      const claimed = await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'o' });
      expect(texts(claimed)).toEqual([`w${winners[0]}`]);
    });

    it('keeps every increment when many workers commit in parallel with compare-and-set retries', async () => {
      const store = ctx.store();
      const worker = async (dialogKey: string): Promise<void> => {
        for (let attempt = 0; attempt < 500; attempt++) {
          const current = await store.loadDialog(dialogKey);
          const revision = current?.revision ?? 0;
          const n = (current?.snapshot as { n?: number } | undefined)?.n ?? 0;
          const result = await store.commitTurn(
            dialogKey,
            turn(revision, { snapshot: { n: n + 1 } }),
          );
          if (result.status === 'committed') return;
        }
        throw new Error('worker never committed');
      };
      await Promise.all(Array.from({ length: 10 * 6 }, (_, i) => worker(`d${i % 10}`)));
      for (let d = 0; d < 10; d++) {
        const record = await store.loadDialog(`d${d}`);
        expect(record?.revision).toBe(6);
        expect(record?.snapshot).toEqual({ n: 6 });
      }
    });

    it('consumes the inbox item in the same commit, and only an item of this dialog', async () => {
      const store = ctx.store();
      const mine = await appendOne(store, 'a', 'k1', 1);
      const other = await appendOne(store, 'b', 'k2', 2);
      await store.commitTurn('a', turn(0, { consumedSeq: mine }));
      expect(await store.nextInbox('a')).toBeUndefined();
      await store.commitTurn('a', turn(1, { consumedSeq: other }));
      expect((await store.nextInbox('b'))?.seq).toBe(other);
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k1', payload: 1 }], { now: T0 }),
      ).toEqual([{ status: 'duplicate' }]);
    });

    it('replaces the whole timer set, keeping the fired flag it is given', async () => {
      const store = ctx.store();
      await store.commitTurn(
        'a',
        turn(0, { timers: [timer('t1', T0 + 10), timer('t2', T0 + 20)] }),
      );
      await store.commitTurn(
        'a',
        turn(1, { timers: [timer('t3', T0 + 5, { fired: true }), timer('t2', T0 + 30)] }),
      );
      const timers = (await store.loadDialog('a'))?.timers;
      expect(timers?.map((t) => [t.timerKey, t.deadline, t.fired])).toEqual([
        ['t3', T0 + 5, true],
        ['t2', T0 + 30, false],
      ]);
      await store.commitTurn('a', turn(2, { timers: [] }));
      expect((await store.loadDialog('a'))?.timers).toEqual([]);
      expect(await store.nextTimerDeadline()).toBeUndefined();
    });

    it('stores a null snapshot for an ended conversation, not counted as a live dialog', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0));
      await store.commitTurn('b', turn(0));
      await store.commitTurn('a', turn(1, { snapshot: null }));
      expect((await store.loadDialog('a'))?.snapshot).toBeNull();
      expect((await store.stats()).dialogs).toBe(1);
    });

    it('stores copies: mutating the commit or a loaded record changes nothing', async () => {
      const store = ctx.store();
      const snapshot = { context: { items: ['a'] } };
      const commit = turn(0, { snapshot, timers: [timer('t', T0 + 1)] });
      await store.commitTurn('a', commit);
      snapshot.context.items.push('b');
      commit.timers.push(timer('u', T0 + 2));
      const loaded = await store.loadDialog('a');
      (loaded!.snapshot as typeof snapshot).context.items.push('c');
      loaded!.timers.length = 0;
      const again = await store.loadDialog('a');
      expect(again?.snapshot).toEqual({ context: { items: ['a'] } });
      expect(again?.timers.map((t) => t.timerKey)).toEqual(['t']);
    });

    it('rejects a snapshot that is not JSON with a StoreError and commits nothing', async () => {
      const store = ctx.store();
      const error: unknown = await store
        .commitTurn('a', turn(0, { snapshot: { n: 1n }, effects: [effectOf('x')] }))
        .catch((e: unknown) => e);
      expect(isStoreError(error)).toBe(true);
      expect(await store.loadDialog('a')).toBeUndefined();
      expect((await store.stats()).outboxDepth).toBe(0);
    });
  });

  describe('acquireDialog', () => {
    it('grants a free dialog and extends the lease for the same owner', async () => {
      const store = ctx.store();
      expect(await store.acquireDialog('a', 'p1', 1000, T0)).toBe(true);
      expect(await store.acquireDialog('a', 'p1', 1000, T0 + 900)).toBe(true);
      // Extended to T0 + 1900: another owner still waits at T0 + 1500.
      expect(await store.acquireDialog('a', 'p2', 1000, T0 + 1500)).toBe(false);
      expect(await store.acquireDialog('a', 'p2', 1000, T0 + 1900)).toBe(true);
    });

    it('refuses another owner until the lease expires, also after a commit', async () => {
      const store = ctx.store();
      await store.acquireDialog('a', 'p1', 1000, T0);
      await store.commitTurn('a', turn(0));
      expect(await store.acquireDialog('a', 'p2', 1000, T0 + 999)).toBe(false);
      expect(await store.acquireDialog('a', 'p2', 1000, T0 + 1000)).toBe(true);
      expect(await store.acquireDialog('a', 'p1', 1000, T0 + 1001)).toBe(false);
      expect(await store.acquireDialog('b', 'p1', 1000, T0 + 1001)).toBe(true);
    });

    it('creates no visible dialog record', async () => {
      const store = ctx.store();
      await store.acquireDialog('a', 'p1', 1000, T0);
      expect(await store.loadDialog('a')).toBeUndefined();
      expect((await store.stats()).dialogs).toBe(0);
      expect(await store.commitTurn('a', turn(0))).toEqual({ status: 'committed', revision: 1 });
    });
  });

  describe('releaseDialog', () => {
    it('frees the dialog for the owner only', async () => {
      const store = ctx.store();
      await store.acquireDialog('a', 'p1', 1000, T0);
      await store.releaseDialog('a', 'p2');
      expect(await store.acquireDialog('a', 'p2', 1000, T0 + 1)).toBe(false);
      await store.releaseDialog('a', 'p1');
      expect(await store.acquireDialog('a', 'p2', 1000, T0 + 2)).toBe(true);
      await store.releaseDialog('missing', 'p1');
    });

    it('keeps the committed record when the lease is released', async () => {
      const store = ctx.store();
      await store.acquireDialog('a', 'p1', 1000, T0);
      await store.commitTurn('a', turn(0));
      await store.releaseDialog('a', 'p1');
      expect((await store.loadDialog('a'))?.revision).toBe(1);
      expect(await store.commitTurn('a', turn(1))).toEqual({ status: 'committed', revision: 2 });
    });
  });
}
