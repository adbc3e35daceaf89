/**
 * Issue 3 acceptance: "300 dialogs each emit a reply at the same moment against a fake portal that
 * enforces the 50-burst / 2-per-second leaky bucket and answers 503 above it: all 300 replies
 * delivered, zero 503s received, in at most 10 HTTP requests."
 *
 * Real parts only: the loopback HTTP fake portal, the real REST client with its rate budget, the
 * memory store and the dispatcher.
 */
import { setup } from 'xstate';
import { createRateBudget } from '../../src/bitrix/rate-budget';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { createMetrics, METRIC } from '../../src/metrics';
import { createDispatcher } from '../../src/runtime/dispatcher';
import { createRuntime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { messageEvent } from '../helpers/dialog-events';
import { commitEffects } from './dispatcher-fakes';

/** Answers every client message with one plain-text reply. */
const replyBot = defineBot({
  code: 'reply_bot',
  name: 'Reply',
  version: '1',
  machine: setup({ types: { events: {} as BotEvent, input: {} as DialogInput } }).createMachine({
    initial: 'ready',
    states: {
      ready: {
        on: {
          message: {
            actions: say(({ event }) => `Reply to ${event.type === 'message' ? event.text : ''}`),
          },
        },
      },
    },
  }),
});

function limitedClient(portal: FakePortal, metrics = createMetrics()) {
  return createRestClient({
    auth: { type: 'webhook', url: portal.webhookUrl },
    rateBudget: createRateBudget({ burst: 50, drainPerSecond: 2 }),
    metrics,
  });
}

describe('createDispatcher against a rate-limited portal', () => {
  let portal: FakePortal;

  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: { burst: 50, drainPerSecond: 2 } });
  });

  afterEach(async () => {
    await portal.close();
  });

  it('refuses a burst of unbatched calls above 50 (the bucket is real)', async () => {
    const client = createRestClient({
      auth: { type: 'webhook', url: portal.webhookUrl },
      rateBudget: createRateBudget({ burst: 10_000, drainPerSecond: 10_000 }),
      retries: { retries: 0 },
    });
    const calls = Array.from({ length: 80 }, (_, i) =>
      client.call('imopenlines.bot.session.message.send', {
        CHAT_ID: i + 1,
        NAME: 'DEFAULT',
        MESSAGE: 'x',
      }),
    );
    const results = await Promise.allSettled(calls);

    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(25);
    expect(portal.rejected503).toBeGreaterThanOrEqual(25);
  });

  it('delivers 300 simultaneous replies with zero 503s in at most 10 HTTP requests (#3)', async () => {
    const metrics = createMetrics();
    const client = limitedClient(portal, metrics);
    const store = memoryStore();
    const dispatcher = createDispatcher({
      store,
      clients: () => client,
      metrics,
      onEffectFailed: async () => {},
    });
    await dispatcher.start();
    const chats = Array.from({ length: 300 }, (_, i) => 2000 + i);

    await Promise.all(
      chats.map(async (chatId) => {
        await commitEffects({
          store,
          now: Date.now(),
          chatId,
          effects: [{ type: 'say', text: `Reply to ${chatId}` }],
        });
        dispatcher.wake();
      }),
    );
    await dispatcher.drain();
    await dispatcher.stop();

    for (const chatId of chats) {
      expect(portal.chat(chatId).messages.map((m) => [m.text, m.via])).toEqual([
        [`Reply to ${chatId}`, 'imopenlines.bot.session.message.send'],
      ]);
    }
    expect(portal.rejected503).toBe(0);
    expect(portal.requests).toBeLessThanOrEqual(10);
    expect(portal.callsOf('batch').length).toBe(portal.requests);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'sent' })).toBe(300);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(0);
    expect((await store.stats()).outboxDepth).toBe(0);
    process.stdout.write(
      `rate-and-batching (store commits): 300 replies in ${portal.requests} HTTP requests, ${portal.rejected503} x 503\n`,
    );
  });

  it('does the same when 300 dialogs get a message at once through createRuntime (#3)', async () => {
    const client = limitedClient(portal);
    const store = memoryStore();
    const runtime = createRuntime({
      // A first message starts its conversation at once: these tests are not about the join race.
      joinWindowMs: 0,
      bots: [replyBot],
      store,
      clients: () => client,
    });
    await runtime.start();
    const chats = Array.from({ length: 300 }, (_, i) => 3000 + i);

    await Promise.all(
      chats.map((chatId, i) =>
        runtime.accept([
          messageEvent({ memberId: portal.memberId, chatId }, i + 1, `hi ${chatId}`),
        ]),
      ),
    );
    await runtime.idle();
    await runtime.stop();

    for (const chatId of chats)
      expect(portal.chat(chatId).messages.map((m) => m.text)).toEqual([`Reply to hi ${chatId}`]);
    expect(portal.rejected503).toBe(0);
    expect(portal.requests).toBeLessThanOrEqual(10);
    expect((await store.stats()).outboxDepth).toBe(0);
    process.stdout.write(
      `rate-and-batching (runtime): 300 replies in ${portal.requests} HTTP requests, ${portal.rejected503} x 503\n`,
    );
  });
});
