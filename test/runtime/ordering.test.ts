/**
 * Issue 3 acceptance: per-dialog order under concurrent, interleaved delivery, and redelivery as a no-op.
 */
import { createRuntime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf } from '../../src/store/store';
import { messageEvent } from '../helpers/dialog-events';
import { fakeClock } from '../helpers/fake-clock';
import { recordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';

const DIALOGS = 1000;
const EVENTS = 20;
const PORTALS = ['member-a', 'member-b', 'member-c'];

const chatOf = (d: number) => ({ memberId: PORTALS[d % PORTALS.length], chatId: 10_000 + d });
// Message ids are unique per portal, so that they double as dedupe keys: dialog d, event e.
const messageIdOf = (d: number, e: number) => d * 100 + e + 1;

/** Delivers every dialog's events in order, all dialogs concurrently, each event a separate accept(). */
async function deliverAll(accept: (d: number, e: number) => Promise<unknown>): Promise<void> {
  await Promise.all(
    Array.from({ length: DIALOGS }, async (_, d) => {
      for (let e = 0; e < EVENTS; e++) await accept(d, e);
    }),
  );
}

function expectEveryDialogInOrder(portals: ReturnType<typeof recordingPortals>): void {
  const sent = new Map<number, number[]>();
  for (const p of PORTALS) {
    for (const call of portals.calls(p)) {
      const [chat, msg] = String(call.params.MESSAGE).split(':').map(Number);
      let list = sent.get(chat as number);
      if (!list) sent.set(chat as number, (list = []));
      list.push(msg as number);
    }
  }
  expect(sent.size).toBe(DIALOGS);
  for (let d = 0; d < DIALOGS; d++) {
    expect(sent.get(chatOf(d).chatId)).toEqual(
      Array.from({ length: EVENTS }, (_, e) => messageIdOf(d, e)),
    );
  }
}

describe('createRuntime', () => {
  it('applies 1,000 dialogs x 20 concurrent, interleaved events in order per dialog, and sends their effects in emitted order', async () => {
    const store = memoryStore();
    const portals = recordingPortals();
    const runtime = createRuntime({
      // A first message starts its conversation at once: these tests are not about the join race.
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock: fakeClock(),
      concurrency: 64,
    });
    await runtime.start();

    await deliverAll((d, e) => runtime.accept([messageEvent(chatOf(d), messageIdOf(d, e))]));
    await runtime.idle();

    for (let d = 0; d < DIALOGS; d++) {
      const c = chatOf(d);
      const record = await store.loadDialog(dialogKeyOf(c.memberId as string, 571, c.chatId));
      expect((record?.snapshot as { context: { seen: number[] } }).context.seen).toEqual(
        Array.from({ length: EVENTS }, (_, e) => messageIdOf(d, e)),
      );
    }
    expectEveryDialogInOrder(portals);
    expect(portals.all()).toHaveLength(DIALOGS * EVENTS);
    expect(await store.stats()).toMatchObject({ inboxDepth: 0, outboxDepth: 0, deadLetters: 0 });
    await runtime.stop();
  });

  it('changes no state and sends no effect twice when every event is delivered twice', async () => {
    const store = memoryStore();
    const portals = recordingPortals();
    const runtime = createRuntime({
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock: fakeClock(),
      concurrency: 64,
    });
    await runtime.start();

    // Twice right away (the copy may arrive while the original is pending or being processed)...
    const outcomes = { accepted: 0, duplicate: 0 };
    await deliverAll(async (d, e) => {
      const event = messageEvent(chatOf(d), messageIdOf(d, e));
      const [a, b] = await Promise.all([
        runtime.accept([event]),
        runtime.accept([structuredClone(event)]),
      ]);
      for (const r of [...a, ...b]) outcomes[r.status] += 1;
    });
    await runtime.idle();
    expect(outcomes).toEqual({ accepted: DIALOGS * EVENTS, duplicate: DIALOGS * EVENTS });
    const snapshots = await Promise.all(
      Array.from({ length: DIALOGS }, (_, d) =>
        store.loadDialog(dialogKeyOf(chatOf(d).memberId as string, 571, chatOf(d).chatId)),
      ),
    );

    // ...and once more after everything was processed.
    await deliverAll(async (d, e) => {
      expect(await runtime.accept([messageEvent(chatOf(d), messageIdOf(d, e))])).toEqual([
        { status: 'duplicate' },
      ]);
    });
    await runtime.idle();

    const after = await Promise.all(
      Array.from({ length: DIALOGS }, (_, d) =>
        store.loadDialog(dialogKeyOf(chatOf(d).memberId as string, 571, chatOf(d).chatId)),
      ),
    );
    expect(after).toEqual(snapshots);
    expect(portals.all()).toHaveLength(DIALOGS * EVENTS);
    expectEveryDialogInOrder(portals);
    await runtime.stop();
  });
});
