import { createRateBudget } from '../../src/bitrix/rate-budget';
import { isHttpError } from '../../src/bitrix/rest-errors';
import { isOpenlinesError } from '../../src/errors';
import { fakeClock, flushIO } from './helpers/fake-clock';

describe('createRateBudget', () => {
  it('admits a full burst at once and makes the next caller wait for the drain', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ clock });
    const waits = await Promise.all(Array.from({ length: 50 }, () => budget.acquire()));
    expect(waits.every((w) => w === 0)).toBe(true);

    let admitted = false;
    const next = budget.acquire().then((w) => {
      admitted = true;
      return w;
    });
    await clock.advance(499);
    expect(admitted).toBe(false);
    await clock.advance(1);
    await expect(next).resolves.toBe(500);
  });

  it('serves waiting callers in arrival order, one per 1/drain seconds', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ burst: 2, drainPerSecond: 4, clock });
    const order: number[] = [];
    const start = clock.now();
    const admittedAt: number[] = [];
    const all = Array.from({ length: 6 }, (_, i) =>
      budget.acquire().then(() => {
        order.push(i);
        admittedAt.push(clock.now() - start);
      }),
    );
    await flushIO();
    await clock.advance(2_000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(admittedAt).toEqual([0, 0, 250, 500, 750, 1000]);
  });

  it('refills while idle', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ burst: 5, drainPerSecond: 5, clock });
    await Promise.all(Array.from({ length: 5 }, () => budget.acquire()));
    expect(budget.level()).toBe(5);
    await clock.advance(1_000);
    expect(budget.level()).toBe(0);
    await expect(budget.acquire()).resolves.toBe(0);
  });

  it('treats the bucket as full after the portal reported QUERY_LIMIT_EXCEEDED', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ burst: 250, drainPerSecond: 5, clock });
    budget.saturate();
    let done = false;
    const p = budget.acquire().then(() => (done = true));
    await clock.advance(199);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    expect(done).toBe(true);
  });

  it('rejects a waiting caller whose signal aborts and gives its slot back', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ burst: 1, drainPerSecond: 1, clock });
    await budget.acquire();
    const ac = new AbortController();
    const waiting = budget.acquire({ signal: ac.signal });
    ac.abort();
    const e: unknown = await waiting.catch((x: unknown) => x);
    expect(isHttpError(e) && e.reason).toBe('aborted');
    expect(clock.pending()).toBe(0);
    await flushIO();
    expect(budget.level()).toBe(1);
  });

  it('refuses a nonsensical configuration with a ConfigError', () => {
    let caught: unknown;
    try {
      createRateBudget({ burst: 0, drainPerSecond: -1 });
    } catch (e) {
      caught = e;
    }
    expect(isOpenlinesError(caught) && caught.code).toBe('CONFIG');
    expect((caught as Error).message).toMatch(/burst[\s\S]*drainPerSecond/);
  });
});
