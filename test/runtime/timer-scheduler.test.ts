import { silentLogger } from '../../src/logger';
import { createTimerScheduler } from '../../src/runtime/timer-scheduler';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { fakeClock } from '../helpers/fake-clock';

async function dialogWithTimer(store: Store, key: string, deadline: number): Promise<void> {
  await store.commitTurn(key, {
    expectedRevision: 0,
    snapshot: {},
    botVersion: '1',
    effects: [],
    timers: [{ timerKey: 't', deadline, event: { type: 'tick' } }],
    now: 0,
  });
}
const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('createTimerScheduler', () => {
  it('fires due timers at start, then wakes at the next deadline', async () => {
    const store = memoryStore();
    const clock = fakeClock(1_000);
    await dialogWithTimer(store, 'm:1:1', 500);
    await dialogWithTimer(store, 'm:1:2', 5_000);
    const due: string[] = [];
    const s = createTimerScheduler({
      store,
      clock,
      logger: silentLogger(),
      onDue: (keys) => due.push(...keys),
    });
    await s.start();
    expect(due).toEqual(['m:1:1']);
    clock.advance(3_999);
    await flush();
    expect(due).toEqual(['m:1:1']);
    clock.advance(1);
    await flush();
    expect(due).toEqual(['m:1:1', 'm:1:2']);
    expect(await store.nextTimerDeadline()).toBeUndefined();
    s.stop();
    expect(clock.pending()).toBe(0);
  });

  it('wakes earlier when told about a new, earlier deadline', async () => {
    const store = memoryStore();
    const clock = fakeClock(0);
    await dialogWithTimer(store, 'm:1:1', 10_000);
    const due: string[] = [];
    const s = createTimerScheduler({
      store,
      clock,
      logger: silentLogger(),
      onDue: (keys) => due.push(...keys),
    });
    await s.start();
    await dialogWithTimer(store, 'm:1:2', 2_000);
    s.notify(2_000);
    clock.advance(2_000);
    await flush();
    expect(due).toEqual(['m:1:2']);
    s.stop();
  });

  it('runs due timers on demand', async () => {
    const store = memoryStore();
    const clock = fakeClock(0);
    await dialogWithTimer(store, 'm:1:1', 100);
    const due: string[] = [];
    const s = createTimerScheduler({
      store,
      clock,
      logger: silentLogger(),
      onDue: (keys) => due.push(...keys),
    });
    clock.advance(100);
    await s.runDue();
    expect(due).toEqual(['m:1:1']);
  });
});
