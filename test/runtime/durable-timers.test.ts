/**
 * Issue 3 acceptance: durable `after` timers across restarts (fake clock, no sleeps).
 */
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { commandEvent, joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';

const TEN_MINUTES = 600_000;
const chat = { chatId: 42 };
const key = dialogKeyOf('member-1', 571, 42);

describe('createRuntime (durable timers)', () => {
  let store: Store;
  let clock: FakeClock;
  let portals: RecordingPortals;
  const running: Runtime[] = [];

  const boot = async (): Promise<Runtime> => {
    const rt = createRuntime({
      // A first message starts its conversation at once: these tests are not about the join race.
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
    });
    running.push(rt);
    await rt.start();
    return rt;
  };
  const timeouts = () =>
    portals.calls('member-1').filter((c) => c.params.MESSAGE === 'timeout').length;
  const advance = async (rt: Runtime, ms: number) => {
    clock.advance(ms);
    await rt.runDueTimers();
    await rt.idle();
  };

  beforeEach(() => {
    store = memoryStore();
    clock = fakeClock();
    portals = recordingPortals();
  });
  afterEach(async () => {
    for (const rt of running.splice(0)) await rt.stop();
  });

  it('stores an armed after delay with its absolute deadline', async () => {
    const rt = await boot();
    const t0 = clock.now();
    await rt.accept([joinEvent(chat)]);
    await rt.idle();
    expect((await store.loadDialog(key))?.timers).toEqual([
      {
        timerKey: 'xstate.after.600000.echo.waiting',
        deadline: t0 + TEN_MINUTES,
        event: { type: 'xstate.after.600000.echo.waiting' },
        fired: false,
      },
    ]);
  });

  it('fires once at the deadline after a restart before it', async () => {
    const first = await boot();
    const t0 = clock.now();
    await first.accept([joinEvent(chat)]);
    await first.idle();
    await advance(first, TEN_MINUTES / 2);
    await first.stop();

    const second = await boot();
    await advance(second, TEN_MINUTES / 2 - 1);
    expect(timeouts()).toBe(0);
    await advance(second, 1);
    expect(clock.now()).toBe(t0 + TEN_MINUTES);
    expect(timeouts()).toBe(1);
    await advance(second, 10 * TEN_MINUTES);
    expect(timeouts()).toBe(1);
    expect((await store.loadDialog(key))?.timers).toEqual([]);
    expect((await store.loadDialog(key))?.snapshot).toMatchObject({ value: 'idle' });
  });

  it('fires once right after start when the deadline passed while down', async () => {
    const first = await boot();
    await first.accept([joinEvent(chat)]);
    await first.idle();
    await first.stop();

    clock.advance(3 * TEN_MINUTES);
    const second = await boot();
    await second.idle();
    expect(timeouts()).toBe(1);
    await second.stop();
    const third = await boot();
    await advance(third, TEN_MINUTES);
    expect(timeouts()).toBe(1);
  });

  it('never fires a timer of a state already left', async () => {
    const rt = await boot();
    await rt.accept([joinEvent(chat), messageEvent(chat, 1)]);
    await rt.idle();
    expect((await store.loadDialog(key))?.timers).toEqual([]);
    await advance(rt, 2 * TEN_MINUTES);
    expect(timeouts()).toBe(0);
  });

  it('discards a fired timer whose state was left before the timer item was processed', async () => {
    // Not started yet: items pile up in the inbox in arrival order, the message before the fired timer.
    const rt = createRuntime({
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
    });
    running.push(rt);
    await rt.accept([joinEvent(chat)]);
    await rt.start();
    await rt.idle();
    await rt.stop();
    const down = createRuntime({
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
    });
    running.push(down);
    clock.advance(TEN_MINUTES);
    await down.accept([messageEvent(chat, 1)]);
    await down.runDueTimers();
    expect((await store.stats()).inboxDepth).toBe(2);
    await down.start();
    await down.idle();
    expect(timeouts()).toBe(0);
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual(['hello', '42:1']);
    expect((await store.stats()).inboxDepth).toBe(0);
  });

  it('keeps a re-armed timer and fires it at its new deadline only', async () => {
    const rt = await boot();
    const t0 = clock.now();
    await rt.accept([joinEvent(chat), messageEvent(chat, 1)]);
    await rt.idle();
    await advance(rt, TEN_MINUTES / 2);
    await rt.accept([commandEvent(chat, 'wait', 1)]);
    await rt.idle();
    expect((await store.loadDialog(key))?.timers.map((t) => t.deadline)).toEqual([
      t0 + TEN_MINUTES / 2 + TEN_MINUTES,
    ]);
    await advance(rt, TEN_MINUTES - 1);
    expect(timeouts()).toBe(0);
    await advance(rt, 1);
    expect(timeouts()).toBe(1);
  });

  it('keeps an unrelated timer across turns that do not leave its state', async () => {
    const rt = await boot();
    const t0 = clock.now();
    await rt.accept([joinEvent(chat)]);
    await rt.idle();
    // `boom` makes the turn fail: the stored timer must survive the failed turn too.
    await advance(rt, 1000);
    await rt.accept([messageEvent(chat, 1, 'boom')]);
    await rt.idle();
    expect((await store.loadDialog(key))?.timers.map((t) => t.deadline)).toEqual([
      t0 + TEN_MINUTES,
    ]);
    await advance(rt, TEN_MINUTES);
    expect(timeouts()).toBe(1);
  });
});
