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

/** A memory store that counts the dispatcher's claims and wake-up queries. */
function countingStore(): { store: Store; claims: number[]; nextQueries: () => number } {
  const inner = memoryStore();
  const claims: number[] = [];
  let next = 0;
  const store: Store = Object.create(inner) as Store;
  store.claimEffects = async (options) => {
    const claimed = await inner.claimEffects(options);
    claims.push(claimed.length);
    return claimed;
  };
  store.nextEffectAvailableAt = async () => {
    next += 1;
    return inner.nextEffectAvailableAt();
  };
  return { store, claims, nextQueries: () => next };
}

function setup(overrides: Partial<DispatcherOptions> = {}, client: FakeClient = fakeClient()) {
  const { store, claims, nextQueries } = countingStore();
  const clock = manualClock();
  const dispatcher = createDispatcher({
    store,
    clock,
    clients: () => client,
    onEffectFailed: async () => {},
    owner: 'test-a',
    ...overrides,
  });
  return { store, claims, nextQueries, clock, client, dispatcher };
}

const say = (chatId: number, text: string) => ({
  chatId,
  effects: [{ type: 'say' as const, text }],
});

describe('createDispatcher claims', () => {
  it('claims again only once the local book runs below half of claimLimit, then in bulk', async () => {
    const client = fakeClient();
    const { store, claims, clock, dispatcher } = setup(
      { claimLimit: 8, maxBatch: 2, maxInFlightPerPortal: 1 },
      client,
    );
    for (let chat = 1; chat <= 12; chat += 1)
      await commitEffects({ store, now: clock.now(), ...say(chat, `m${chat}`) });

    await dispatcher.drain();

    // 8 claimed at first; the next claim waits until fewer than 4 are left, and takes the other 4.
    expect(claims.filter((n) => n > 0)).toEqual([8, 4]);
    expect(client.executed.map(textOf)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i + 1}`));
  });

  it('sends what was committed during a request when that request ends, without a claim per commit', async () => {
    const client = fakeClient();
    const { store, claims, clock, dispatcher } = setup({}, client);
    client.hold();
    await commitEffects({ store, now: clock.now(), ...say(1, 'first') });
    await dispatcher.start();
    await flush();
    expect(client.waiting).toHaveLength(1);
    const claimsBefore = claims.length;

    for (let chat = 2; chat <= 6; chat += 1) {
      await commitEffects({ store, now: clock.now(), ...say(chat, `m${chat}`) });
      dispatcher.wake();
      await clock.advance(5);
    }
    // Five commits 5 ms apart while a request is in flight: one claim, not one per batch window.
    expect(claims.length - claimsBefore).toBe(1);

    client.waiting[0]!.release();
    await flush();
    expect(client.requests.map((r) => r.calls.map(textOf))).toEqual([
      ['first'],
      ['m2', 'm3', 'm4', 'm5', 'm6'],
    ]);
    client.waiting[1]!.release();
    await dispatcher.stop();
  });

  it('still sends a wake-up of an idle dispatcher after the batch window', async () => {
    const { store, clock, client, dispatcher } = setup({ batchWindowMs: 5 });
    await dispatcher.start();
    await flush();
    await commitEffects({ store, now: clock.now(), ...say(1, 'hello') });
    dispatcher.wake();
    await clock.advance(4);
    expect(client.requests).toHaveLength(0);
    await clock.advance(1);
    expect(client.executed.map(textOf)).toEqual(['hello']);
    await dispatcher.stop();
  });

  it('gives a commit right after a request ended the short batch window, not the busy one', async () => {
    const client = fakeClient();
    const { store, clock, dispatcher } = setup({ batchWindowMs: 5 }, client);
    client.hold();
    await commitEffects({ store, now: clock.now(), ...say(1, 'first') });
    await dispatcher.start();
    await flush();
    // Committed while 'first' is in flight: the wake-up waits for the longer busy window...
    await commitEffects({ store, now: clock.now(), ...say(2, 'second') });
    dispatcher.wake();
    await clock.advance(2);
    // ...but the end of 'first' sends it at once.
    client.waiting[0]!.release();
    await flush();
    expect(client.requests.map((r) => r.calls.map(textOf))).toEqual([['first'], ['second']]);
    client.waiting[1]!.release();
    await flush();

    await commitEffects({ store, now: clock.now(), ...say(3, 'third') });
    dispatcher.wake();
    await clock.advance(5);
    expect(client.requests.map((r) => r.calls.map(textOf))).toEqual([
      ['first'],
      ['second'],
      ['third'],
    ]);
    client.waiting[2]!.release();
    await dispatcher.stop();
  });

  it('does not ask the store for the next wake-up time while a request is in flight', async () => {
    const client = fakeClient();
    const { store, nextQueries, clock, dispatcher } = setup({}, client);
    client.hold();
    await commitEffects({ store, now: clock.now(), ...say(1, 'first') });
    await dispatcher.start();
    await flush();
    const before = nextQueries();
    for (let i = 0; i < 5; i += 1) await clock.advance(1000);
    expect(nextQueries()).toBe(before);

    client.waiting[0]!.release();
    await flush();
    expect(nextQueries()).toBeGreaterThan(before);
    await dispatcher.stop();
  });

  it('wakes for its own retry at the retry time while a request of another portal is in flight', async () => {
    let failFirst = true;
    const client = fakeClient({
      answer: (call) => {
        if (textOf(call) === 'retry me' && failFirst) {
          failFirst = false;
          return { error: 'QUERY_LIMIT_EXCEEDED', status: 503 };
        }
        return { result: true };
      },
    });
    const slowClient = fakeClient({ portalId: 'portal-b' });
    slowClient.hold();
    const { store, clock, dispatcher } = setup({
      clients: (portalId) => (portalId === 'portal-b' ? slowClient : client),
      retryBaseMs: 1000,
      random: () => 0.5,
      // Only the retry time can bring the effect back within the test: the poll is far away.
      pollIntervalMs: 60_000,
    });
    await commitEffects({ store, now: clock.now(), ...say(1, 'retry me') });
    await dispatcher.start();
    await flush();
    expect(client.executed.map(textOf)).toEqual(['retry me']);

    await commitEffects({ store, now: clock.now(), portalId: 'portal-b', ...say(2, 'slow') });
    dispatcher.wake();
    await clock.advance(5);
    expect(slowClient.unreleased()).toHaveLength(1);

    await clock.advance(5000);
    expect(client.executed.map(textOf)).toEqual(['retry me', 'retry me']);
    expect(slowClient.unreleased()).toHaveLength(1);
    slowClient.waiting[0]!.release();
    await dispatcher.stop();
  });

  it('writes the outcomes of one request together, not one store write after another', async () => {
    const { store, clock, client, dispatcher } = setup();
    const settle = store.settleEffect.bind(store);
    let pending = 0;
    let most = 0;
    store.settleEffect = async (...args) => {
      pending += 1;
      most = Math.max(most, pending);
      await flush(1);
      await settle(...args);
      pending -= 1;
    };
    for (let chat = 1; chat <= 5; chat += 1)
      await commitEffects({ store, now: clock.now(), ...say(chat, `m${chat}`) });

    await dispatcher.drain();

    expect(client.requests.map((r) => r.calls.length)).toEqual([5]);
    expect(most).toBe(5);
    expect((await store.stats()).outboxDepth).toBe(0);
  });
});
