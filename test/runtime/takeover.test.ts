/**
 * Takeover in one process with a fake clock (issue 9): work whose owner is gone is picked up by
 * the orphan scan; leases and claims held by a slow but live owner are renewed (heartbeats) so
 * nobody takes them; an outcome written by an owner that lost its claim is refused; the timer
 * scheduler and the outcome writes survive a store outage.
 */
import { silentLogger } from '../../src/logger';
import { createDispatcher } from '../../src/runtime/dispatcher';
import { createRuntime } from '../../src/runtime/create-runtime';
import { createTimerScheduler } from '../../src/runtime/timer-scheduler';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { StoreError } from '../../src/store/store-error';
import { messageEvent } from '../helpers/dialog-events';
import { fakeClock } from '../helpers/fake-clock';
import { recordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';
import { commitEffects, fakeClient, flush, manualClock, textOf } from './dispatcher-fakes';

/** A store whose calls fail while `down` is true (the way a lost Redis connection fails them). */
function outage(store: Store): { store: Store; setDown(down: boolean): void } {
  let down = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (down && prop !== 'close') return Promise.reject(new StoreError('store is down'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, setDown: (d) => (down = d) };
}

describe('takeover (fake clock)', () => {
  it('a live runtime takes the dialogs of a process that acknowledged events and died', async () => {
    const store = memoryStore();
    const clock = fakeClock();
    const portals = recordingPortals();
    const live = createRuntime({
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
      owner: 'live',
    });
    await live.start();
    // Another process acknowledged (appended) two events, took dialog 2's lease, and died.
    const dead = createRuntime({
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
      owner: 'dead',
    });
    await dead.accept([messageEvent({ chatId: 1 }, 1), messageEvent({ chatId: 2 }, 2)]);
    expect(
      await store.acquireDialog(dialogKeyOf('member-1', 571, 2), 'dead', 6_000, clock.now()),
    ).toBe(true);
    const sent = (): string[] => portals.calls('member-1').map((c) => String(c.params.MESSAGE));
    const wait = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 250) {
        clock.advance(250);
        await flush();
      }
      await live.idle();
    };
    // Dialog 1 is free: the scan finds it twice in a row and takes it.
    await wait(1_250);
    expect(sent()).toEqual(['1:1']);
    // Dialog 2 only once the dead process's lease ran out.
    await wait(3_000);
    expect(sent()).toEqual(['1:1']);
    await wait(4_000);
    expect(sent()).toEqual(['1:1', '2:2']);
    await live.stop();
  });

  it('keeps a dialog leased through a turn longer than the lease (heartbeat)', async () => {
    const store = memoryStore();
    const clock = fakeClock();
    const portals = recordingPortals();
    let release: (() => void) | undefined;
    const slow = createRuntime({
      bots: [echoBot],
      store: new Proxy(store, {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (prop === 'loadDialog')
            return async (key: string) => {
              await new Promise<void>((resolve) => (release = resolve));
              return target.loadDialog(key);
            };
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      }),
      clients: portals.clients,
      clock,
      owner: 'slow',
      leaseMs: 3_000,
      // The mailbox's run and its lease are under test (an inline turn holds no store lease).
      inlineTurns: false,
    });
    await slow.start();
    await slow.accept([messageEvent({ chatId: 1 }, 1)]);
    await flush();
    expect(release).toBeDefined();
    const key = dialogKeyOf('member-1', 571, 1);
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      await flush();
      expect(await store.acquireDialog(key, 'other', 3_000, clock.now())).toBe(false);
    }
    release?.();
    await slow.idle();
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual(['1:1']);
    await slow.stop();
  });

  it('a slow sender keeps its claims (heartbeat): another process never sends them too', async () => {
    const store = memoryStore();
    const clock = manualClock();
    const slowClient = fakeClient();
    const fastClient = fakeClient();
    slowClient.hold();
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 1,
      effects: [{ type: 'say', text: 'm1' }],
    });
    const slow = createDispatcher({
      store,
      clock,
      clients: () => slowClient,
      onEffectFailed: async () => {},
      owner: 'slow',
      leaseMs: 4_000,
    });
    await slow.start();
    await flush();
    expect(slowClient.waiting).toHaveLength(1);
    const fast = createDispatcher({
      store,
      clock,
      clients: () => fastClient,
      onEffectFailed: async () => {},
      owner: 'fast',
      leaseMs: 4_000,
    });
    await fast.start();
    await clock.advance(30_000);
    expect(fastClient.requests).toHaveLength(0);
    slowClient.waiting[0]!.release();
    await clock.advance(10);
    expect(slowClient.executed.map(textOf)).toEqual(['m1']);
    await clock.advance(10_000);
    expect(fastClient.requests).toHaveLength(0);
    expect((await store.stats()).outboxDepth).toBe(0);
    await slow.stop();
    await fast.stop();
  });

  it('writes an outcome once the store is back instead of leaving the sent effect claimed', async () => {
    const { store, setDown } = outage(memoryStore());
    const clock = manualClock();
    const client = fakeClient();
    client.hold();
    await commitEffects({
      store,
      now: clock.now(),
      chatId: 1,
      effects: [
        { type: 'say', text: 'm1' },
        { type: 'say', text: 'm2' },
      ],
    });
    const dispatcher = createDispatcher({
      store,
      clock,
      clients: () => client,
      onEffectFailed: async () => {},
      owner: 'a',
      leaseMs: 8_000,
    });
    await dispatcher.start();
    await flush();
    setDown(true);
    client.waiting[0]!.release();
    await clock.advance(5_000);
    expect(client.executed.map(textOf)).toEqual(['m1', 'm2']);
    setDown(false);
    await clock.advance(3_000);
    expect((await store.stats()).outboxDepth).toBe(0);
    // Nothing left to claim for anyone: the sent effects are not sent again.
    expect(
      await store.claimEffects({ now: clock.now() + 60_000, limit: 10, leaseMs: 1000, owner: 'b' }),
    ).toEqual([]);
    expect(client.requests).toHaveLength(1);
    await dispatcher.stop();
  });

  it('gives unsent claims back at a graceful stop without counting an attempt', async () => {
    const store = memoryStore();
    const clock = manualClock();
    const client = fakeClient();
    client.hold();
    for (let chat = 1; chat <= 3; chat++)
      await commitEffects({
        store,
        now: clock.now(),
        chatId: chat,
        effects: [{ type: 'say', text: `m${chat}` }],
      });
    const dispatcher = createDispatcher({
      store,
      clock,
      clients: () => client,
      onEffectFailed: async () => {},
      owner: 'a',
      maxBatch: 1,
      maxInFlightPerPortal: 1,
    });
    await dispatcher.start();
    await flush();
    expect(client.waiting).toHaveLength(1);
    const stopped = dispatcher.stop({ deadlineMs: 1_000 });
    client.waiting[0]!.release();
    await flush();
    await stopped;
    const next = await store.claimEffects({
      now: clock.now(),
      limit: 10,
      leaseMs: 1000,
      owner: 'b',
    });
    expect(
      next.map((e) => [textOf({ method: '', params: e.effect }) ?? '', e.attempts]),
    ).toHaveLength(2);
    expect(next.map((e) => e.attempts)).toEqual([0, 0]);
  });

  it('the timer scheduler keeps going after the store failed, and fires what came due meanwhile', async () => {
    const { store, setDown } = outage(memoryStore());
    const clock = fakeClock(0);
    await store.commitTurn('m:1:1', {
      expectedRevision: 0,
      snapshot: {},
      botVersion: '1',
      effects: [],
      timers: [{ timerKey: 't', deadline: 3_000, event: { type: 'tick' } }],
      now: 0,
    });
    const due: string[] = [];
    const errors: unknown[] = [];
    const s = createTimerScheduler({
      store,
      clock,
      logger: { ...silentLogger(), error: (o: unknown) => errors.push(o) } as never,
      onDue: (keys) => due.push(...keys),
    });
    await s.start();
    setDown(true);
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      await flush();
    }
    expect(due).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    setDown(false);
    clock.advance(1_000);
    await flush();
    expect(due).toEqual(['m:1:1']);
    s.stop();
  });
});
