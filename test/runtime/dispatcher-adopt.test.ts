import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '../../src/runtime/dispatcher';
import { sqliteStore } from '../../src/store/sqlite-store';
import { dialogKeyOf, type OutboxEffect, type Store } from '../../src/store/store';
import { fakeClient, flush, manualClock, metaOf, textOf } from './dispatcher-fakes';

const dir = mkdtempSync(join(tmpdir(), 'openlines-adopt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A SQLite store (it records claims in a turn's commit) that counts the claims handing out effects. */
function countingSqlite(): { store: Store; nonEmptyClaims: () => number } {
  const inner = sqliteStore({ path: join(dir, `a-${++n}.db`) });
  let claims = 0;
  const store: Store = Object.create(inner) as Store;
  store.claimEffects = async (options) => {
    const claimed = await inner.claimEffects(options);
    if (claimed.length > 0) claims += 1;
    return claimed;
  };
  return { store, nonEmptyClaims: () => claims };
}

async function commitSay(
  store: Store,
  chatId: number,
  text: string,
  claimFor: { owner: string; leaseMs: number } | undefined,
  now: number,
): Promise<OutboxEffect[]> {
  const r = await store.commitTurn(dialogKeyOf('portal-a', 571, chatId), {
    expectedRevision: 0,
    snapshot: { n: 1 },
    botVersion: '1',
    effects: [{ portalId: 'portal-a', effect: { type: 'say', text }, meta: metaOf(chatId) }],
    timers: [],
    now,
    ...(claimFor ? { claimFor } : {}),
  });
  if (r.status !== 'committed') throw new Error('conflict');
  return r.claimed ?? [];
}

describe('createDispatcher: effects claimed in their commit (claimFor / adopt)', () => {
  it('sends adopted effects without claiming them again', async () => {
    const { store, nonEmptyClaims } = countingSqlite();
    const client = fakeClient();
    const clock = manualClock();
    const dispatcher = createDispatcher({
      store,
      clock,
      clients: () => client,
      onEffectFailed: async () => {},
      owner: 'test-a',
    });
    try {
      expect(dispatcher.claimFor()).toBeUndefined();
      await dispatcher.start();
      const claimFor = dispatcher.claimFor();
      expect(claimFor).toEqual({ owner: 'test-a', leaseMs: expect.any(Number) });
      const claimed = await commitSay(store, 1, 'hello', claimFor, clock.now());
      expect(claimed).toHaveLength(1);
      dispatcher.adopt(claimed);
      await dispatcher.drain();
      expect(client.executed.map(textOf)).toEqual(['hello']);
      expect(nonEmptyClaims()).toBe(0);
      // Settled: nothing is left to claim.
      expect(
        await store.claimEffects({ now: clock.now() + 10 ** 9, limit: 10, leaseMs: 1, owner: 'x' }),
      ).toEqual([]);
    } finally {
      await dispatcher.stop();
      await store.close();
    }
  });

  it('releases effects adopted after it stopped, so that they are sent by whoever runs next', async () => {
    const { store } = countingSqlite();
    const clock = manualClock();
    const dispatcher = createDispatcher({
      store,
      clock,
      clients: () => fakeClient(),
      onEffectFailed: async () => {},
      owner: 'test-a',
    });
    try {
      await dispatcher.start();
      const claimFor = dispatcher.claimFor();
      const claimed = await commitSay(store, 2, 'late', claimFor, clock.now());
      await dispatcher.stop();
      expect(dispatcher.claimFor()).toBeUndefined();
      dispatcher.adopt(claimed);
      let again: OutboxEffect[] = [];
      for (let i = 0; i < 50 && again.length === 0; i++) {
        await flush();
        // Well inside the lease: only a release makes it claimable.
        again = await store.claimEffects({
          now: clock.now(),
          limit: 10,
          leaseMs: 1000,
          owner: 'next',
        });
      }
      expect(again.map((e) => e.seq)).toEqual(claimed.map((e) => e.seq));
    } finally {
      await store.close();
    }
  });
});
