import { createDispatcher } from '../../src/runtime/dispatcher';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { commitEffects, fakeClient, flush, manualClock, textOf } from './dispatcher-fakes';

/** A memory store whose outcome writes wait until the test opens the gate. */
function gatedSettles(): { store: Store; open: () => void; waiting: () => number } {
  const inner = memoryStore();
  const store: Store = Object.create(inner) as Store;
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let waiting = 0;
  store.settleEffect = async (...args) => {
    waiting += 1;
    await gate;
    waiting -= 1;
    return inner.settleEffect(...args);
  };
  return { store, open: () => openGate(), waiting: () => waiting };
}

describe('createDispatcher: a portal slot is free once the answer is in', () => {
  it("sends other dialogs' effects while an answered request's outcomes are still being written, and a dialog's next effect only after its outcome", async () => {
    const { store, open, waiting } = gatedSettles();
    const client = fakeClient();
    const clock = manualClock();
    const dispatcher = createDispatcher({
      store,
      clock,
      clients: () => client,
      onEffectFailed: async () => {},
      // One request at a time per portal: the second can only start in the first one's slot.
      maxInFlightPerPortal: 1,
    });
    try {
      await dispatcher.start();
      await commitEffects({
        store,
        now: clock.now(),
        chatId: 1,
        effects: [{ type: 'say', text: 'a1' }],
      });
      dispatcher.wake();
      await flush();
      expect(client.executed.map(textOf)).toEqual(['a1']);
      // a1 was answered; its outcome is not in the store yet.
      expect(waiting()).toBe(1);

      await commitEffects({
        store,
        now: clock.now(),
        chatId: 2,
        effects: [{ type: 'say', text: 'b1' }],
      });
      await commitEffects({
        store,
        now: clock.now(),
        chatId: 1,
        effects: [{ type: 'say', text: 'a2' }],
      });
      dispatcher.wake();
      await flush();
      await clock.advance(30);
      // b1 (another dialog) went out in the freed slot; a2 waits for a1's outcome.
      expect(client.executed.map(textOf)).toEqual(['a1', 'b1']);

      open();
      await flush();
      await clock.advance(30);
      await dispatcher.drain();
      expect(client.executed.map(textOf)).toEqual(['a1', 'b1', 'a2']);
      expect((await store.stats()).outboxDepth).toBe(0);
    } finally {
      open();
      await dispatcher.stop();
      await store.close();
    }
  });
});
