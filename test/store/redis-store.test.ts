import { Redis } from 'ioredis';
import { APPEND_PURGE_BATCH } from '../../src/store/redis-lua-inbox';
import { redisStore } from '../../src/store/redis-store';
import { isStoreError, type StoreError } from '../../src/store/store-error';
import type { Store } from '../../src/store/store';
import { runStoreContract } from './contract';
import { T0, appendOne, drainDialog, effectOf, texts, timer, turn } from './contract-helpers';
import { runRedisChildren } from './run-redis-child';
import { REDIS_URL, cleanUpRedis, freshPrefix, keysUnder, requireRedis } from './redis-test-env';

beforeAll(async () => {
  await requireRedis();
});
afterAll(cleanUpRedis);

const prefixes = new WeakMap<Store, string>();
const open = async (prefix: string): Promise<Store> => {
  await requireRedis();
  const store = redisStore({ url: REDIS_URL, prefix });
  prefixes.set(store, prefix);
  return store;
};

runStoreContract('redisStore', () => open(freshPrefix()), {
  reopen: async (store) => {
    await store.close();
    return open(prefixes.get(store)!);
  },
});

it('redisStore has no inline commit: several processes share its inbox, so events always wait in it', async () => {
  const store = await open(freshPrefix());
  try {
    expect(store.commitInlineTurn).toBeUndefined();
  } finally {
    await store.close();
  }
});

const claimAt = (store: Store, now: number, owner: string) =>
  store.claimEffects({ now, limit: 10, leaseMs: 1000, owner });

describe('redisStore', () => {
  it('reports its kind', async () => {
    const store = await open(freshPrefix());
    expect(store.kind).toBe('redis');
    await store.close();
  });

  it('shares dialogs between two connections: one commit wins, the lease is exclusive, an effect is claimed once until its lease expires', async () => {
    const prefix = freshPrefix();
    const [first, second] = [await open(prefix), await open(prefix)];
    expect(await first.acquireDialog('a', 'proc-1', 1000, T0)).toBe(true);
    expect(await second.acquireDialog('a', 'proc-2', 1000, T0 + 999)).toBe(false);
    const results = await Promise.all([
      first.commitTurn('a', turn(0, { effects: [effectOf('one'), effectOf('one.b')] })),
      second.commitTurn('a', turn(0, { effects: [effectOf('two')] })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['committed', 'conflict']);
    const winner = results[0]?.status === 'committed' ? ['one', 'one.b'] : ['two'];
    expect(await second.commitTurn('a', turn(0))).toEqual({ status: 'conflict' });

    const [byFirst, bySecond] = await Promise.all([
      claimAt(first, T0, 'proc-1'),
      claimAt(second, T0, 'proc-2'),
    ]);
    expect(texts([...byFirst, ...bySecond])).toEqual(winner);
    expect(Math.min(byFirst.length, bySecond.length)).toBe(0);
    const holder = byFirst.length > 0 ? 'proc-1' : 'proc-2';
    // Nobody else gets it while the lease runs, the holder's connection included.
    expect(await claimAt(first, T0 + 999, 'proc-3')).toEqual([]);
    expect(await claimAt(second, T0 + 999, 'proc-4')).toEqual([]);
    // The holder died: after the lease, the other process takes the same effects, in order.
    const reclaimed = await claimAt(holder === 'proc-1' ? second : first, T0 + 1000, 'proc-5');
    expect(texts(reclaimed)).toEqual(winner);

    expect(await second.acquireDialog('a', 'proc-2', 1000, T0 + 1000)).toBe(true);
    expect(await first.acquireDialog('a', 'proc-1', 1000, T0 + 1001)).toBe(false);
    await first.close();
    await second.close();
  });

  it('shares one request budget and one lock between connections, and lets a drained budget key expire', async () => {
    const prefix = freshPrefix();
    const [first, second] = [await open(prefix), await open(prefix)];
    const limit = { burst: 50, perSecond: 2, now: T0 };
    const granted = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? first : second).reserveRate('m1', limit)),
    );
    // 60 reservations from two connections: 50 now, then 10 more, one every 500 ms.
    const waits = granted.map((r) => r.waitMs).sort((a, b) => a - b);
    expect(waits).toEqual([
      ...Array.from({ length: 50 }, () => 0),
      ...Array.from({ length: 10 }, (_, i) => 500 * (i + 1)),
    ]);
    await second.saturateRate('m1', { ...limit, now: T0 + 5000 });
    expect(await first.reserveRate('m1', { ...limit, now: T0 + 5000 })).toEqual({
      waitMs: 500,
      level: 51,
    });
    expect(await first.acquireLock('oauth:m1', 'proc-1', 1000, T0)).toBe(true);
    expect(await second.acquireLock('oauth:m1', 'proc-2', 1000, T0 + 10)).toBe(false);
    await second.releaseLock('oauth:m1', 'proc-2');
    expect(await second.acquireLock('oauth:m1', 'proc-2', 1000, T0 + 10)).toBe(false);
    await first.releaseLock('oauth:m1', 'proc-1');
    expect(await second.acquireLock('oauth:m1', 'proc-2', 1000, T0 + 10)).toBe(true);
    const redis = await requireRedis();
    // The key lives until the bucket drained (25.5 s after T0 + 5000, by the callers' clock) plus a minute.
    const ttl = await redis.pttl(`${prefix}rate:m1`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(60_000 + 25_500);
    await first.close();
    await second.close();
  });

  it('fires each timer exactly once when two connections fire at the same moment', async () => {
    const prefix = freshPrefix();
    const [first, second] = [await open(prefix), await open(prefix)];
    for (let d = 0; d < 10; d++) {
      await first.commitTurn(
        `t${d}`,
        turn(0, { timers: [timer('x', T0 + d), timer('y', T0 + 50 + d)] }),
      );
    }
    const woken = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? first : second).fireDueTimers(T0 + 100, 3)),
    );
    expect(woken.flat().length).toBeGreaterThan(0);
    await first.fireDueTimers(T0 + 100, 100);
    expect(await second.stats()).toMatchObject({ inboxDepth: 20, timersPending: 0 });
    for (let d = 0; d < 10; d++) {
      const keys = (await drainDialog(first, `t${d}`)).map((i) => i.dedupeKey);
      expect(keys).toEqual([`timer:t${d}:x:${T0 + d}`, `timer:t${d}:y:${T0 + 50 + d}`]);
    }
    await first.close();
    await second.close();
  });

  it('keeps the lease exclusive, every increment, and each effect sent once and in order across two processes', async () => {
    const prefix = freshPrefix();
    const base = { url: REDIS_URL, prefix, dialogs: 4, ops: 60 };
    const committers = await runRedisChildren(
      ['proc-a', 'proc-b'].map((owner) => ({ ...base, mode: 'commit' as const, owner })),
    );
    for (const report of committers) {
      expect(report).toMatchObject({ commits: 60, conflictsUnderLease: 0 });
    }
    // They did compete: each waited for dialogs the other held.
    expect(committers[0]!.leaseWaits + committers[1]!.leaseWaits).toBeGreaterThan(0);
    const store = await open(prefix);
    const revisions: number[] = [];
    for (let d = 0; d < 4; d++) {
      const record = await store.loadDialog(`d${d}`);
      const revision = record?.revision ?? 0;
      revisions.push(revision);
      expect(record?.snapshot ?? { n: 0 }).toEqual({ n: revision });
    }
    expect(revisions.reduce((a, b) => a + b)).toBe(120);
    expect((await store.stats()).outboxDepth).toBe(120);

    const senders = await runRedisChildren(
      ['send-a', 'send-b'].map((owner) => ({ ...base, mode: 'send' as const, owner })),
    );
    const claimed = senders.flatMap((r) => r.claimed);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed).toHaveLength(120);
    // Which process wins how many claims is up to the scheduler (one may start late and find the
    // outbox empty); what must hold is that no effect is claimed twice and none is left over.
    expect(await store.stats()).toMatchObject({ outboxDepth: 0, deadLetters: 0 });
    const portal = await open(`${prefix}sent:`);
    for (let d = 0; d < 4; d++) {
      const sent = (await drainDialog(portal, `d${d}`)).map(
        (i) => (i.payload as { text: string }).text,
      );
      expect(sent).toEqual(Array.from({ length: revisions[d]! }, (_, i) => `d${d}#${i + 1}`));
    }
    await portal.close();
    await store.close();
  }, 120_000);

  it('keeps an idle dialog down to its record: queues, leases and sent effects leave no keys', async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    const redis = await requireRedis();
    for (let d = 0; d < 20; d++) {
      const dialogKey = `m:1:${d}`;
      await store.acquireDialog(dialogKey, 'p1', 1000, T0);
      const seq = await appendOne(store, dialogKey, `msg-${d}`, { text: 'hi' });
      await store.commitTurn(dialogKey, turn(0, { consumedSeq: seq, effects: [effectOf('a')] }));
      await store.releaseDialog(dialogKey, 'p1');
    }
    for (const e of await store.claimEffects({ now: T0, limit: 100, leaseMs: 1000, owner: 'p1' }))
      await store.settleEffect(e.seq, { status: 'sent' }, T0);
    const perDialog = (await keysUnder(redis, prefix))
      .map((k) => k.slice(prefix.length))
      .filter((k) => k.includes('m:1:'));
    expect(perDialog.sort()).toEqual(Array.from({ length: 20 }, (_, d) => `d:m:1:${d}`).sort());
    await store.close();
  });

  it('forgets expired dedupe keys while appending, so memory stays bounded without purgeExpired', async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    const redis = await requireRedis();
    const items = Array.from({ length: 100 }, (_, i) => ({
      dialogKey: 'a',
      dedupeKey: `k${i}`,
      payload: i,
    }));
    await store.appendInbox(items, { now: T0, dedupeTtlMs: 10 });
    expect(await drainDialog(store, 'a')).toHaveLength(100);
    expect(await redis.zcard(`${prefix}ddx`)).toBe(100);
    await appendOne(store, 'b', undefined, 'later', T0 + 10);
    expect(await redis.zcard(`${prefix}ddx`)).toBe(100 - APPEND_PURGE_BATCH);
    expect(await store.purgeExpired(T0 + 10)).toBe(100 - APPEND_PURGE_BATCH);
    await store.close();
  });

  it('purges more expired dedupe keys than one script call takes, counting each once', async () => {
    const store = await open(freshPrefix());
    const items = Array.from({ length: 2500 }, (_, i) => ({
      dialogKey: `d${i % 7}`,
      dedupeKey: `k${i}`,
      payload: i,
    }));
    await store.appendInbox(items, { now: T0, dedupeTtlMs: 10 });
    for (let d = 0; d < 7; d++) await drainDialog(store, `d${d}`);
    expect(await store.purgeExpired(T0 + 9)).toBe(0);
    expect(await store.purgeExpired(T0 + 10)).toBe(2500);
    expect(await store.purgeExpired(T0 + 10)).toBe(0);
    await store.close();
  });

  it('refuses a non-finite timer deadline with a StoreError before writing anything', async () => {
    const store = await open(freshPrefix());
    const error: unknown = await store
      .commitTurn('a', turn(0, { effects: [effectOf('x')], timers: [timer('t', Number.NaN)] }))
      .catch((e: unknown) => e);
    expect(isStoreError(error)).toBe(true);
    expect(await store.loadDialog('a')).toBeUndefined();
    expect(await store.stats()).toMatchObject({ outboxDepth: 0, timersPending: 0 });
    await store.close();
  });

  it('uses a given ioredis client and leaves it open when closed', async () => {
    const client = new Redis(REDIS_URL);
    const store = redisStore({ client, prefix: freshPrefix() });
    await store.appendInbox([{ dialogKey: 'a', payload: 1 }], { now: T0 });
    await store.close();
    expect(await client.ping()).toBe('PONG');
    expect(isStoreError(await store.ping().catch((e: unknown) => e))).toBe(true);
    await client.quit();
  });

  it('fails calls with a StoreError naming the address but never the password when Redis is unreachable', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const store = redisStore({
      url: 'redis://bot:s3cret-pass@127.0.0.1:1/0',
      redisOptions: { maxRetriesPerRequest: 0, retryStrategy: () => null },
    });
    const error: unknown = await store.ping().catch((e: unknown) => e);
    expect(isStoreError(error)).toBe(true);
    const { message } = error as Error;
    expect(message).toContain('redis://127.0.0.1:1/0');
    expect(message).not.toContain('s3cret-pass');
    expect(JSON.stringify((error as StoreError).toJSON())).not.toContain('s3cret-pass');
    await store.close();
  });
});
