/**
 * The runtime on the Redis store, as two processes behind a load balancer would run it: two
 * runtimes with their own connections and lease owners share one Redis, and every event reaches
 * a random one of them, twice.
 */
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { redisStore } from '../../src/store/redis-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock } from '../helpers/fake-clock';
import { recordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';
import { seededRandom } from './contract-helpers';
import { REDIS_URL, cleanUpRedis, freshPrefix, requireRedis } from './redis-test-env';

beforeAll(async () => {
  await requireRedis();
});
afterAll(cleanUpRedis);

describe('redisStore', () => {
  it('lets two runtimes share dialogs: each applied in order, each event once, each reply sent once', async () => {
    const clock = fakeClock();
    const portals = recordingPortals();
    const prefix = freshPrefix();
    const committers = new Set<string>();
    const boot = async (owner: string): Promise<{ store: Store; runtime: Runtime }> => {
      const store = redisStore({ url: REDIS_URL, prefix });
      const commitTurn = store.commitTurn.bind(store);
      // Notes which runtime ran turns, to show that both did.
      store.commitTurn = (dialogKey, commit) => {
        committers.add(owner);
        return commitTurn(dialogKey, commit);
      };
      const runtime = createRuntime({
        bots: [echoBot],
        store,
        clients: portals.clients,
        clock,
        owner,
      });
      await runtime.start();
      return { store, runtime };
    };
    const nodes = [await boot('proc-a'), await boot('proc-b')];
    const random = seededRandom(11);
    const pick = () => nodes[random() < 0.5 ? 0 : 1]!.runtime;

    await Promise.all(
      Array.from({ length: 20 }, async (_, d) => {
        const chat = { chatId: 500 + d };
        const events = [
          joinEvent(chat),
          ...[0, 1, 2, 3, 4].map((m) => messageEvent(chat, d * 10 + m)),
        ];
        for (const event of events) {
          // The load balancer sends it to one process; Bitrix24 redelivers it to either.
          await pick().accept([event]);
          await pick().accept([event]);
        }
      }),
    );
    // A process that found a dialog leased by the other retries after a second (fake clock).
    for (let round = 0; round < 50; round++) {
      await Promise.all(nodes.map((n) => n.runtime.idle()));
      const stats = await nodes[0]!.store.stats();
      if (stats.inboxDepth === 0 && stats.outboxDepth === 0) break;
      clock.advance(1_000);
    }

    expect(await nodes[1]!.store.stats()).toMatchObject({
      inboxDepth: 0,
      outboxDepth: 0,
      deadLetters: 0,
    });
    for (let d = 0; d < 20; d++) {
      const record = await nodes[1]!.store.loadDialog(dialogKeyOf('member-1', 571, 500 + d));
      expect((record?.snapshot as { context: { seen: number[] } }).context.seen).toEqual(
        [0, 1, 2, 3, 4].map((m) => d * 10 + m),
      );
      expect(
        portals
          .calls('member-1')
          .filter((c) => c.params.CHAT_ID === 500 + d)
          .map((c) => c.params.MESSAGE),
      ).toEqual(['hello', ...[0, 1, 2, 3, 4].map((m) => `${500 + d}:${d * 10 + m}`)]);
    }
    expect([...committers].sort()).toEqual(['proc-a', 'proc-b']);
    for (const n of nodes) {
      await n.runtime.stop();
      await n.store.close();
    }
  });
});
