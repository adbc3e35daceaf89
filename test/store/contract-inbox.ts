/** Contract: the inbox (durable record before acknowledgement), dedupe and fetch offsets. */
import { isStoreError } from '../../src/store/store-error';
import {
  T0,
  appendOne,
  drainDialog,
  seededRandom,
  shuffle,
  turn,
  type ContractContext,
} from './contract-helpers';

export function inboxContract(ctx: ContractContext): void {
  describe('peekInbox', () => {
    it("shows a dialog's oldest items in seq order without consuming them (#8)", async () => {
      const store = ctx.store();
      const a1 = await appendOne(store, 'a', 'k1', { n: 1 }, T0);
      await appendOne(store, 'b', 'k2', { n: 2 }, T0 + 1);
      const a3 = await appendOne(store, 'a', undefined, { n: 3 }, T0 + 2);
      const a4 = await appendOne(store, 'a', 'k4', { n: 4 }, T0 + 3);
      expect(await store.peekInbox('a', 2)).toEqual([
        { seq: a1, dialogKey: 'a', dedupeKey: 'k1', payload: { n: 1 }, receivedAt: T0 },
        { seq: a3, dialogKey: 'a', payload: { n: 3 }, receivedAt: T0 + 2 },
      ]);
      expect((await store.peekInbox('a', 100)).map((i) => i.seq)).toEqual([a1, a3, a4]);
      expect(await store.peekInbox('a', 0)).toEqual([]);
      expect(await store.peekInbox('unknown', 5)).toEqual([]);
      // Nothing was consumed.
      expect((await store.nextInbox('a'))?.seq).toBe(a1);
      expect((await store.peekInbox('b', 5)).map((i) => i.payload)).toEqual([{ n: 2 }]);
    });

    it('lets a turn consume an item behind the oldest one; the oldest stays first (#8)', async () => {
      const store = ctx.store();
      const first = await appendOne(store, 'a', 'm1', 'message', T0);
      const second = await appendOne(store, 'a', 'm2', 'message 2', T0 + 1);
      const join = await appendOne(store, 'a', 'j1', 'join', T0 + 2);
      const committed = await store.commitTurn('a', turn(0, { consumedSeq: join }));
      expect(committed.status).toBe('committed');
      expect((await store.peekInbox('a', 10)).map((i) => i.seq)).toEqual([first, second]);
      expect((await store.nextInbox('a'))?.seq).toBe(first);
      expect(await store.pendingDialogs(10)).toEqual(['a']);
      // The consumed item's dedupe key is remembered like any processed one.
      const [again] = await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'j1', payload: 'x' }], {
        now: T0 + 3,
      });
      expect(again).toEqual({ status: 'duplicate' });
      expect((await drainDialog(store, 'a')).map((i) => i.payload)).toEqual([
        'message',
        'message 2',
      ]);
      expect(await store.pendingDialogs(10)).toEqual([]);
    });
  });

  describe('appendInbox', () => {
    it('assigns increasing seqs and serves each dialog its items oldest first', async () => {
      const store = ctx.store();
      const results = await store.appendInbox(
        [
          { dialogKey: 'a', dedupeKey: 'e1', payload: { n: 1 } },
          { dialogKey: 'b', dedupeKey: 'e2', payload: { n: 2 } },
          { dialogKey: 'a', payload: { n: 3 } },
        ],
        { now: T0 },
      );
      const seqs = results.map((r) => (r.status === 'accepted' ? r.seq : NaN));
      expect(seqs[0]).toBeLessThan(seqs[1]!);
      expect(seqs[1]).toBeLessThan(seqs[2]!);
      expect(await store.nextInbox('a')).toEqual({
        seq: seqs[0],
        dialogKey: 'a',
        dedupeKey: 'e1',
        payload: { n: 1 },
        receivedAt: T0,
      });
      const later = await appendOne(store, 'a', undefined, 'x', T0 + 5);
      expect(later).toBeGreaterThan(seqs[2]!);
      expect((await drainDialog(store, 'a')).map((i) => i.payload)).toEqual([
        { n: 1 },
        { n: 3 },
        'x',
      ]);
      expect(await store.nextInbox('a')).toBeUndefined();
      expect(await store.nextInbox('unknown')).toBeUndefined();
    });

    it('reports a key that is still pending as duplicate and stores nothing', async () => {
      const store = ctx.store();
      await appendOne(store, 'a', 'k', 'first');
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k', payload: 'again' }], {
          now: T0 + 1,
        }),
      ).toEqual([{ status: 'duplicate' }]);
      expect((await drainDialog(store, 'a')).map((i) => i.payload)).toEqual(['first']);
    });

    it('reports a key repeated within one call as duplicate and keeps the first', async () => {
      const store = ctx.store();
      const results = await store.appendInbox(
        [
          { dialogKey: 'a', dedupeKey: 'k', payload: 1 },
          { dialogKey: 'a', dedupeKey: 'k', payload: 2 },
          { dialogKey: 'b', dedupeKey: 'j', payload: 3 },
        ],
        { now: T0 },
      );
      expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'accepted']);
      expect((await drainDialog(store, 'a')).map((i) => i.payload)).toEqual([1]);
    });

    it('reports a processed key as duplicate until its TTL has passed', async () => {
      const store = ctx.store();
      const seq = await appendOne(store, 'a', 'k', 'x');
      expect(await store.commitTurn('a', turn(0, { consumedSeq: seq }))).toEqual({
        status: 'committed',
        revision: 1,
      });
      const again = (now: number) =>
        store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k', payload: 'y' }], {
          now,
          dedupeTtlMs: 1000,
        });
      expect(await again(T0 + 500)).toEqual([{ status: 'duplicate' }]);
      // The first append used the default TTL of 7 days.
      expect(await again(T0 + 6 * 24 * 3600_000)).toEqual([{ status: 'duplicate' }]);
      const [late] = await again(T0 + 7 * 24 * 3600_000);
      expect(late?.status).toBe('accepted');
    });

    it('honours a custom dedupeTtlMs', async () => {
      const store = ctx.store();
      await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k', payload: 'x' }], {
        now: T0,
        dedupeTtlMs: 1000,
      });
      expect(await drainDialog(store, 'a')).toHaveLength(1);
      const again = (now: number) =>
        store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k', payload: 'y' }], { now });
      expect(await again(T0 + 999)).toEqual([{ status: 'duplicate' }]);
      expect((await again(T0 + 1000))[0]?.status).toBe('accepted');
    });

    it('keeps the key of an item still waiting a duplicate past its TTL, also through purgeExpired', async () => {
      const store = ctx.store();
      await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k', payload: 'x' }], {
        now: T0,
        dedupeTtlMs: 10,
      });
      expect(await store.purgeExpired(T0 + 100)).toBe(0);
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k', payload: 'y' }], {
          now: T0 + 100,
        }),
      ).toEqual([{ status: 'duplicate' }]);
      expect((await drainDialog(store, 'a')).map((i) => i.payload)).toEqual(['x']);
    });

    it('accepts items without a dedupe key every time', async () => {
      const store = ctx.store();
      const results = await store.appendInbox(
        [
          { dialogKey: 'a', payload: 'same' },
          { dialogKey: 'a', payload: 'same' },
        ],
        { now: T0 },
      );
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    });

    it('keeps the highest offset and never moves it backwards', async () => {
      const store = ctx.store();
      expect(await store.getOffset('fetch:p1')).toBeUndefined();
      await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k1', payload: 1 }], {
        now: T0,
        offset: { key: 'fetch:p1', value: 5 },
      });
      expect(await store.getOffset('fetch:p1')).toBe(5);
      await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k2', payload: 2 }], {
        now: T0,
        offset: { key: 'fetch:p1', value: 3 },
      });
      expect(await store.getOffset('fetch:p1')).toBe(5);
      // A page of duplicates still moves the offset: the poller has seen those events.
      await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k1', payload: 1 }], {
        now: T0,
        offset: { key: 'fetch:p1', value: 9 },
      });
      expect(await store.getOffset('fetch:p1')).toBe(9);
      await store.appendInbox([], { now: T0, offset: { key: 'fetch:p2', value: 1 } });
      expect(await store.getOffset('fetch:p2')).toBe(1);
      expect(await store.getOffset('fetch:p1')).toBe(9);
    });

    it('rejects a payload that is not JSON with a StoreError and stores nothing of the call', async () => {
      const store = ctx.store();
      const error: unknown = await store
        .appendInbox(
          [
            { dialogKey: 'a', dedupeKey: 'good', payload: { ok: true } },
            { dialogKey: 'a', dedupeKey: 'bad', payload: { n: 10n } },
          ],
          { now: T0, offset: { key: 'o', value: 1 } },
        )
        .catch((e: unknown) => e);
      expect(isStoreError(error)).toBe(true);
      expect(await store.nextInbox('a')).toBeUndefined();
      expect(await store.getOffset('o')).toBeUndefined();
      expect(
        (
          await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'good', payload: 1 }], { now: T0 })
        )[0]?.status,
      ).toBe('accepted');
    });

    it('stores a copy: mutating the payload after appending or after reading changes nothing', async () => {
      const store = ctx.store();
      const payload = { list: [1, 2] };
      await appendOne(store, 'a', 'k', payload);
      payload.list.push(3);
      const read = await store.nextInbox('a');
      (read!.payload as { list: number[] }).list.push(4);
      expect((await store.nextInbox('a'))?.payload).toEqual({ list: [1, 2] });
    });

    it('keeps every dialog in arrival order under many parallel appends, each event once', async () => {
      const store = ctx.store();
      const random = seededRandom(42);
      const events = Array.from({ length: 20 * 25 }, (_, i) => ({
        dialogKey: `d${i % 20}`,
        id: `e${i}`,
      }));
      const delivered = shuffle([...events, ...events], random);
      const results = await Promise.all(
        delivered.map((e) =>
          store.appendInbox([{ dialogKey: e.dialogKey, dedupeKey: e.id, payload: e.id }], {
            now: T0,
          }),
        ),
      );
      expect(results.filter(([r]) => r?.status === 'accepted')).toHaveLength(events.length);
      for (let d = 0; d < 20; d++) {
        const arrival = [
          ...new Set(delivered.filter((e) => e.dialogKey === `d${d}`).map((e) => e.id)),
        ];
        expect((await drainDialog(store, `d${d}`)).map((i) => i.payload)).toEqual(arrival);
      }
    });
  });

  describe('pendingDialogs', () => {
    it('lists the dialogs that have pending items, oldest item first, up to the limit', async () => {
      const store = ctx.store();
      expect(await store.pendingDialogs(10)).toEqual([]);
      await appendOne(store, 'b', undefined, 1);
      await appendOne(store, 'a', undefined, 2);
      await appendOne(store, 'b', undefined, 3);
      const cSeq = await appendOne(store, 'c', undefined, 4);
      expect(await store.pendingDialogs(10)).toEqual(['b', 'a', 'c']);
      expect(await store.pendingDialogs(2)).toEqual(['b', 'a']);
      await drainDialog(store, 'b');
      await store.discardInbox(cSeq);
      expect(await store.pendingDialogs(10)).toEqual(['a']);
    });
  });

  describe('discardInbox', () => {
    it('drops one item, leaves the dialog untouched and keeps its key a duplicate', async () => {
      const store = ctx.store();
      const first = await appendOne(store, 'a', 'k1', 1);
      await appendOne(store, 'a', 'k2', 2);
      await store.discardInbox(first);
      await store.discardInbox(first);
      expect((await store.nextInbox('a'))?.payload).toBe(2);
      expect(await store.loadDialog('a')).toBeUndefined();
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k1', payload: 1 }], { now: T0 }),
      ).toEqual([{ status: 'duplicate' }]);
    });
  });
}
