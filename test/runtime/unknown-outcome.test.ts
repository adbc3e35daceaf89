/**
 * A timeout is not a failure (README trap 17, #8 item 5): a send that reached the portal and got
 * no answer is not resent; the machine hears `effect.failed` with `OUTCOME_UNKNOWN`. Sends that
 * provably never left are still retried. Real REST client, real HTTP to the loopback fake portal,
 * one fake clock for the client's timeout and the runtime's retries.
 */
import { createServer } from 'node:net';
import { setup } from 'xstate';
import { systemClock } from '../../src/clock';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { isHttpError } from '../../src/bitrix/rest-errors';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { createLogger } from '../../src/logger';
import { createMetrics, METRIC } from '../../src/metrics';
import { classifyFailure } from '../../src/runtime/classify-failure';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { createFakeClock } from '../../src/testing/fake-clock';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { messageEvent } from '../helpers/dialog-events';

const SEND = 'imopenlines.bot.session.message.send';

/** Answers `ping` with `pong`, and tells the client what became of a failed effect. */
const pinger = setup({
  types: { context: {}, events: {} as BotEvent, input: {} as DialogInput },
}).createMachine({
  id: 'pinger',
  on: {
    message: { actions: say('pong') },
    'effect.failed': {
      actions: say(({ event }) => (event.type === 'effect.failed' ? `failed:${event.code}` : '')),
    },
  },
});
const bot = defineBot({ code: 'pinger', name: 'Pinger', version: '1', machine: pinger });

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a send whose outcome is unknown (#8)', () => {
  let portal: FakePortal;
  let rt: Runtime;
  const lines: string[] = [];
  const clock = createFakeClock();
  const metrics = createMetrics();

  beforeEach(async () => {
    lines.length = 0;
    portal = await createFakePortal({ rateLimit: false });
    const client = createRestClient({
      auth: { type: 'webhook', url: portal.webhookUrl, botToken: 'pinger_token' },
      clock,
      timeoutMs: 30_000,
      retries: { random: () => 0.5 },
    });
    rt = createRuntime({
      // A first message is answered at once: this test is not about the join race.
      joinWindowMs: 0,
      bots: [bot],
      store: memoryStore(),
      clients: () => client,
      clock,
      turnClock: systemClock,
      metrics,
      logger: createLogger({ level: 'info', destination: { write: (s: string) => lines.push(s) } }),
    });
    await rt.start();
  });
  afterEach(async () => {
    await rt.stop({ deadlineMs: 1000 });
    await portal.close();
  });

  const chat = { memberId: 'a1b2c3d4', botId: 571, botCode: 'pinger', chatId: 1777 };

  it('is delivered once and the machine gets effect.failed OUTCOME_UNKNOWN', async () => {
    // The portal records the request and carries it out, then never answers.
    portal.failNext(SEND, 'TIMEOUT', { stall: true });
    await rt.accept([{ ...messageEvent(chat, 1), text: 'ping' }]);
    const idle = rt.idle();
    await until('the request to reach the portal', () => portal.callsOf(SEND)[0]);
    clock.advance(30_000);
    await idle;
    // Long after every retry delay: nothing is sent again.
    for (let i = 0; i < 10; i++) {
      clock.advance(60_000);
      await rt.idle();
    }
    expect(portal.callsOf(SEND).map((c) => [c.params.MESSAGE, c.error])).toEqual([
      ['pong', 'STALLED'],
      ['failed:OUTCOME_UNKNOWN', undefined],
    ]);
    expect(portal.chat(1777).messages.map((m) => m.text)).toEqual([
      'pong',
      'failed:OUTCOME_UNKNOWN',
    ]);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'unknown' })).toBe(1);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(0);
    expect(lines.some((l) => l.includes('effect outcome unknown'))).toBe(true);
  });

  it('still retries a send the portal refused with 503 QUERY_LIMIT_EXCEEDED', async () => {
    portal.failNext(SEND, 'QUERY_LIMIT_EXCEEDED', { times: 6 });
    await rt.accept([{ ...messageEvent(chat, 2), text: 'ping' }]);
    const idle = rt.idle();
    // The client's and the dispatcher's backoffs sleep on the fake clock: move it until it lands.
    await until('the message to land', () => {
      clock.advance(5_000);
      return portal.chat(1777).messages.length > 0 ? true : undefined;
    });
    await idle;
    expect(portal.chat(1777).messages.map((m) => m.text)).toEqual(['pong']);
    expect(portal.callsOf(SEND).filter((c) => c.error === 'QUERY_LIMIT_EXCEEDED').length).toBe(6);
  });
});

describe('classifyFailure of what the REST client throws (#8)', () => {
  it('keeps a refused connection transient (the request never left)', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const client = createRestClient({
      auth: { type: 'webhook', url: `http://127.0.0.1:${port}/rest/1/secret/` },
      retries: { retries: 0 },
    });
    const error = await client.call('imbot.bot.list').catch((e: unknown) => e);
    expect(isHttpError(error) && error.outcomeUnknown).toBe(false);
    expect(classifyFailure({ error })).toMatchObject({ transient: true });
  });

  it('makes a timeout after the request left a permanent OUTCOME_UNKNOWN, not retried by the client', async () => {
    const portal = await createFakePortal({ rateLimit: false });
    const clock = createFakeClock();
    try {
      const client = createRestClient({
        auth: { type: 'webhook', url: portal.webhookUrl },
        clock,
        timeoutMs: 5_000,
      });
      portal.failNext('imbot.bot.list', 'TIMEOUT', { stall: true });
      const pending = client.call('imbot.bot.list').catch((e: unknown) => e);
      await until('the request', () => portal.callsOf('imbot.bot.list')[0]);
      clock.advance(5_000);
      const error = await pending;
      expect(isHttpError(error) && error.outcomeUnknown).toBe(true);
      expect(classifyFailure({ error })).toMatchObject({
        transient: false,
        code: 'OUTCOME_UNKNOWN',
      });
      // The client did not send it again on its own.
      clock.advance(600_000);
      expect(portal.callsOf('imbot.bot.list')).toHaveLength(1);
    } finally {
      await portal.close();
    }
  });
});
