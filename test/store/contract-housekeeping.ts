/** Contract: portals, dedupe purge, stats, health, closing, and persistence where the adapter has it. */
import type { PortalRecord } from '../../src/store/store';
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

const portal = (memberId: string, extra: Partial<PortalRecord> = {}): PortalRecord => ({
  memberId,
  domain: `${memberId}.bitrix24.com`,
  clientEndpoint: `https://${memberId}.bitrix24.com/rest/`,
  accessToken: 'access',
  refreshToken: 'refresh',
  expiresAt: T0 + 3600_000,
  bots: { support: { id: 17, apiVersion: 2 } },
  installedAt: T0,
  updatedAt: T0,
  ...extra,
});

export function housekeepingContract(ctx: ContractContext): void {
  describe('portals', () => {
    it('saves, replaces, lists by member id and deletes portal records', async () => {
      const store = ctx.store();
      expect(await store.getPortal('m1')).toBeUndefined();
      await store.savePortal(portal('m2'));
      await store.savePortal(portal('m1'));
      await store.savePortal(portal('m1', { accessToken: 'fresh', updatedAt: T0 + 1 }));
      expect(await store.getPortal('m1')).toEqual(
        portal('m1', { accessToken: 'fresh', updatedAt: T0 + 1 }),
      );
      expect((await store.listPortals()).map((p) => p.memberId)).toEqual(['m1', 'm2']);
      await store.deletePortal('m1');
      await store.deletePortal('m1');
      expect(await store.getPortal('m1')).toBeUndefined();
      expect((await store.listPortals()).map((p) => p.memberId)).toEqual(['m2']);
    });

    it('stores a copy of the record', async () => {
      const store = ctx.store();
      const record = portal('m1');
      await store.savePortal(record);
      record.bots.other = { id: 1, apiVersion: 1 };
      const read = await store.getPortal('m1');
      read!.bots.third = { id: 2, apiVersion: 1 };
      expect(Object.keys((await store.getPortal('m1'))!.bots)).toEqual(['support']);
    });
  });

  describe('purgeExpired', () => {
    it('forgets processed dedupe keys past their TTL and counts them', async () => {
      const store = ctx.store();
      await store.appendInbox(
        [
          { dialogKey: 'a', dedupeKey: 'old', payload: 1 },
          { dialogKey: 'a', dedupeKey: 'waiting', payload: 2 },
        ],
        { now: T0, dedupeTtlMs: 1000 },
      );
      const old = await store.nextInbox('a');
      await store.discardInbox(old!.seq);
      await store.appendInbox([{ dialogKey: 'b', dedupeKey: 'fresh', payload: 3 }], {
        now: T0 + 900,
        dedupeTtlMs: 1000,
      });
      expect(await store.purgeExpired(T0 + 999)).toBe(0);
      expect(await store.purgeExpired(T0 + 1000)).toBe(1);
      expect(await store.purgeExpired(T0 + 1000)).toBe(0);
      expect(
        (
          await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'old', payload: 1 }], {
            now: T0 + 1000,
          })
        )[0]?.status,
      ).toBe('accepted');
      expect(
        await store.appendInbox([{ dialogKey: 'b', dedupeKey: 'fresh', payload: 3 }], {
          now: T0 + 1000,
        }),
      ).toEqual([{ status: 'duplicate' }]);
    });
  });

  describe('stats', () => {
    it('counts live dialogs, inbox, outbox, dead letters and pending timers', async () => {
      const store = ctx.store();
      expect(await store.stats()).toEqual({
        dialogs: 0,
        inboxDepth: 0,
        outboxDepth: 0,
        deadLetters: 0,
        timersPending: 0,
      });
      await appendOne(store, 'a', 'k1', 1);
      await appendOne(store, 'b', 'k2', 2);
      await store.commitTurn(
        'a',
        turn(0, {
          effects: [effectOf('1'), effectOf('2'), effectOf('3')],
          timers: [timer('t', T0 + 5), timer('u', T0 + 50)],
        }),
      );
      await store.commitTurn('c', turn(0, { snapshot: null }));
      const [first, second] = await store.claimEffects({
        now: T0,
        limit: 2,
        leaseMs: 100,
        owner: 'p',
      });
      await store.settleEffect(first!.seq, { status: 'sent' }, T0);
      await store.settleEffect(second!.seq, { status: 'failed', error: 'x', deadLetter: true }, T0);
      await store.fireDueTimers(T0 + 5, 10);
      expect(await store.stats()).toEqual({
        dialogs: 1,
        inboxDepth: 3,
        outboxDepth: 1,
        deadLetters: 1,
        timersPending: 1,
        oldestInboxAt: T0,
      });
    });

    it('keeps its counts exact through conversation ends, retries, timer rewrites and discards', async () => {
      const store = ctx.store();
      await appendOne(store, 'a', 'k1', 1, T0 + 1);
      await appendOne(store, 'a', 'k2', 2, T0 + 2);
      const [first] = [await store.nextInbox('a')];
      const r1 = await store.commitTurn(
        'a',
        turn(0, {
          effects: [effectOf('1'), effectOf('2')],
          timers: [timer('t', T0 + 5), timer('u', T0 + 50)],
          consumedSeq: first!.seq,
        }),
      );
      expect(r1).toEqual({ status: 'committed', revision: 1 });
      // The oldest waiting item is now the second one.
      expect(await store.stats()).toMatchObject({ inboxDepth: 1, oldestInboxAt: T0 + 2 });
      // The same timer set again, then a smaller one: counted once each time, not added up.
      await store.commitTurn('a', turn(1, { timers: [timer('t', T0 + 5), timer('u', T0 + 50)] }));
      await store.commitTurn('a', turn(2, { timers: [timer('u', T0 + 50)] }));
      expect(await store.stats()).toMatchObject({ dialogs: 1, timersPending: 1 });
      // A retry keeps the effect in the outbox; a dead letter moves it out of the depth.
      const [e1] = await store.claimEffects({ now: T0, limit: 1, leaseMs: 100, owner: 'p' });
      await store.settleEffect(e1!.seq, { status: 'retry', availableAt: T0, error: 'x' }, T0);
      expect(await store.stats()).toMatchObject({ outboxDepth: 2, deadLetters: 0 });
      const [again] = await store.claimEffects({ now: T0, limit: 1, leaseMs: 100, owner: 'p' });
      await store.settleEffect(again!.seq, { status: 'failed', error: 'x', deadLetter: true }, T0);
      // Settling a dead letter again changes nothing.
      await store.settleEffect(again!.seq, { status: 'sent' }, T0);
      expect(await store.stats()).toMatchObject({ outboxDepth: 1, deadLetters: 1 });
      if (store.requeueDeadLetter) {
        // An operator's requeue moves it back, and a second death counts once again.
        expect(await store.requeueDeadLetter(again!.seq, T0)).toBe(true);
        expect(await store.stats()).toMatchObject({ outboxDepth: 2, deadLetters: 0 });
        const claimed = await store.claimEffects({ now: T0, limit: 2, leaseMs: 100, owner: 'p' });
        const back = claimed.find((e) => e.seq === again!.seq);
        await store.settleEffect(back!.seq, { status: 'failed', error: 'x', deadLetter: true }, T0);
        for (const e of claimed)
          if (e.seq !== again!.seq)
            await store.settleEffect(e.seq, { status: 'retry', availableAt: T0, error: 'y' }, T0);
        expect(await store.stats()).toMatchObject({ outboxDepth: 1, deadLetters: 1 });
      }
      // The conversation ends: no longer live, its timers gone.
      await store.commitTurn('a', turn(3, { snapshot: null }));
      const [last] = [await store.nextInbox('a')];
      await store.discardInbox(last!.seq);
      expect(await store.stats()).toEqual({
        dialogs: 0,
        inboxDepth: 0,
        outboxDepth: 1,
        deadLetters: 1,
        timersPending: 0,
      });
      // And starts again.
      await store.commitTurn('a', turn(4));
      expect((await store.stats()).dialogs).toBe(1);
    });
  });

  describe('close', () => {
    it('answers ping while open and fails every call with a StoreError once closed', async () => {
      const store = ctx.store();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      for (const call of [
        () => store.ping(),
        () => store.stats(),
        () => store.appendInbox([], { now: T0 }),
      ]) {
        const error: unknown = await call().catch((e: unknown) => e);
        expect(isStoreError(error)).toBe(true);
      }
      await store.close();
    });
  });

  // Only adapters with persistence get this block (no skipped placeholder for the others).
  if (!ctx.reopen) return;
  describe('persistence', () => {
    it('keeps inbox, dedupe keys, dialogs, timers, outbox, leases, portals and offsets across a reopen', async () => {
      let store = ctx.store();
      const seq = await appendOne(store, 'a', 'k1', { text: 'hi' });
      await store.appendInbox([{ dialogKey: 'b', dedupeKey: 'k2', payload: 2 }], {
        now: T0,
        offset: { key: 'fetch', value: 42 },
      });
      await store.commitTurn(
        'a',
        turn(0, {
          consumedSeq: seq,
          effects: [effectOf('a1'), effectOf('a2'), effectOf('a3')],
          timers: [timer('t', T0 + 600_000)],
        }),
      );
      const [a1, a2] = await store.claimEffects({ now: T0, limit: 2, leaseMs: 1000, owner: 'p1' });
      await store.settleEffect(a1!.seq, { status: 'failed', error: 'gone', deadLetter: true }, T0);
      expect(a2).toBeDefined();
      await store.acquireDialog('b', 'p1', 60_000, T0);
      await store.savePortal(portal('m1'));
      const before = await store.loadDialog('a');

      store = await ctx.reopen!();
      expect(await store.loadDialog('a')).toEqual(before);
      expect((await store.nextInbox('b'))?.payload).toBe(2);
      expect(
        await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'k1', payload: 1 }], { now: T0 + 1 }),
      ).toEqual([{ status: 'duplicate' }]);
      expect(await store.getOffset('fetch')).toBe(42);
      expect(await store.getPortal('m1')).toEqual(portal('m1'));
      if (ctx.reopenReleasesLeases) {
        // The previous process is gone: its dialog and its claimed a2 are free at once.
        expect(await store.acquireDialog('b', 'p2', 1000, T0 + 1)).toBe(true);
        expect(await store.nextTimerDeadline()).toBe(T0 + 600_000);
        expect((await store.deadLetters(10)).map((d) => d.error)).toEqual(['gone']);
        expect(
          texts(await store.claimEffects({ now: T0 + 1, limit: 10, leaseMs: 1000, owner: 'p2' })),
        ).toEqual(['a2', 'a3']);
      } else {
        expect(await store.acquireDialog('b', 'p2', 1000, T0 + 1)).toBe(false);
        expect(await store.nextTimerDeadline()).toBe(T0 + 600_000);
        expect((await store.deadLetters(10)).map((d) => d.error)).toEqual(['gone']);
        // a2 is still leased to p1 (it may have been sent); a3 waits behind it until the lease expires.
        expect(
          await store.claimEffects({ now: T0 + 999, limit: 10, leaseMs: 1000, owner: 'p2' }),
        ).toEqual([]);
        expect(
          texts(
            await store.claimEffects({ now: T0 + 1000, limit: 10, leaseMs: 1000, owner: 'p2' }),
          ),
        ).toEqual(['a2', 'a3']);
      }
      // Seqs keep growing after a reopen, even past deleted items.
      const next = await appendOne(store, 'c', undefined, 3, T0 + 2);
      expect(next).toBeGreaterThan(seq + 1);
    });
  });
}
