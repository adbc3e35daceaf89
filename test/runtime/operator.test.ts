/** Operator actions of the runtime (the inspector's buttons): fire a timer now, reset, retry a dead letter. */
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';

const KEY = dialogKeyOf('member-1', 571, 1);

describe('runtime.operator', () => {
  let store: Store;
  let clock: FakeClock;
  let portals: RecordingPortals;
  let runtime: Runtime;
  let refuse = false;

  beforeEach(async () => {
    store = memoryStore();
    clock = fakeClock();
    refuse = false;
    portals = recordingPortals({
      refuse: () => (refuse ? { error: 'INTERNAL_SERVER_ERROR' } : undefined),
    });
    runtime = createRuntime({
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
      dispatcher: { maxAttempts: 1 },
    });
    await runtime.start();
  });
  afterEach(async () => {
    await runtime.stop();
  });

  const texts = () => portals.calls('member-1').map((c) => c.params.MESSAGE);

  it('fires a pending timer now, once, and records it in the history', async () => {
    await runtime.accept([joinEvent({ chatId: 1 })]);
    await runtime.idle();
    const [timer] = (await store.loadDialog(KEY))!.timers;
    expect(await runtime.operator.fireTimer(KEY, timer!.timerKey)).toBe(true);
    await runtime.idle();
    expect(texts()).toEqual(['hello', 'timeout']);
    expect((await store.loadDialog(KEY))!.timers).toEqual([]);
    expect(await runtime.operator.fireTimer(KEY, timer!.timerKey)).toBe(false);
    // Its deadline coming later fires nothing more.
    clock.advance(600_000);
    await runtime.runDueTimers();
    await runtime.idle();
    expect(texts()).toEqual(['hello', 'timeout']);
    const history = await store.readHistory!(KEY);
    expect(history.map((e) => e.kind)).toContain('operator');
  });

  it('resets a dialog: no state, no timers; the next message starts a new conversation', async () => {
    await runtime.accept([joinEvent({ chatId: 1 }), messageEvent({ chatId: 1 }, 1)]);
    await runtime.idle();
    expect(await runtime.operator.resetDialog(KEY)).toBe(true);
    const record = await store.loadDialog(KEY);
    expect(record).toMatchObject({ snapshot: null, timers: [] });
    await runtime.accept([messageEvent({ chatId: 1 }, 2)]);
    await runtime.idle();
    expect((await store.loadDialog(KEY))!.meta).toMatchObject({ conversation: 2 });
    expect(await runtime.operator.resetDialog('member-1:571:999')).toBe(false);
  });

  it('retries a dead letter: sent once the portal accepts again', async () => {
    refuse = true;
    await runtime.accept([joinEvent({ chatId: 1 })]);
    await runtime.idle();
    const [dead] = await store.deadLetters(10);
    expect(dead?.error).toBe('INTERNAL_SERVER_ERROR');
    expect(await runtime.operator.retryDeadLetter('member-1:571:2', dead!.seq)).toBe(false);
    refuse = false;
    expect(await runtime.operator.retryDeadLetter(KEY, dead!.seq)).toBe(true);
    await runtime.idle();
    expect(await store.deadLetters(10)).toEqual([]);
    expect(texts()).toEqual(['hello', 'hello']);
    const outcomes = (await store.readHistory!(KEY))
      .filter((e) => e.kind === 'effect')
      .map((e) => (e.data as { outcome: string }).outcome);
    expect(outcomes).toEqual(['dead', 'sent']);
  });
});
