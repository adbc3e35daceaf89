import { createMetrics, METRIC } from '../../src/metrics';
import { createDispatcher, type DispatcherOptions } from '../../src/runtime/dispatcher';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import {
  commitEffects,
  fakeClient,
  flush,
  manualClock,
  textOf,
  type FakeClient,
} from './dispatcher-fakes';

function setup(overrides: Partial<DispatcherOptions> = {}, client: FakeClient = fakeClient()) {
  const store = memoryStore();
  const clock = manualClock();
  const metrics = createMetrics();
  const failed: unknown[] = [];
  const dispatcher = createDispatcher({
    store,
    clock,
    metrics,
    clients: () => client,
    onEffectFailed: async (effect, failure) => {
      failed.push({ effect, failure });
    },
    ...overrides,
  });
  return { store, clock, metrics, client, dispatcher, failed };
}

async function sayInChats(
  store: Store,
  now: number,
  chats: number[],
  texts: (chat: number) => string[],
): Promise<void> {
  for (const chat of chats) {
    await commitEffects({
      store,
      now,
      chatId: chat,
      effects: texts(chat).map((text) => ({ type: 'say' as const, text })),
    });
  }
}

describe('createDispatcher', () => {
  it('sends a single waiting effect with one plain call and marks it sent', async () => {
    const { store, clock, metrics, client, dispatcher } = setup();
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 1777,
      effects: [{ type: 'toOperator' }],
    });

    await dispatcher.drain();

    expect(client.requests).toEqual([
      {
        kind: 'call',
        calls: [{ method: 'imopenlines.bot.session.operator', params: { CHAT_ID: 1777 } }],
      },
    ]);
    expect((await store.stats()).outboxDepth).toBe(0);
    expect(metrics.value(METRIC.effectsTotal, { outcome: 'sent' })).toBe(1);
  });

  it('packs waiting effects into batch requests of at most 50 calls', async () => {
    const { store, clock, client, dispatcher } = setup();
    const chats = Array.from({ length: 120 }, (_, i) => 1000 + i);
    await sayInChats(store, clock.now(), chats, (c) => [`hello ${c}`]);

    await dispatcher.drain();

    expect(client.requests.map((r) => [r.kind, r.calls.length])).toEqual([
      ['batch', 50],
      ['batch', 50],
      ['batch', 20],
    ]);
    expect(client.executed.map(textOf).sort()).toEqual(chats.map((c) => `hello ${c}`).sort());
    expect((await store.stats()).outboxDepth).toBe(0);
  });

  it('honours a smaller maxBatch', async () => {
    const { store, clock, client, dispatcher } = setup({ maxBatch: 7 });
    await sayInChats(store, clock.now(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (c) => [`m${c}`]);

    await dispatcher.drain();

    expect(client.requests.map((r) => r.calls.length)).toEqual([7, 3]);
  });

  it('keeps each dialog in order inside a batch', async () => {
    const { store, clock, client, dispatcher } = setup();
    // Interleaved commits: turn j of every dialog, then turn j+1...
    for (let j = 0; j < 4; j += 1)
      await sayInChats(store, clock.now(), [11, 12, 13], (c) => [`${c}:${j}a`, `${c}:${j}b`]);

    await dispatcher.drain();

    expect(client.requests).toHaveLength(1);
    for (const chat of [11, 12, 13]) {
      const texts = client.executed.map(textOf).filter((t) => t?.startsWith(`${chat}:`));
      expect(texts).toEqual(
        ['0a', '0b', '1a', '1b', '2a', '2b', '3a', '3b'].map((s) => `${chat}:${s}`),
      );
    }
  });

  it('never lets a later request overtake a dialog whose earlier effects are still in flight', async () => {
    const client = fakeClient();
    const { store, clock, dispatcher } = setup({ maxBatch: 4 }, client);
    client.hold();
    // Dialog 1 has 6 effects, dialogs 2..5 one each: the store hands them all out at once.
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 1,
      effects: [1, 2, 3, 4, 5, 6].map((n) => ({ type: 'say' as const, text: `1:${n}` })),
    });
    await sayInChats(store, clock.now(), [2, 3, 4, 5], (c) => [`${c}:1`]);

    const drained = dispatcher.drain();
    await flush();
    expect(client.waiting).toHaveLength(2);
    // The second request must not carry dialog 1's effects 5 and 6 while 1..4 are in flight.
    expect(client.waiting[1]!.request.calls.map(textOf)).toEqual(['2:1', '3:1', '4:1', '5:1']);
    // Answer the later request first: order must still hold.
    client.waiting[1]!.release();
    await flush();
    client.waiting[0]!.release();
    for (let i = 0; i < 10 && client.requests.length < 3; i += 1) await flush();
    for (const w of client.waiting.slice(2)) w.release();
    await drained;

    expect(client.executed.map(textOf).filter((t) => t?.startsWith('1:'))).toEqual([
      '1:1',
      '1:2',
      '1:3',
      '1:4',
      '1:5',
      '1:6',
    ]);
    expect(client.requests.map((r) => r.calls.length)).toEqual([4, 4, 2]);
  });

  it('keeps at most two requests in flight per portal, the second only with a full batch', async () => {
    const client = fakeClient();
    const { store, clock, dispatcher } = setup({}, client);
    client.hold();
    await sayInChats(
      store,
      clock.now(),
      Array.from({ length: 130 }, (_, i) => i + 1),
      (c) => [`m${c}`],
    );

    const drained = dispatcher.drain();
    await flush();
    expect(client.waiting.map((w) => w.request.calls.length)).toEqual([50, 50]);
    client.waiting[0]!.release();
    client.waiting[1]!.release();
    await flush();
    expect(client.waiting.map((w) => w.request.calls.length)).toEqual([50, 50, 30]);
    client.waiting[2]!.release();
    await drained;
    expect(client.executed).toHaveLength(130);
  });

  it('sends to each portal through its own client', async () => {
    const a = fakeClient({ portalId: 'portal-a' });
    const b = fakeClient({ portalId: 'portal-b' });
    const { store, clock, dispatcher } = setup({ clients: (id) => (id === 'portal-a' ? a : b) });
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 1,
      effects: [{ type: 'say', text: 'to a' }],
      portalId: 'portal-a',
    });
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 1,
      effects: [{ type: 'say', text: 'to b' }],
      portalId: 'portal-b',
    });

    await dispatcher.drain();

    expect(a.executed.map(textOf)).toEqual(['to a']);
    expect(b.executed.map(textOf)).toEqual(['to b']);
  });

  it('resolves drain at once when the outbox is empty', async () => {
    const { client, dispatcher } = setup();
    await dispatcher.drain();
    expect(client.requests).toHaveLength(0);
  });
});
