/**
 * Contract: `commitInlineTurn`, for the adapters that have it (a turn committed for an event that
 * never waited in the inbox, or that is the dialog's oldest item).
 */
import type { InlineTurnCommit } from '../../src/store/store';
import { T0, appendOne, effectOf, texts, turn, type ContractContext } from './contract-helpers';

/** A turn commit with the inline fields. */
const inlineTurn = (rev: number, extra: Partial<InlineTurnCommit> = {}): InlineTurnCommit => ({
  ...turn(rev),
  ...extra,
});

export function inlineContract(ctx: ContractContext): void {
  describe('commitInlineTurn', () => {
    const inlineOf = (): NonNullable<ReturnType<ContractContext['store']>['commitInlineTurn']> => {
      const store = ctx.store();
      if (!store.commitInlineTurn) throw new Error('the adapter has no commitInlineTurn');
      return store.commitInlineTurn.bind(store);
    };

    it('commits the turn and remembers the event: the same key appended later is a duplicate', async () => {
      const store = ctx.store();
      const result = await inlineOf()(
        'a',
        inlineTurn(0, { effects: [effectOf('hi')], inbound: { dedupeKey: 'msg:1' } }),
      );
      expect(result).toEqual({ status: 'committed', revision: 1 });
      expect((await store.loadDialog('a'))?.revision).toBe(1);
      expect(
        texts(await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'o' })),
      ).toEqual(['hi']);
      expect((await store.stats()).inboxDepth).toBe(0);
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'msg:1', payload: {} }], {
          now: T0 + 1,
        }),
      ).toEqual([{ status: 'duplicate' }]);
      // Remembered for the TTL given, like a consumed item's key.
      await inlineOf()('b', inlineTurn(0, { inbound: { dedupeKey: 'msg:2', dedupeTtlMs: 1000 } }));
      expect(
        await store.appendInbox([{ dialogKey: 'b', dedupeKey: 'msg:2', payload: {} }], {
          now: T0 + 1001,
        }),
      ).toEqual([{ status: 'accepted', seq: expect.any(Number) }]);
    });

    it('is busy, writing nothing, while any inbox item of the dialog waits', async () => {
      const store = ctx.store();
      await appendOne(store, 'a', 'msg:0', { n: 0 });
      const result = await inlineOf()(
        'a',
        inlineTurn(0, { effects: [effectOf('hi')], inbound: { dedupeKey: 'msg:1' } }),
      );
      expect(result).toEqual({ status: 'busy' });
      expect(await store.loadDialog('a')).toBeUndefined();
      expect(await store.claimEffects({ now: T0, limit: 10, leaseMs: 1000, owner: 'o' })).toEqual(
        [],
      );
      // The key was not remembered: the event can still be appended.
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'msg:1', payload: {} }], { now: T0 }),
      ).toEqual([{ status: 'accepted', seq: expect.any(Number) }]);
      // Another dialog's items do not matter.
      expect(await inlineOf()('b', inlineTurn(0, { inbound: { dedupeKey: 'msg:2' } }))).toEqual({
        status: 'committed',
        revision: 1,
      });
    });

    it('is a duplicate, writing nothing, when the key is pending or remembered', async () => {
      const store = ctx.store();
      await appendOne(store, 'x', 'msg:1', {});
      expect(await inlineOf()('a', inlineTurn(0, { inbound: { dedupeKey: 'msg:1' } }))).toEqual({
        status: 'duplicate',
      });
      await inlineOf()('b', inlineTurn(0, { inbound: { dedupeKey: 'msg:2' } }));
      expect(await inlineOf()('c', inlineTurn(0, { inbound: { dedupeKey: 'msg:2' } }))).toEqual({
        status: 'duplicate',
      });
      expect(await store.loadDialog('a')).toBeUndefined();
      expect(await store.loadDialog('c')).toBeUndefined();
    });

    it("with consumedSeq: commits only when that item is the dialog's oldest, and consumes it", async () => {
      const store = ctx.store();
      const first = await appendOne(store, 'a', 'msg:1', { n: 1 });
      const second = await appendOne(store, 'a', 'msg:2', { n: 2 });
      expect(await inlineOf()('a', inlineTurn(0, { consumedSeq: second }))).toEqual({
        status: 'busy',
      });
      expect(await store.loadDialog('a')).toBeUndefined();
      expect(await inlineOf()('a', inlineTurn(0, { consumedSeq: first }))).toEqual({
        status: 'committed',
        revision: 1,
      });
      expect((await store.nextInbox('a'))?.seq).toBe(second);
      // The consumed item's key is remembered as any consumed item's.
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'msg:1', payload: {} }], { now: T0 }),
      ).toEqual([{ status: 'duplicate' }]);
    });

    it('refuses a stale revision and remembers nothing', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0));
      expect(await inlineOf()('a', inlineTurn(0, { inbound: { dedupeKey: 'msg:1' } }))).toEqual({
        status: 'conflict',
      });
      expect((await store.loadDialog('a'))?.revision).toBe(1);
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'msg:1', payload: {} }], { now: T0 }),
      ).toEqual([{ status: 'accepted', seq: expect.any(Number) }]);
    });
  });
}
