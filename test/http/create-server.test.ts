import type { AddressInfo } from 'node:net';
import express from 'express';
import { createOpsRouter } from '../../src/http/create-ops-router';
import { silentLogger } from '../../src/logger';
import { createMetrics, METRIC } from '../../src/metrics';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { APP_TOKEN, startHarness, type Harness } from './harness';
import { v2BotDeleteBody, v2JoinBody, v2MessageBody } from './wire';

const MEMBER = 'a1b2c3d4';
// `null`: no token at all (undefined would pick the default).
const chat = (chatId: number, applicationToken: string | null = APP_TOKEN) => ({
  memberId: MEMBER,
  ...(applicationToken === null ? {} : { applicationToken }),
  botId: 7,
  chatId,
});

describe('createServer', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('acknowledges a v2 message once it is recorded, and the reply reaches the portal', async () => {
    h = await startHarness();
    const res = await h.post(
      '/events',
      v2MessageBody({ ...chat(1777), messageId: 501, text: 'hello' }),
    );
    expect(res).toEqual({ status: 200, json: { status: 'accepted' } });
    await h.runtime.idle();
    const sends = h.portal.callsOf('imopenlines.bot.session.message.send');
    expect(sends.map((c) => c.params)).toEqual([
      { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: '1777:501' },
    ]);
    expect(h.metrics.value(METRIC.eventsTotal, { type: 'message', outcome: 'accepted' })).toBe(1);
  });

  it('answers a redelivered event 200 "duplicate" and replies only once', async () => {
    h = await startHarness();
    const body = v2MessageBody({ ...chat(1778), messageId: 502, text: 'hi' });
    expect((await h.post('/events', body)).json).toEqual({ status: 'accepted' });
    expect((await h.post('/events', body)).json).toEqual({ status: 'duplicate' });
    await h.runtime.idle();
    expect(h.portal.callsOf('imopenlines.bot.session.message.send')).toHaveLength(1);
  });

  it.each([
    ['a wrong', 'customsomething_else'],
    ['a missing', null],
    ['the bot-level instead of the top-level', 'bot-only'],
  ])(
    'answers 401 to %s application_token, changes no state and calls no REST method',
    async (_label, token: string | null) => {
      h = await startHarness();
      let body = v2MessageBody({
        ...chat(1779, token === 'bot-only' ? null : token),
        messageId: 503,
        text: 'hi',
      });
      // The right token inside data[bot][auth] is no proof: only the top-level one counts.
      if (token === 'bot-only')
        body += `&data%5Bbot%5D%5Bauth%5D%5Bapplication_token%5D=${APP_TOKEN}`;
      const before = await h.store.stats();
      const res = await h.post('/events', body);
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: 'EVENT_AUTH' });
      await h.runtime.idle();
      expect(await h.store.stats()).toEqual(before);
      expect(await h.store.pendingDialogs(10)).toEqual([]);
      expect(h.portal.calls).toHaveLength(0);
      expect(
        h.metrics.value(METRIC.eventsTotal, { type: 'message', outcome: 'unauthorized' }),
      ).toBe(1);
    },
  );

  it('answers 400 with the validation issues for a malformed body', async () => {
    h = await startHarness();
    const body = v2MessageBody({ ...chat(1780), messageId: 504, text: 'x' }).replace(
      'data%5Bchat%5D%5Bid%5D=1780',
      'data%5Bchat%5D%5Bid%5D=not-a-number',
    );
    const res = await h.post('/events', body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'EVENT_VALIDATION' });
    const issues = res.json.issues as Array<{ path: unknown[]; message: string }>;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => i.path.join('.').includes('chat'))).toBe(true);
    expect(h.portal.calls).toHaveLength(0);
  });

  it('accepts JSON bodies too', async () => {
    h = await startHarness();
    const json = JSON.stringify({
      event: 'ONIMBOTV2JOINCHAT',
      data: {
        bot: { id: 7, code: 'echo_bot' },
        dialogId: 'chat1781',
        chat: { id: 1781, dialogId: 'chat1781', entityType: 'LINES', entityId: 'livechat|1|2|3' },
      },
      ts: 1789545901,
      auth: { domain: 'a.bitrix24.test', member_id: MEMBER, application_token: APP_TOKEN },
    });
    const res = await h.post('/events', json, 'application/json');
    expect(res).toEqual({ status: 200, json: { status: 'accepted' } });
    await h.runtime.idle();
    expect(
      h.portal.callsOf('imopenlines.bot.session.message.send').map((c) => c.params.MESSAGE),
    ).toEqual(['hello']);
  });

  it('refuses unsupported content types with 415 and bodies over the limit with 413', async () => {
    h = await startHarness({ env: { OPENLINES_BODY_LIMIT: '4096' } });
    expect((await h.post('/events', '<xml/>', 'text/xml')).status).toBe(415);
    const big = v2MessageBody({ ...chat(1782), messageId: 505, text: 'y'.repeat(5000) });
    const res = await h.post('/events', big);
    expect(res.status).toBe(413);
    expect(h.portal.calls).toHaveLength(0);
    // The process is fine afterwards.
    expect((await h.post('/events', v2JoinBody(chat(1783)))).status).toBe(200);
  });

  it('answers 413 to a streamed (chunked) body that grows over the limit', async () => {
    h = await startHarness({ env: { OPENLINES_BODY_LIMIT: '4096' } });
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${h.url}/events`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(413);
    expect(await h.store.pendingDialogs(10)).toEqual([]);
  });

  it('forgets the bot id of a portal on ONIMBOTV2DELETE', async () => {
    h = await startHarness();
    await h.store.savePortal({
      memberId: MEMBER,
      domain: 'a.bitrix24.test',
      bots: { echo_bot: { id: 7, apiVersion: 2 }, other: { id: 9, apiVersion: 2 } },
      installedAt: 1,
      updatedAt: 1,
    });
    expect(
      (
        await h.post(
          '/events',
          v2BotDeleteBody({ memberId: MEMBER, applicationToken: APP_TOKEN, botId: 7 }),
        )
      ).status,
    ).toBe(200);
    expect((await h.store.getPortal(MEMBER))?.bots).toEqual({ other: { id: 9, apiVersion: 2 } });
    // A forged delete changes nothing.
    expect(
      (
        await h.post(
          '/events',
          v2BotDeleteBody({ memberId: MEMBER, applicationToken: 'customwrong', botId: 9 }),
        )
      ).status,
    ).toBe(401);
    expect((await h.store.getPortal(MEMBER))?.bots).toEqual({ other: { id: 9, apiVersion: 2 } });
  });

  it('answers 503, not 200, when the event cannot be recorded', async () => {
    h = await startHarness();
    await h.runtime.stop();
    const res = await h.post(
      '/events',
      v2MessageBody({ ...chat(1795), messageId: 520, text: 'late' }),
    );
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ code: 'UNAVAILABLE' });
    expect(await h.store.pendingDialogs(10)).toEqual([]);
  });

  it('answers 404 JSON for unknown routes and for /install outside app mode', async () => {
    h = await startHarness();
    expect((await fetch(`${h.url}/nope`)).status).toBe(404);
    const res = await h.post('/install', 'auth%5Baccess_token%5D=x');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'CONFIG' });
  });
});

describe('createOpsRouter', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('reports health 200 with the store kind, and 503 when the store cannot serve', async () => {
    const inner = memoryStore();
    let broken = false;
    const store: Store = Object.assign(Object.create(inner) as Store, {
      ping: async () => {
        if (broken) throw new Error('disk gone');
      },
    });
    h = await startHarness({ store });
    const ok = await fetch(`${h.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', store: 'memory' });
    broken = true;
    const bad = await fetch(`${h.url}/healthz`);
    expect(bad.status).toBe(503);
    const body = JSON.stringify(await bad.json());
    expect(body).toContain('unavailable');
    expect(body).not.toContain('disk gone');
  });

  it('renders Prometheus text with event counters and store gauges', async () => {
    h = await startHarness();
    await h.post('/events', v2MessageBody({ ...chat(1790), messageId: 510, text: 'a' }));
    await h.post(
      '/events',
      v2MessageBody({ ...chat(1790, 'customwrong'), messageId: 511, text: 'b' }),
    );
    await h.runtime.idle();
    const res = await fetch(`${h.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('openlines_events_total{outcome="accepted",type="message"} 1');
    expect(text).toContain('openlines_events_total{outcome="unauthorized",type="message"} 1');
    for (const gauge of [
      'openlines_active_dialogs 1',
      'openlines_timers_pending',
      'openlines_outbox_depth 0',
      'openlines_inbox_depth 0',
      'openlines_dead_letters 0',
    ]) {
      expect(text).toContain(gauge);
    }
    expect(text).toMatch(/# TYPE openlines_turn_duration_seconds histogram/);
  });
});

describe('createOpsRouter (backlog)', () => {
  it('shows the inbox depth and the age of the oldest unprocessed event in /healthz and /metrics', async () => {
    const store = memoryStore();
    const now = 1_700_000_000_000;
    // Two events accepted 90 s and 30 s ago, not processed (no runtime here).
    await store.appendInbox([{ dialogKey: 'm:7:1', payload: {} }], { now: now - 90_000 });
    await store.appendInbox([{ dialogKey: 'm:7:2', payload: {} }], { now: now - 30_000 });
    const metrics = createMetrics();
    const app = express();
    app.use(createOpsRouter({ store, metrics, logger: silentLogger(), now: () => now }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        inbox: { depth: 2, oldestAgeSeconds: 90 },
        outboxDepth: 0,
      });
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('openlines_inbox_depth 2');
      expect(text).toContain('openlines_inbox_oldest_age_seconds 90');
      // prom-client's default process metrics sit beside ours.
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
      expect(metrics.value(METRIC.inboxOldestAge)).toBe(90);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('createOpsRouter (stopping)', () => {
  it('reports 503 "stopping" while the server shuts down', async () => {
    const app = express();
    app.use(
      createOpsRouter({
        store: memoryStore(),
        metrics: createMetrics(),
        logger: silentLogger(),
        isStopping: () => true,
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'stopping' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
