import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBotRegistered } from '../../src/bitrix/register-bot';
import { loadConfig } from '../../src/config/load-config';
import { silentLogger } from '../../src/logger';
import { createMetrics, METRIC } from '../../src/metrics';
import { createPortalRegistry } from '../../src/portals/create-portal-registry';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { sqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import {
  createFetchPoller,
  fetchOffsetKey,
  type FetchPoller,
} from '../../src/transport/fetch-poller';
import { fakeClock } from '../helpers/fake-clock';
import { echoBot } from '../helpers/test-bots';
import { v2FetchItem } from '../http/wire';

const logger = silentLogger();

describe('createFetchPoller', () => {
  let portal: FakePortal;
  /** The portal's and the pollers' clock: the portal refuses polls closer than 2 s on it. */
  let clock: ReturnType<typeof fakeClock>;
  let dir: string;
  let botId: number;
  let portals: ReturnType<typeof createPortalRegistry>;
  const open: Array<{ runtime: Runtime; store: Store; poller?: FetchPoller }> = [];

  beforeEach(async () => {
    clock = fakeClock();
    portal = await createFakePortal({ rateLimit: false, clock });
    dir = mkdtempSync(join(tmpdir(), 'openlines-fetch-'));
    const config = loadConfig({
      env: {
        B24_WEBHOOK_URL: portal.webhookUrl,
        B24_BOT_TOKEN: 'fetch_bot_token',
        B24_EVENT_MODE: 'fetch',
      },
    });
    portals = createPortalRegistry({
      config,
      store: sqliteStore({ path: join(dir, 'registry.db') }),
      logger,
    });
    botId = await ensureBotRegistered((await portals.clients(portal.memberId)).api, {
      code: 'echo_bot',
      name: 'Echo',
      apiVersion: 2,
      mode: 'fetch',
    });
  });

  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.poller?.stop();
      await o.runtime.stop({ deadlineMs: 1000 });
      await o.store.close();
    }
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A "process": store on the shared SQLite file, runtime, poller. */
  async function boot(
    options: {
      limit?: number;
      clock?: ReturnType<typeof fakeClock>;
      metrics?: ReturnType<typeof createMetrics>;
    } = {},
  ) {
    const store = sqliteStore({ path: join(dir, 'state.db') });
    const runtime = createRuntime({
      // A first message is answered at once: these tests are not about the join race (#8).
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: (id) => portals.clients(id),
      logger,
    });
    await runtime.start();
    const poller = createFetchPoller({
      client: await portals.clients(portal.memberId),
      botId,
      portal: { memberId: portal.memberId, domain: portal.domain },
      runtime,
      store,
      logger,
      limit: options.limit ?? 100,
      clock: options.clock ?? clock,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    const proc = { runtime, store, poller };
    open.push(proc);
    return proc;
  }

  async function shutdown(proc: {
    runtime: Runtime;
    store: Store;
    poller: FetchPoller;
  }): Promise<void> {
    open.splice(open.indexOf(proc), 1);
    await proc.poller.stop();
    await proc.runtime.stop({ deadlineMs: 1000 });
    await proc.store.close();
  }

  const queue = (messageId: number, chatId = 1777) =>
    portal.queueEvent(botId, v2FetchItem({ botId, chatId, messageId, text: `m${messageId}` }));
  const gets429 = () =>
    portal.callsOf('imbot.v2.Event.get').filter((c) => c.error === 'TOO_MANY_REQUESTS').length;
  const replies = () =>
    portal.callsOf('imopenlines.bot.session.message.send').map((c) => String(c.params.MESSAGE));

  it('processes every event exactly once across pages, duplicates and a restart; the offset never regresses', async () => {
    const ids = [1, 2, 3, 4, 5, 6, 7].map((m) => queue(m, m % 2 === 0 ? 1777 : 1778).eventId);
    // The portal serves two events twice (at-least-once): same eventId, same content.
    for (const i of [1, 3])
      portal.queueEvent(botId, {
        ...v2FetchItem({ botId, chatId: 1777, messageId: i + 1, text: `m${i + 1}` }),
        eventId: ids[i],
      });
    const offsets: number[] = [];
    const key = fetchOffsetKey(portal.memberId, botId);

    const first = await boot({ limit: 3 });
    // Polled by hand, at the pace the portal asks for.
    const paced = (p: FetchPoller) => {
      clock.advance(2000);
      return p.pollOnce();
    };
    const page1 = await paced(first.poller);
    expect(page1).toMatchObject({
      status: 'ok',
      received: 3,
      accepted: 2,
      duplicates: 1,
      hasMore: true,
    });
    offsets.push((await first.store.getOffset(key)) ?? 0);
    // The next answer is lost on the way (the portal acknowledged page 1 and served page 2, we
    // never saw it), then the process goes down.
    portal.failNext('imbot.v2.Event.get', 'INTERNAL_SERVER_ERROR', { afterEffect: true });
    expect((await paced(first.poller)).status).toBe('error');
    expect(await first.store.getOffset(key)).toBe(offsets[0]);
    await shutdown(first);

    const second = await boot({ limit: 3 });
    expect(await second.store.getOffset(key)).toBe(offsets[0]);
    let duplicates = page1.status === 'ok' ? page1.duplicates : 0;
    for (let round = 0; round < 10; round++) {
      const r = await paced(second.poller);
      if (r.status !== 'ok') throw r.error;
      duplicates += r.duplicates;
      offsets.push((await second.store.getOffset(key)) ?? 0);
      if (!r.hasMore && r.received === 0) break;
    }
    await second.runtime.idle();

    expect(duplicates).toBe(2);
    expect(replies().sort()).toEqual([
      '1777:2',
      '1777:4',
      '1777:6',
      '1778:1',
      '1778:3',
      '1778:5',
      '1778:7',
    ]);
    expect(offsets.every((o, i) => i === 0 || o >= (offsets[i - 1] as number))).toBe(true);
    // The last, empty answer said nextOffset 0; the stored offset stayed where it was.
    expect(offsets[offsets.length - 1]).toBe((ids[6] as number) + 1);
    expect(portal.pendingEvents(botId)).toEqual([]);
  });

  it('skips an invalid item without blocking the queue, and counts it', async () => {
    const metrics = createMetrics();
    queue(11);
    portal.queueEvent(botId, {
      type: 'ONIMBOTV2MESSAGEADD',
      data: { bot: { id: botId }, message: { id: 'not-a-number' } },
    });
    const last = queue(12);
    const proc = await boot({ metrics });
    const r = await proc.poller.pollOnce();
    expect(r).toMatchObject({
      status: 'ok',
      received: 3,
      accepted: 2,
      invalid: 1,
      offset: last.eventId + 1,
    });
    expect(metrics.value(METRIC.eventsTotal, { type: 'unknown', outcome: 'invalid' })).toBe(1);
    await proc.runtime.idle();
    expect(replies().sort()).toEqual(['1777:11', '1777:12']);
  });

  it('polls again 2 s later while hasMore, then waits the idle interval (#8)', async () => {
    for (let m = 21; m <= 25; m++) queue(m);
    const proc = await boot({ limit: 2 });
    const gets = () => portal.callsOf('imbot.v2.Event.get').length;
    const expectAfter = async (ms: number, calls: number) => {
      clock.advance(ms);
      await proc.poller.settled();
      expect(gets()).toBe(calls);
    };
    proc.poller.start();
    await expectAfter(0, 1); // page of 2, hasMore
    await expectAfter(1999, 1);
    await expectAfter(1, 2); // page of 2, hasMore
    await expectAfter(2000, 3); // page of 1, queue empty
    await expectAfter(9_999, 3);
    await expectAfter(1, 4);
    expect(portal.callsOf('imbot.v2.Event.get').filter((c) => c.error)).toEqual([]);
    await proc.runtime.idle();
    expect(replies()).toHaveLength(5);
  });

  it('drains 50 pages without one 429 from a portal that refuses polls closer than 2 s (#8)', async () => {
    for (let m = 1; m <= 50; m++) queue(100 + m);
    const proc = await boot({ limit: 1 });
    const gets = () => portal.callsOf('imbot.v2.Event.get');
    proc.poller.start();
    // 1 s steps on the fake clock: the poller decides when to ask, the portal judges the pace.
    for (let step = 0; step < 2000 && portal.pendingEvents(botId).length > 0; step++) {
      clock.advance(1000);
      await proc.poller.settled();
    }
    // One more page acknowledges the last event (offset) and finds the queue empty.
    clock.advance(2000);
    await proc.poller.settled();
    expect(portal.pendingEvents(botId)).toEqual([]);
    expect(gets().length).toBeGreaterThanOrEqual(50);
    expect(gets().filter((c) => c.error)).toEqual([]);
    const gaps = gets()
      .slice(1)
      .map((c, i) => c.at - (gets()[i] as { at: number }).at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2000);
    // 50 pages in about 100 s of clock time, not 50 at once and not one per idle interval.
    expect(gets()[49]!.at - gets()[0]!.at).toBeLessThan(50 * 2000 + 1000);
    await proc.runtime.idle();
    expect(replies()).toHaveLength(50);
  });

  it('backs off on a 429 of a too fast poll (#8)', async () => {
    queue(201);
    const proc = await boot({ limit: 1 });
    // Someone else polled this bot's queue just now: the portal refuses the next poll within 2 s.
    clock.advance(10_000);
    const client = await portals.clients(portal.memberId);
    await client.call('imbot.v2.Event.get', { botId, limit: 0 }).catch(() => undefined);
    proc.poller.start();
    clock.advance(0);
    await proc.poller.settled();
    expect(gets429()).toBe(1);
    expect(proc.poller.failures).toBe(1);
    clock.advance(1999);
    await proc.poller.settled();
    expect(portal.callsOf('imbot.v2.Event.get')).toHaveLength(2);
    clock.advance(1);
    await proc.poller.settled();
    expect(portal.callsOf('imbot.v2.Event.get')).toHaveLength(3);
    expect(proc.poller.failures).toBe(0);
    await proc.runtime.idle();
    expect(replies()).toEqual(['1777:201']);
  });

  it('backs off exponentially on 503 and 429, then resumes', async () => {
    portal.failNext('imbot.v2.Event.get', 'QUERY_LIMIT_EXCEEDED', { times: 2 });
    portal.failNext('imbot.v2.Event.get', 'OPERATION_TIME_LIMIT', { status: 429, nth: 3 });
    queue(31);
    const proc = await boot();
    const gets = () => portal.callsOf('imbot.v2.Event.get').length;
    proc.poller.start();
    clock.advance(0);
    await proc.poller.settled();
    expect(gets()).toBe(1);
    expect(proc.poller.failures).toBe(1);
    const expectNextAt = async (ms: number, calls: number) => {
      clock.advance(ms - 1);
      await proc.poller.settled();
      expect(gets()).toBe(calls - 1);
      clock.advance(1);
      await proc.poller.settled();
      expect(gets()).toBe(calls);
    };
    await expectNextAt(2000, 2);
    await expectNextAt(4000, 3);
    expect(proc.poller.failures).toBe(3);
    await expectNextAt(8000, 4);
    expect(proc.poller.failures).toBe(0);
    await proc.runtime.idle();
    expect(replies()).toEqual(['1777:31']);
  });

  it('never moves a stored offset backwards', async () => {
    const proc = await boot();
    const key = fetchOffsetKey(portal.memberId, botId);
    await proc.store.appendInbox([], { now: Date.now(), offset: { key, value: 5000 } });
    // Events below the stored offset count as acknowledged by the portal; the answer is nextOffset 0.
    queue(41);
    const r = await proc.poller.pollOnce();
    expect(r).toMatchObject({ status: 'ok', received: 0, offset: 5000 });
    expect(await proc.store.getOffset(key)).toBe(5000);
  });
});
