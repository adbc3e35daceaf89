import type { BatchCall } from '../../src/bitrix/types';
import { HttpError } from '../../src/bitrix/rest-errors';
import { createMetrics, METRIC } from '../../src/metrics';
import {
  createDispatcher,
  type DispatcherOptions,
  type EffectFailure,
} from '../../src/runtime/dispatcher';
import { memoryStore } from '../../src/store/memory-store';
import type { OutboxEffect } from '../../src/store/store';
import {
  commitEffects,
  fakeClient,
  manualClock,
  textOf,
  type Answer,
  type FakeClient,
} from './dispatcher-fakes';
import { capturingLogger } from '../helpers/capturing-logger';

const LIMIT: Answer = {
  error: 'QUERY_LIMIT_EXCEEDED',
  description: 'Too many requests',
  status: 503,
};
const SERVER_ERROR: Answer = {
  error: 'INTERNAL_SERVER_ERROR',
  description: 'Internal server error',
  status: 500,
};

function setup(
  options: {
    answer?: (call: BatchCall, attempt: number) => Answer;
    client?: FakeClient;
  } & Partial<DispatcherOptions> = {},
) {
  const { answer, client: givenClient, ...overrides } = options;
  const store = memoryStore();
  const clock = manualClock();
  const metrics = createMetrics();
  const { logger, lines } = capturingLogger({ level: 'debug' });
  const client = givenClient ?? fakeClient(answer ? { answer } : {});
  const failed: Array<{ effect: OutboxEffect; failure: EffectFailure }> = [];
  const dispatcher = createDispatcher({
    store,
    clock,
    metrics,
    logger,
    clients: () => client,
    random: () => 0.5,
    onEffectFailed: async (effect, failure) => {
      failed.push({ effect, failure });
    },
    ...overrides,
  });
  return { store, clock, metrics, client, dispatcher, failed, lines };
}

describe('createDispatcher failures', () => {
  it('retries a transient failure with backoff, then sends', async () => {
    const { store, clock, metrics, client, dispatcher } = setup({
      answer: (_c, n) => (n === 1 ? LIMIT : { result: true }),
    });
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 5,
      effects: [{ type: 'say', text: 'hi' }],
    });
    await dispatcher.start();
    await dispatcher.drain();

    expect(client.requests).toHaveLength(1);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(1);
    expect((await store.stats()).outboxDepth).toBe(1);

    // First retry after 1000 ms * (0.5 + 0.5 * 0.5) = 750 ms: nothing before it.
    await clock.advance(749);
    expect(client.requests).toHaveLength(1);
    await clock.advance(1);
    await dispatcher.drain();

    expect(client.executed.map(textOf)).toEqual(['hi', 'hi']);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'sent' })).toBe(1);
    expect((await store.stats()).outboxDepth).toBe(0);
    await dispatcher.stop();
  });

  it('retries on network errors the client gives up on', async () => {
    let first = true;
    const client = fakeClient();
    const flaky = {
      ...client,
      async call<T>(method: string, params?: Record<string, unknown>): Promise<T> {
        if (first) {
          first = false;
          throw new HttpError({ method, reason: 'ECONNRESET' });
        }
        return client.call<T>(method, params);
      },
    };
    const { store, clock, metrics, dispatcher } = setup({ clients: () => flaky });
    await commitEffects({ store, now: clock.now(), chatId: 5, effects: [{ type: 'finish' }] });

    await dispatcher.drain();
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(1);
    await clock.advance(60_000);
    await dispatcher.drain();
    expect(client.executed).toEqual([
      { method: 'imopenlines.bot.session.finish', params: { CHAT_ID: 5 } },
    ]);
  });

  it('holds the later effects of a dialog while its earlier effect waits for a retry', async () => {
    const { store, clock, client, dispatcher } = setup({
      maxBatch: 1,
      answer: (c, n) => (textOf(c) === 'first' && n === 1 ? LIMIT : { result: true }),
    });
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 5,
      effects: [
        { type: 'say', text: 'first' },
        { type: 'say', text: 'second' },
      ],
    });

    await dispatcher.drain();
    expect(client.executed.map(textOf)).toEqual(['first']);

    await clock.advance(60_000);
    await dispatcher.drain();
    expect(client.executed.map(textOf)).toEqual(['first', 'first', 'second']);
    expect((await store.stats()).outboxDepth).toBe(0);
  });

  it('reports a permanent refusal to the dialog once and goes on with its next effects', async () => {
    const { store, clock, metrics, client, dispatcher, failed, lines } = setup({
      answer: (c) =>
        c.method === 'imopenlines.bot.session.operator'
          ? { error: 'WRONG_CHAT', description: 'Operator is not a bot' }
          : { result: true },
    });
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 9,
      effects: [{ type: 'toOperator' }, { type: 'say', text: 'after' }],
    });

    await dispatcher.drain();
    await clock.advance(120_000);
    await dispatcher.drain();

    expect(failed).toHaveLength(1);
    expect(failed[0]!.failure).toEqual({
      method: 'imopenlines.bot.session.operator',
      code: 'WRONG_CHAT',
      description: 'Operator is not a bot',
    });
    expect(failed[0]!.effect.dialogKey).toBe('portal-a:571:9');
    expect(client.executed.map((c) => c.method)).toEqual([
      'imopenlines.bot.session.operator',
      'imopenlines.bot.session.message.send',
    ]);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'failed' })).toBe(1);
    expect(await store.deadLetters(10)).toEqual([]);
    expect((await store.stats()).outboxDepth).toBe(0);
    expect(lines.some((l) => l.level === 40 && l.code === 'WRONG_CHAT')).toBe(true);
  });

  it('reports a permanent refusal of a single call the same way', async () => {
    const { store, clock, dispatcher, failed } = setup({
      answer: () => ({
        error: 'OPERATOR_WRONG',
        description: 'You cannot redirect to this operator',
      }),
    });
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 9,
      effects: [{ type: 'transfer', to: { userId: 3 } }],
    });

    await dispatcher.drain();

    expect(failed.map((f) => f.failure)).toEqual([
      {
        method: 'imopenlines.bot.session.transfer',
        code: 'OPERATOR_WRONG',
        description: 'You cannot redirect to this operator',
      },
    ]);
  });

  it('dead-letters an effect after maxAttempts transient failures', async () => {
    const { store, clock, metrics, client, dispatcher, failed, lines } = setup({
      maxAttempts: 3,
      answer: () => SERVER_ERROR,
    });
    await commitEffects({ store, now: clock.now(), chatId: 4, effects: [{ type: 'greet' }] });
    await dispatcher.start();

    for (let i = 0; i < 5; i += 1) await clock.advance(60_000);
    await dispatcher.drain();

    expect(client.requests).toHaveLength(3);
    const dead = await store.deadLetters(10);
    expect(dead.map((d) => [d.dialogKey, d.effect.type])).toEqual([['portal-a:571:4', 'greet']]);
    expect(dead[0]!.error).toMatch(/INTERNAL_SERVER_ERROR/);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(2);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'dead' })).toBe(1);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'dead' })).toBe(1);
    expect(failed).toEqual([]);
    expect(lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
      'effect dead-lettered after its last attempt',
    ]);
    await dispatcher.stop();
  });

  it.each([
    [
      'a call answered 503 QUERY_LIMIT_EXCEEDED and 429',
      [{ type: 'greet' }],
      (n: number): Answer => (n % 2 ? LIMIT : { error: 'TOO_MANY_REQUESTS', status: 429 }),
    ],
    [
      'batch sub-calls answered QUERY_LIMIT_EXCEEDED',
      [
        { type: 'say', text: 'a', via: 'bot' },
        { type: 'say', text: 'b', via: 'bot' },
      ],
      (): Answer => ({ error: 'QUERY_LIMIT_EXCEEDED' }),
    ],
  ] as const)(
    'never counts a rate-limited attempt toward a dead letter: %s',
    async (_what, effects, limited) => {
      const { store, clock, metrics, client, dispatcher } = setup({
        maxAttempts: 2,
        // Ten refusals by the portal's limit in a row, then the portal has room again.
        answer: (_c, n) => (n <= 10 ? limited(n) : { result: true }),
      });
      await commitEffects({ store, now: clock.now(), chatId: 4, effects: [...effects] });
      await dispatcher.start();
      for (let i = 0; i < 12; i += 1) {
        await dispatcher.drain();
        await clock.advance(60_000);
      }
      await dispatcher.drain();

      expect(client.requests).toHaveLength(11);
      expect(await store.deadLetters(10)).toEqual([]);
      expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(10 * effects.length);
      expect(metrics.value(METRIC.effectsTotal, { outcome: 'dead' })).toBe(0);
      expect(metrics.value(METRIC.effectsTotal, { outcome: 'sent' })).toBe(effects.length);
      expect((await store.stats()).outboxDepth).toBe(0);
      await dispatcher.stop();
    },
  );

  it('treats rate and server error codes of batch sub-calls as transient, others as permanent', async () => {
    const byText: Record<string, Answer> = {
      limit: { error: 'QUERY_LIMIT_EXCEEDED' },
      time: { error: 'OPERATION_TIME_LIMIT' },
      server: { error: 'INTERNAL_SERVER_ERROR' },
      denied: { error: 'ACCESS_DENIED', description: 'bot is not a member' },
    };
    const { store, clock, metrics, dispatcher, failed } = setup({
      answer: (c, n) =>
        n === 1 ? (byText[textOf(c) ?? ''] ?? { result: true }) : { result: true },
    });
    let chat = 1;
    for (const text of ['ok', 'limit', 'time', 'server', 'denied']) {
      await commitEffects({
        store,
        now: clock.now(),
        chatId: chat++,
        effects: [{ type: 'say', text, via: 'bot' }],
      });
    }

    await dispatcher.drain();

    expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(3);
    expect(failed.map((f) => f.failure.code)).toEqual(['ACCESS_DENIED']);
    expect(failed[0]!.failure.method).toBe('imbot.v2.Chat.Message.send');
    await clock.advance(60_000);
    await dispatcher.drain();
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'sent' })).toBe(4);
    expect((await store.stats()).outboxDepth).toBe(0);
  });

  it('refuses an effect whose routing data is invalid without calling Bitrix24', async () => {
    const { store, clock, client, dispatcher, failed } = setup();
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 8,
      effects: [{ type: 'say', text: 'x' }],
      meta: { botId: 'nope' },
    });

    await dispatcher.drain();

    expect(client.requests).toEqual([]);
    expect(failed.map((f) => f.failure.code)).toEqual(['INVALID_EFFECT']);
    expect((await store.stats()).outboxDepth).toBe(0);
  });

  it('retries when the portal has no client yet', async () => {
    const client = fakeClient();
    let ready = false;
    const { store, clock, metrics, dispatcher } = setup({
      clients: () => {
        if (!ready) throw new Error('unknown portal');
        return client;
      },
    });
    await commitEffects({ store, now: clock.now(), chatId: 8, effects: [{ type: 'typing' }] });

    await dispatcher.drain();
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'retried' })).toBe(1);
    ready = true;
    await clock.advance(60_000);
    await dispatcher.drain();
    expect(client.executed.map((c) => c.method)).toEqual(['imbot.v2.Chat.InputAction.notify']);
  });

  it('still settles the effect when onEffectFailed throws', async () => {
    const { store, clock, dispatcher, lines } = setup({
      answer: () => ({ error: 'WRONG_CHAT' }),
      onEffectFailed: () => Promise.reject(new Error('inbox down')),
    });
    await commitEffects({ store, now: clock.now(), chatId: 8, effects: [{ type: 'toOperator' }] });

    await dispatcher.drain();

    expect((await store.stats()).outboxDepth).toBe(0);
    expect(lines.some((l) => l.level === 50 && /onEffectFailed threw/.test(l.msg))).toBe(true);
  });
});
