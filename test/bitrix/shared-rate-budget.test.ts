import { createRateBudget } from '../../src/bitrix/rate-budget';
import { createSharedRateBudget } from '../../src/bitrix/shared-rate-budget';
import { isOpenlinesError } from '../../src/errors';
import { memoryStore } from '../../src/store/memory-store';
import { redisStore } from '../../src/store/redis-store';
import type { Store } from '../../src/store/store';
import { createLeakyBucket } from '../../src/testing/fake-portal/leaky-bucket';
import { REDIS_URL, cleanUpRedis, freshPrefix, requireRedis } from '../store/redis-test-env';
import { fakeClock, flushIO, type FakeClock } from './helpers/fake-clock';

/**
 * Three "processes" (three budgets on one store) each send `perProcess` requests as fast as their
 * budget lets them; the portal's own leaky bucket (the fake portal's) judges every request at the
 * moment it is admitted. Returns the admission times (ms from the start) and the refusals.
 */
async function sprayThrough(
  clock: FakeClock,
  budgets: Array<ReturnType<typeof createRateBudget>>,
  perProcess: number,
  portal: { burst: number; drainPerSecond: number },
): Promise<{ admittedAt: number[]; refused: number }> {
  const start = clock.now();
  const bucket = createLeakyBucket({ ...portal, clock });
  const admittedAt: number[] = [];
  let refused = 0;
  const all = budgets.map(async (budget) => {
    for (let i = 0; i < perProcess; i++) {
      await budget.acquire();
      admittedAt.push(clock.now() - start);
      if (!bucket.take()) {
        refused += 1;
      }
    }
  });
  // Each budget call goes through the store (a real Redis round trip for the Redis store).
  for (let round = 0; round < 1000 && admittedAt.length < budgets.length * perProcess; round++) {
    await flushIO(20);
    await new Promise((r) => setImmediate(r));
    await clock.advance(50);
  }
  await Promise.all(all);
  return { admittedAt, refused };
}

function sharedOn(store: Store, clock: FakeClock, limit = {}) {
  return createSharedRateBudget({ store, key: 'portal-1', clock, ...limit });
}

describe('createSharedRateBudget', () => {
  it('keeps three processes on one store within the default 50 / 2 limit together, at its full pace', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const budgets = [1, 2, 3].map(() => sharedOn(store, clock));
    expect(budgets[0]!.burst).toBe(50);
    expect(budgets[0]!.drainPerSecond).toBe(2);
    const { admittedAt, refused } = await sprayThrough(clock, budgets, 30, {
      burst: 50,
      drainPerSecond: 2,
    });
    expect(refused).toBe(0);
    const sorted = [...admittedAt].sort((a, b) => a - b);
    // 48 at once (two requests, one second of drain, of headroom), then the other 42 at 2 per
    // second: the last one 21 s in (rounded up to the fake clock's 50 ms steps): the processes
    // lose nothing of the sustained rate to each other.
    expect(sorted.filter((t) => t === 0)).toHaveLength(48);
    expect(sorted[48]).toBeGreaterThanOrEqual(500);
    expect(sorted[48]).toBeLessThanOrEqual(550);
    expect(sorted[89]).toBeGreaterThanOrEqual(21_000);
    expect(sorted[89]).toBeLessThanOrEqual(21_050);
    await store.close();
  });

  it('is what separate in-process budgets are not: three of those overrun the portal', async () => {
    const clock = fakeClock();
    const budgets = [1, 2, 3].map(() => createRateBudget({ clock }));
    const { refused } = await sprayThrough(clock, budgets, 30, { burst: 50, drainPerSecond: 2 });
    expect(refused).toBeGreaterThan(0);
  });

  it('makes every process wait after one of them saw QUERY_LIMIT_EXCEEDED', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const [a, b] = [sharedOn(store, clock), sharedOn(store, clock)];
    await a.acquire();
    a.saturate();
    expect(a.level()).toBe(48);
    let admitted = false;
    const next = b.acquire().then((w) => {
      admitted = true;
      return w;
    });
    await flushIO();
    await clock.advance(499);
    expect(admitted).toBe(false);
    await clock.advance(10);
    // 500 ms for one request to drain, plus the margin for timers that fire early.
    await expect(next).resolves.toBe(503);
    await store.close();
  });

  it('rejects with the store’s error when the store is unreachable, and refuses bad limits', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    await store.close();
    const error = await sharedOn(store, clock)
      .acquire()
      .catch((e: unknown) => e);
    expect(isOpenlinesError(error) && error.code).toBe('STORE_ERROR');
    expect(() => sharedOn(memoryStore(), clock, { burst: 0, drainPerSecond: 0 })).toThrow(
      /burst must be a positive integer.*drainPerSecond/s,
    );
  });

  describe('on Redis (two connections, like two processes)', () => {
    afterAll(cleanUpRedis);

    it('keeps them within the default 50 / 2 limit together', async () => {
      await requireRedis();
      const prefix = freshPrefix();
      const stores = [1, 2].map(() => redisStore({ url: REDIS_URL, prefix }));
      const clock = fakeClock();
      try {
        const budgets = stores.map((s) => sharedOn(s, clock));
        // The fake clock moves on while each reservation travels to Redis and back: some requests
        // of the burst are admitted up to 50 ms late, which the headroom absorbs.
        const { admittedAt, refused } = await sprayThrough(clock, budgets, 35, {
          burst: 50,
          drainPerSecond: 2,
        });
        expect(refused).toBe(0);
        // 70 requests: 48 in the burst, 22 at 2 per second; the round trips cost a little pace.
        const first = Math.min(...admittedAt);
        const span = Math.max(...admittedAt) - first;
        expect(span).toBeGreaterThanOrEqual(10_500);
        expect(span).toBeLessThanOrEqual(11_500);
        expect(admittedAt.filter((t) => t < first + 500).length).toBeGreaterThanOrEqual(40);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
});
