/**
 * Several processes on one Redis, fault cases (issue 9 acceptance), every process the real
 * server (`crash/child.ts`) with default lease settings unless said otherwise:
 * - SIGTERM of one of 3 under load: every event it acknowledged is answered by the survivors
 *   within 2 s of its exit, nothing is sent twice;
 * - kill -9 of one of 3 with the default leases: the survivors finish its work within 10 s;
 * - Redis stopped for 5 s (a private redis-server with appendfsync always) while idle timers
 *   come due and replies wait or are on their way: all fire and are sent within 5 s of Redis's
 *   return, with no new event, nothing sent twice; meanwhile /healthz and /events answer 503;
 * - 2 processes, one with a slow path to the portal (a delaying loopback proxy) and short claims,
 *   600 replies: none sent twice.
 */
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { startRedisServer, type RedisServerProcess } from '../helpers/redis-server-process';
import { REDIS_URL, cleanUpRedis, freshPrefix, requireRedis } from '../store/redis-test-env';
import { ACK_BOT_CODE, ackText, tickText } from './helpers/ack-bot';
import { createEventBuilders } from '../../src/testing/event-builders';
import { replyLog, replyProblems } from './helpers/ack-checks';
import { createDialogLoad, postForm } from './helpers/dialog-load';
import {
  claimsOf,
  roundRobin,
  startMembers,
  type Member,
  type MemberArgs,
} from './helpers/redis-cluster';
import { CHILD_APPLICATION_TOKEN, pollUntil } from './helpers/serve-child';
import { startSlowProxy, type SlowProxy } from './helpers/slow-proxy';
import type { TsChild } from './helpers/spawn-ts-child';

const BOT_ID = 7;

/** How many times each reply text reached the portal. */
function textCounts(portal: FakePortal): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of portal.calls) {
    if (call.method.toLowerCase() !== 'imopenlines.bot.session.message.send' || call.error)
      continue;
    const text = String(call.params.MESSAGE);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}

describe('several processes on Redis: faults (#9)', () => {
  let portal: FakePortal;
  const children: TsChild[] = [];
  const proxies: SlowProxy[] = [];
  const redisServers: RedisServerProcess[] = [];

  beforeAll(async () => {
    await requireRedis();
  });
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.kill('SIGKILL');
      await c.exited;
    }
    for (const p of proxies.splice(0)) await p.close();
    for (const r of redisServers.splice(0)) await r.dispose();
    await portal.close();
  });
  afterAll(cleanUpRedis);

  const loadFor = (dialogs: number, firstChatId = 5000) =>
    createDialogLoad({
      dialogs,
      memberId: portal.memberId,
      applicationToken: CHILD_APPLICATION_TOKEN,
      botId: BOT_ID,
      firstChatId,
    });
  const allAnswered =
    (load: ReturnType<typeof loadFor>, ids?: ReadonlySet<number>) => (): boolean => {
      const { sends } = replyLog({ calls: portal.calls });
      return load.chatIds.every((c) =>
        load.acked(c).every((id) => (ids && !ids.has(id)) || sends.has(id)),
      );
    };

  it('SIGTERM of one of 3 under load: survivors answer everything it acknowledged within 2 s of its exit, nothing twice', async () => {
    const prefix = freshPrefix();
    const args: MemberArgs = {
      store: `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`,
      webhookUrl: portal.webhookUrl,
      graceful: { deadlineMs: 5000 },
    };
    let live: Member[] = await startMembers(3, args, children);
    const victim = live[1] as Member;
    const load = loadFor(90);
    let victimAcks = 0;
    let exitedAt: number | undefined;
    let stopAt = Number.POSITIVE_INFINITY;
    void victim.child.exited.then(() => {
      exitedAt = Date.now();
      stopAt = exitedAt + 1000;
    });
    const runs = load.run({
      url: roundRobin(() => live),
      shouldStop: () => Date.now() >= stopAt,
      onAck: (url) => {
        if (!url.startsWith(victim.url)) return;
        if (++victimAcks === 150) {
          victim.child.kill('SIGTERM');
          // The balancer sees /healthz turn 503 and stops sending there.
          live = live.filter((m) => m !== victim);
        }
      },
      maxPerDialog: 40,
    });
    await runs;
    const exit = await victim.child.exited;
    expect(exit.code).toBe(0);
    await load.settle({ url: roundRobin(() => live), attempts: 20 });
    // Every acknowledged event (the victim's among them) answered, measured from the victim's exit.
    const answered = await pollUntil({
      check: allAnswered(load),
      timeoutMs: 20_000,
      intervalMs: 10,
    });
    const afterExitMs = Date.now() - (exitedAt as number);
    const replies = replyLog({ calls: portal.calls });
    process.stdout.write(
      `multi-process SIGTERM: victim acknowledged ${victimAcks}, ${load.totalAcked()} acknowledged in all; everything answered ${afterExitMs} ms after its exit; duplicates ${replies.duplicates}\n`,
    );
    expect(answered).toBe(true);
    expect(afterExitMs).toBeLessThanOrEqual(2000);
    expect(replies.duplicates).toBe(0);
    expect(replyProblems({ load, replies, unsettledClaims: new Map() })).toEqual([]);
  }, 120_000);

  it('kill -9 of one of 3 with the default leases: the survivors finish its work within 10 s', async () => {
    const prefix = freshPrefix();
    const args: MemberArgs = {
      store: `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`,
      webhookUrl: portal.webhookUrl,
    };
    let live: Member[] = await startMembers(3, args, children);
    const victim = live[0] as Member;
    const load = loadFor(60);
    let victimAcks = 0;
    let killedAt: number | undefined;
    await load.run({
      url: roundRobin(() => live),
      shouldStop: () => killedAt !== undefined,
      onAck: (url) => {
        if (url.startsWith(victim.url) && ++victimAcks === 80 && killedAt === undefined) {
          victim.child.kill('SIGKILL');
          killedAt = Date.now();
          live = live.filter((m) => m !== victim);
        }
      },
      maxPerDialog: 40,
    });
    await victim.child.exited;
    const held = await claimsOf({ url: REDIS_URL, prefix, pid: victim.child.pid });
    await load.settle({ url: roundRobin(() => live), attempts: 20 });
    const answered = await pollUntil({
      check: allAnswered(load),
      timeoutMs: 30_000,
      intervalMs: 10,
    });
    const tookMs = Date.now() - (killedAt as number);
    const replies = replyLog({ calls: portal.calls });
    process.stdout.write(
      `multi-process kill -9 (default leases): it held ${held.length} claims; everything answered ${tookMs} ms after the kill; duplicates ${replies.duplicates}\n`,
    );
    expect(answered).toBe(true);
    expect(tookMs).toBeLessThanOrEqual(10_000);
    const unsettled = new Map(held.map((c) => [c.id, 1]));
    expect(replyProblems({ load, replies, unsettledClaims: unsettled })).toEqual([]);
  }, 120_000);

  it('Redis stopped for 5 s: due timers fire and waiting replies go within 5 s of its return, none twice, no new event', async () => {
    const redis = await startRedisServer({
      args: ['--appendonly', 'yes', '--appendfsync', 'always'],
    });
    redisServers.push(redis);
    const proxy = await startSlowProxy({ target: new URL(portal.webhookUrl).origin, delayMs: 600 });
    proxies.push(proxy);
    const base = { store: `${redis.url}?prefix=outage%3A`, idleTickMs: 2500 };
    const members = await Promise.all([
      startMembers(1, { ...base, webhookUrl: portal.webhookUrl }, children),
      // This one reaches the portal slowly: its replies are on their way when Redis stops.
      startMembers(1, { ...base, webhookUrl: proxy.via(portal.webhookUrl) }, children),
    ]);
    const live = members.flat();
    const load = loadFor(40, 7000);
    await load.run({ url: roundRobin(() => live), shouldStop: () => false, maxPerDialog: 1 });
    expect(load.totalAcked()).toBe(40);
    await new Promise((r) => setTimeout(r, 200));
    const before = textCounts(portal);
    await redis.stop();
    const stoppedAt = Date.now();
    // While Redis is down: /healthz reports it, /events refuses (nothing is acknowledged).
    const health = await fetch(`${live[0]!.url}/healthz`);
    expect({ status: health.status, body: await health.json() }).toMatchObject({
      status: 503,
      body: { status: 'unavailable' },
    });
    const probe = createEventBuilders({
      memberId: portal.memberId,
      applicationToken: CHILD_APPLICATION_TOKEN,
      botId: BOT_ID,
      botCode: ACK_BOT_CODE,
    }).v2.message({ chatId: 9999, messageId: 99_999, text: 'during the outage' });
    expect(
      await postForm({ url: `${live[0]!.url}/events`, body: probe.body, timeoutMs: 10_000 }),
    ).toBe(503);
    await new Promise((r) => setTimeout(r, Math.max(0, 5000 - (Date.now() - stoppedAt))));
    await redis.start();
    const backAt = Date.now();
    const ids = load.chatIds.flatMap((c) => load.acked(c));
    const expected = ids.flatMap((id) => [ackText(id), tickText(id)]);
    const done = await pollUntil({
      check: () => {
        const counts = textCounts(portal);
        return expected.every((t) => counts.has(t));
      },
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    const tookMs = Date.now() - backAt;
    await new Promise((r) => setTimeout(r, 1500));
    const counts = textCounts(portal);
    const twice = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
    process.stdout.write(
      `multi-process Redis outage: ${[...before.keys()].length} replies out before the stop; all ${expected.length} replies and ticks out ${tookMs} ms after Redis returned; sent twice: ${twice.length}\n`,
    );
    expect(done).toBe(true);
    expect(tookMs).toBeLessThanOrEqual(5000);
    expect(twice).toEqual([]);
    expect(counts.has(ackText(99_999))).toBe(false);
  }, 120_000);

  it('2 processes, one with a slow path to the portal, 600 replies with short claims: none sent twice', async () => {
    const prefix = freshPrefix();
    const proxy = await startSlowProxy({
      target: new URL(portal.webhookUrl).origin,
      delayMs: 1500,
    });
    proxies.push(proxy);
    const base = {
      store: `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`,
      // Claims far shorter than the slow process's backlog takes to send: only the heartbeat keeps them.
      leases: { effectMs: 1500 },
    };
    const [fast] = await startMembers(1, { ...base, webhookUrl: portal.webhookUrl }, children);
    const [slow] = await startMembers(
      1,
      { ...base, webhookUrl: proxy.via(portal.webhookUrl) },
      children,
    );
    const live = [fast as Member, slow as Member];
    const load = loadFor(300, 11_000);
    await load.run({ url: roundRobin(() => live), shouldStop: () => false, maxPerDialog: 2 });
    expect(load.totalAcked()).toBe(600);
    const done = await pollUntil({ check: allAnswered(load), timeoutMs: 60_000, intervalMs: 50 });
    await new Promise((r) => setTimeout(r, 1000));
    const replies = replyLog({ calls: portal.calls });
    process.stdout.write(
      `multi-process slow path: ${replies.sends.size} replies, ${proxy.received} requests through the slow path, duplicates ${replies.duplicates}\n`,
    );
    expect(done).toBe(true);
    expect(proxy.received).toBeGreaterThan(0);
    expect(replies.duplicates).toBe(0);
    expect(replyProblems({ load, replies, unsettledClaims: new Map() })).toEqual([]);
  }, 120_000);
});
