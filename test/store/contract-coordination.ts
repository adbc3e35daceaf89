/** Contract: the shared request budgets (GCRA) and named locks of several processes. */
import { isStoreError } from '../../src/store/store-error';
import { T0, type ContractContext } from './contract-helpers';

const BITRIX = { burst: 50, perSecond: 2 };

export function coordinationContract(ctx: ContractContext): void {
  describe('reserveRate', () => {
    it('grants the burst at once, then one request per interval, in arrival order (50 / 2 per s)', async () => {
      const store = ctx.store();
      const burst = [];
      for (let i = 0; i < 50; i++)
        burst.push(await store.reserveRate('m1', { ...BITRIX, now: T0 }));
      expect(burst.map((r) => r.waitMs)).toEqual(Array.from({ length: 50 }, () => 0));
      expect(burst.map((r) => r.level)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const next = [];
      for (let i = 0; i < 3; i++) next.push(await store.reserveRate('m1', { ...BITRIX, now: T0 }));
      expect(next).toEqual([
        { waitMs: 500, level: 51 },
        { waitMs: 1000, level: 52 },
        { waitMs: 1500, level: 53 },
      ]);
      // 1.5 s later the bucket drained 3: the reservations above are due, the next one waits 500 ms.
      expect(await store.reserveRate('m1', { ...BITRIX, now: T0 + 1500 })).toEqual({
        waitMs: 500,
        level: 51,
      });
      // Fully drained after 25.5 s more: a fresh burst.
      expect(await store.reserveRate('m1', { ...BITRIX, now: T0 + 27_000 })).toEqual({
        waitMs: 0,
        level: 1,
      });
    });

    it('keeps one budget per key and honours each call’s limit (Enterprise 250 / 5)', async () => {
      const store = ctx.store();
      for (let i = 0; i < 250; i++)
        await store.reserveRate('ent', { burst: 250, perSecond: 5, now: T0 });
      expect(await store.reserveRate('ent', { burst: 250, perSecond: 5, now: T0 })).toEqual({
        waitMs: 200,
        level: 251,
      });
      expect(await store.reserveRate('other', { ...BITRIX, now: T0 })).toEqual({
        waitMs: 0,
        level: 1,
      });
    });

    it('treats a saturated budget as full from that moment', async () => {
      const store = ctx.store();
      await store.reserveRate('m1', { ...BITRIX, now: T0 });
      await store.saturateRate('m1', { ...BITRIX, now: T0 + 10 });
      expect(await store.reserveRate('m1', { ...BITRIX, now: T0 + 10 })).toEqual({
        waitMs: 500,
        level: 51,
      });
      // Saturating never makes a fuller budget emptier.
      await store.saturateRate('m1', { ...BITRIX, now: T0 + 10 });
      expect((await store.reserveRate('m1', { ...BITRIX, now: T0 + 10 })).waitMs).toBe(1000);
    });

    it('refuses unusable limits with a StoreError naming them', async () => {
      const store = ctx.store();
      const error = await store
        .reserveRate('m1', { burst: 0, perSecond: -1, now: T0 })
        .catch((e: unknown) => e);
      expect(isStoreError(error)).toBe(true);
      expect((error as Error).message).toMatch(/burst must be a positive integer.*perSecond/);
      await expect(store.saturateRate('', { ...BITRIX, now: T0 })).rejects.toThrow(/key/);
      // Nothing was reserved by the refused calls.
      expect(await store.reserveRate('m1', { ...BITRIX, now: T0 })).toEqual({
        waitMs: 0,
        level: 1,
      });
    });
  });

  describe('locks', () => {
    it('is held by one owner until released or expired; the holder may extend it', async () => {
      const store = ctx.store();
      expect(await store.acquireLock('oauth:m1', 'p1', 1000, T0)).toBe(true);
      expect(await store.acquireLock('oauth:m1', 'p2', 1000, T0 + 999)).toBe(false);
      expect(await store.acquireLock('oauth:m2', 'p2', 1000, T0)).toBe(true);
      // The holder extends it to T0 + 1500.
      expect(await store.acquireLock('oauth:m1', 'p1', 1000, T0 + 500)).toBe(true);
      expect(await store.acquireLock('oauth:m1', 'p2', 1000, T0 + 1499)).toBe(false);
      expect(await store.acquireLock('oauth:m1', 'p2', 1000, T0 + 1500)).toBe(true);
      // The old holder cannot release what it no longer holds.
      await store.releaseLock('oauth:m1', 'p1');
      expect(await store.acquireLock('oauth:m1', 'p1', 1000, T0 + 1600)).toBe(false);
      await store.releaseLock('oauth:m1', 'p2');
      expect(await store.acquireLock('oauth:m1', 'p1', 1000, T0 + 1600)).toBe(true);
    });

    it('refuses unusable lock calls with a StoreError', async () => {
      const store = ctx.store();
      const error = await store.acquireLock('x', '', 0, T0).catch((e: unknown) => e);
      expect(isStoreError(error)).toBe(true);
      expect((error as Error).message).toMatch(/owner.*leaseMs/);
    });
  });
}
