import { HttpError } from '../../src/bitrix/rest-errors';
import { createDispatcher } from '../../src/runtime/dispatcher';
import { memoryStore } from '../../src/store/memory-store';
import { commitEffects, fakeClient, flush, manualClock, textOf } from './dispatcher-fakes';

/** Small seeded PRNG (mulberry32), so that a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('createDispatcher ordering', () => {
  it.each([1, 2, 3, 4, 5])(
    'delivers every dialog in emitted order, exactly once, under reordered answers and failed requests (seed %i)',
    async (seed) => {
      const random = prng(seed);
      const dialogs = 40;
      const perDialog = 6;
      const client = fakeClient({
        // A whole request fails (nothing runs) one time in five: its effects are retried later.
        rejectRequest: () =>
          random() < 0.2 ? new HttpError({ method: 'batch', reason: 'ECONNRESET' }) : undefined,
      });
      client.hold();
      const store = memoryStore();
      const clock = manualClock();
      const dispatcher = createDispatcher({
        store,
        clock,
        clients: () => client,
        onEffectFailed: async () => {},
        maxBatch: 8,
        maxAttempts: 100,
        retryMaxMs: 4000,
        random,
      });
      await dispatcher.start();

      // Turns arrive interleaved over time while requests are in flight.
      const next = new Array<number>(dialogs).fill(0);
      for (let step = 0; step < 400; step += 1) {
        const open = next.map((n, d) => (n < perDialog ? d : -1)).filter((d) => d >= 0);
        if (open.length > 0 && random() < 0.6) {
          const d = open[Math.floor(random() * open.length)]!;
          const count = Math.min(perDialog - next[d]!, 1 + Math.floor(random() * 2));
          const effects = Array.from({ length: count }, (_, k) => ({
            type: 'say' as const,
            text: `${d}:${next[d]! + k}`,
          }));
          next[d]! += count;
          await commitEffects({ store, now: clock.now(), chatId: d + 1, effects });
          dispatcher.wake();
        }
        const waiting = client.unreleased();
        if (waiting.length > 0 && random() < 0.7)
          waiting[Math.floor(random() * waiting.length)]!.release();
        await clock.advance(random() < 0.1 ? 2000 : 5);
      }
      for (
        let round = 0;
        round < 200 && ((await store.stats()).outboxDepth > 0 || client.unreleased().length > 0);
        round += 1
      ) {
        client.unreleased().forEach((w) => w.release());
        await flush();
        await clock.advance(4000);
      }
      await dispatcher.stop();

      expect((await store.stats()).outboxDepth).toBe(0);
      expect(next.every((n) => n === perDialog)).toBe(true);
      for (let d = 0; d < dialogs; d += 1) {
        const seen = client.executed.map(textOf).filter((t) => t?.startsWith(`${d}:`));
        expect(seen).toEqual(Array.from({ length: perDialog }, (_, k) => `${d}:${k}`));
      }
      expect(client.requests.every((r) => r.calls.length <= 8)).toBe(true);
    },
  );
});
