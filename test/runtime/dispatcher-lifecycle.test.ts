import { createDispatcher, type DispatcherOptions } from '../../src/runtime/dispatcher';
import { memoryStore } from '../../src/store/memory-store';
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
  const dispatcher = createDispatcher({
    store,
    clock,
    clients: () => client,
    onEffectFailed: async () => {},
    owner: 'test-a',
    ...overrides,
  });
  return { store, clock, client, dispatcher };
}

describe('createDispatcher lifecycle', () => {
  it('sends what was already waiting when started', async () => {
    const { store, clock, client, dispatcher } = setup();
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 1,
      effects: [{ type: 'say', text: 'queued before start' }],
    });

    await dispatcher.start();
    await flush();

    expect(client.executed.map(textOf)).toEqual(['queued before start']);
    await dispatcher.stop();
  });

  it('coalesces commits made within the batch window into one request', async () => {
    const { store, clock, client, dispatcher } = setup({ batchWindowMs: 5 });
    await dispatcher.start();
    await flush();
    for (let chat = 1; chat <= 10; chat += 1) {
      await commitEffects({
        store,
        now: clock.now(),
        chatId: chat,
        effects: [{ type: 'say', text: `m${chat}` }],
      });
      dispatcher.wake();
    }
    await flush();
    expect(client.requests).toHaveLength(0);

    await clock.advance(5);

    expect(client.requests.map((r) => [r.kind, r.calls.length])).toEqual([['batch', 10]]);
    await dispatcher.stop();
  });

  it('ignores wake-ups before start', async () => {
    const { store, clock, client, dispatcher } = setup();
    await commitEffects({ store, now: clock.now(), chatId: 1, effects: [{ type: 'greet' }] });
    dispatcher.wake();
    await clock.advance(1000);
    expect(client.requests).toHaveLength(0);
  });

  it('polls for effects committed elsewhere (another process sharing the store)', async () => {
    const { store, clock, client, dispatcher } = setup({ pollIntervalMs: 1000 });
    await dispatcher.start();
    await flush();
    await commitEffects({ store, now: clock.now(), chatId: 1, effects: [{ type: 'finish' }] });
    await clock.advance(999);
    expect(client.requests).toHaveLength(0);
    await clock.advance(1);
    expect(client.executed.map((c) => c.method)).toEqual(['imopenlines.bot.session.finish']);
    await dispatcher.stop();
  });

  it('finishes the requests in flight on stop and releases the claimed rest at once', async () => {
    const client = fakeClient();
    const { store, clock, dispatcher } = setup({ maxBatch: 2, maxInFlightPerPortal: 1 }, client);
    client.hold();
    for (let chat = 1; chat <= 4; chat += 1)
      await commitEffects({
        store,
        now: clock.now(),
        chatId: chat,
        effects: [{ type: 'say', text: `m${chat}` }],
      });
    await dispatcher.start();
    await flush();
    expect(client.waiting.map((w) => w.request.calls.map(textOf))).toEqual([['m1', 'm2']]);

    const stopped = dispatcher.stop({ deadlineMs: 10_000 });
    let done = false;
    void stopped.then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    client.waiting[0]!.release();
    await stopped;

    expect(client.executed.map(textOf)).toEqual(['m1', 'm2']);
    expect(client.requests).toHaveLength(1);
    // m3 and m4 are pending again, claimable by the next process without waiting for a lease.
    const next = await store.claimEffects({
      now: clock.now(),
      limit: 10,
      leaseMs: 1000,
      owner: 'test-b',
    });
    expect(next.map((e) => e.effect)).toEqual([
      { type: 'say', text: 'm3' },
      { type: 'say', text: 'm4' },
    ]);
  });

  it('gives up waiting for a hung request at the stop deadline', async () => {
    const client = fakeClient();
    const { store, clock, dispatcher } = setup({}, client);
    client.hold();
    await commitEffects({ store, now: clock.now(), chatId: 1, effects: [{ type: 'greet' }] });
    await dispatcher.start();
    await flush();
    expect(client.waiting).toHaveLength(1);

    const stopped = dispatcher.stop({ deadlineMs: 3000 });
    await clock.advance(3000);
    await stopped;

    // The hung request still settles when it finally answers.
    client.waiting[0]!.release();
    await flush();
    expect((await store.stats()).outboxDepth).toBe(0);
  });

  it('sends nothing after stop, and resumes after a new start', async () => {
    const { store, clock, client, dispatcher } = setup();
    await dispatcher.start();
    await dispatcher.stop();
    await commitEffects({ store, now: clock.now(), chatId: 1, effects: [{ type: 'greet' }] });
    dispatcher.wake();
    await dispatcher.drain();
    await clock.advance(5000);
    expect(client.requests).toHaveLength(0);

    await dispatcher.start();
    await flush();
    expect(client.requests).toHaveLength(1);
    await dispatcher.stop();
  });
});
