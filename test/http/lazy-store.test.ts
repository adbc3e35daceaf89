import { lazyStore } from '../../src/http/lazy-store';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { StoreError } from '../../src/store/store-error';

/** A memory store that counts `ping` calls as they are made (synchronously). */
function countingStore(): { store: Store; pings: () => number } {
  const inner = memoryStore();
  const store = Object.create(inner) as Store;
  let pings = 0;
  store.ping = () => {
    pings += 1;
    return inner.ping();
  };
  return { store, pings: () => pings };
}

describe('lazyStore', () => {
  it('holds calls made before the store is open, then runs them on it', async () => {
    const { store: real, pings } = countingStore();
    let open: (s: Store) => void = () => undefined;
    const lazy = lazyStore({ kind: 'memory', open: () => new Promise((r) => (open = r)) });
    const early = lazy.store.ping();
    const stats = lazy.store.stats();
    expect(pings()).toBe(0);
    open(real);
    await early;
    expect(pings()).toBe(1);
    expect((await stats).dialogs).toBe(0);
    await lazy.store.close();
  });

  it('once open, calls go straight to the opened store (no wait per call)', async () => {
    const { store: real, pings } = countingStore();
    const lazy = lazyStore({ kind: 'memory', open: async () => real });
    await lazy.ready;
    const call = lazy.store.ping();
    // Reached the store within the call, not a microtask later.
    expect(pings()).toBe(1);
    await call;
    // nextTurn still reads through readNextTurn on the opened store.
    expect(await lazy.store.nextTurn!('p:1:1')).toBeUndefined();
    await lazy.store.close();
  });

  it('rejects every call with the opening error, and close() still resolves', async () => {
    const failure = new StoreError('Redis at 127.0.0.1:1 is unreachable');
    const lazy = lazyStore({ kind: 'redis', open: () => Promise.reject(failure) });
    await expect(lazy.ready).rejects.toBe(failure);
    await expect(lazy.store.ping()).rejects.toBe(failure);
    await expect(lazy.store.close()).resolves.toBeUndefined();
  });

  it('an optional method the opened store lacks fails with a StoreError naming it', async () => {
    const real = memoryStore();
    const bare = Object.create(real) as Store;
    Object.defineProperty(bare, 'readHistory', { value: undefined });
    const lazy = lazyStore({ kind: 'memory', open: async () => bare });
    await lazy.ready;
    await expect(lazy.store.readHistory!('p:1:1', { limit: 1 })).rejects.toThrow(
      'The memory store does not implement readHistory',
    );
    await lazy.store.close();
  });
});
