/**
 * A store that can be handed out before it is open. `openStore` is asynchronous (a Redis store
 * checks its connection first), while `createServer` wires the runtime, the routers and the
 * portal registry at once: they get this stand-in, whose every call waits for the opening (and,
 * once the store is open, goes straight to it).
 */
import { readNextTurn, type Store } from '../store/store';
import { StoreError } from '../store/store-error';

/** The failure of an optional store method the opened adapter lacks. */
function missing(store: Store, name: string): Promise<never> {
  return Promise.reject(new StoreError(`The ${store.kind} store does not implement ${name}`));
}

/** The stand-in and the opening it waits for. */
export interface LazyStore {
  store: Store;
  /** Resolves once the store is open; rejects with the opening's error (as every call then does). */
  ready: Promise<void>;
}

/**
 * Starts opening a store now and returns a `Store` usable at once. `close()` closes the opened
 * store, and resolves without doing anything when the opening failed.
 *
 * @example
 * const { store, ready } = lazyStore({ kind: 'redis', open: () => openStore('redis://127.0.0.1:6379') });
 * await ready; // a StoreError naming host and port when Redis is unreachable
 */
export function lazyStore(options: { kind: string; open: () => Promise<Store> }): LazyStore {
  const opening = options.open();
  // Marks the rejection as handled: it surfaces through `ready` and every call instead.
  opening.catch(() => undefined);
  const use = async <T>(step: (store: Store) => Promise<T>): Promise<T> => step(await opening);
  const store: Store = {
    kind: options.kind,
    appendInbox: (...a) => use((s) => s.appendInbox(...a)),
    nextInbox: (...a) => use((s) => s.nextInbox(...a)),
    nextTurn: (dialogKey) => use((s) => readNextTurn(s, dialogKey)),
    peekInbox: (...a) => use((s) => s.peekInbox(...a)),
    pendingDialogs: (...a) => use((s) => s.pendingDialogs(...a)),
    loadDialog: (...a) => use((s) => s.loadDialog(...a)),
    commitTurn: (...a) => use((s) => s.commitTurn(...a)),
    discardInbox: (...a) => use((s) => s.discardInbox(...a)),
    acquireDialog: (...a) => use((s) => s.acquireDialog(...a)),
    releaseDialog: (...a) => use((s) => s.releaseDialog(...a)),
    orphanedDialogs: (...a) => use((s) => s.orphanedDialogs(...a)),
    fireDueTimers: (...a) => use((s) => s.fireDueTimers(...a)),
    nextTimerDeadline: () => use((s) => s.nextTimerDeadline()),
    claimEffects: (...a) => use((s) => s.claimEffects(...a)),
    settleEffect: (...a) => use((s) => s.settleEffect(...a)),
    extendEffectClaims: (...a) => use((s) => s.extendEffectClaims(...a)),
    releaseEffects: (...a) => use((s) => s.releaseEffects(...a)),
    nextEffectAvailableAt: () => use((s) => s.nextEffectAvailableAt()),
    deadLetters: (...a) => use((s) => s.deadLetters(...a)),
    getPortal: (...a) => use((s) => s.getPortal(...a)),
    savePortal: (...a) => use((s) => s.savePortal(...a)),
    deletePortal: (...a) => use((s) => s.deletePortal(...a)),
    listPortals: () => use((s) => s.listPortals()),
    reserveRate: (...a) => use((s) => s.reserveRate(...a)),
    saturateRate: (...a) => use((s) => s.saturateRate(...a)),
    acquireLock: (...a) => use((s) => s.acquireLock(...a)),
    releaseLock: (...a) => use((s) => s.releaseLock(...a)),
    getOffset: (...a) => use((s) => s.getOffset(...a)),
    purgeExpired: (...a) => use((s) => s.purgeExpired(...a)),
    stats: () => use((s) => s.stats()),
    ping: () => use((s) => s.ping()),
    appendHistory: (...a) =>
      use((s) => (s.appendHistory ? s.appendHistory(...a) : missing(s, 'appendHistory'))),
    readHistory: (...a) =>
      use((s) => (s.readHistory ? s.readHistory(...a) : missing(s, 'readHistory'))),
    listDialogs: (...a) =>
      use((s) => (s.listDialogs ? s.listDialogs(...a) : missing(s, 'listDialogs'))),
    dialogEffects: (...a) =>
      use((s) => (s.dialogEffects ? s.dialogEffects(...a) : missing(s, 'dialogEffects'))),
    requeueDeadLetter: (...a) =>
      use((s) =>
        s.requeueDeadLetter ? s.requeueDeadLetter(...a) : missing(s, 'requeueDeadLetter'),
      ),
    close: () =>
      opening.then(
        (s) => s.close(),
        () => undefined,
      ),
  };
  // Once open, every call goes straight to the opened store: the stand-in's wait (an async call and
  // a promise per store call, several per event) is only for calls made before that.
  const ready = opening.then((opened) => {
    const direct = store as unknown as Record<string, unknown>;
    const real = opened as unknown as Record<string, unknown>;
    for (const name of Object.keys(direct)) {
      if (name === 'kind' || name === 'close' || name === 'nextTurn') continue;
      const method = real[name];
      if (typeof method === 'function') direct[name] = method.bind(opened);
    }
    store.nextTurn = (dialogKey) => readNextTurn(opened, dialogKey);
    // Optional, and asked for per call: present on the stand-in only once the opened store has it.
    if (opened.commitInlineTurn) store.commitInlineTurn = opened.commitInlineTurn.bind(opened);
  });
  ready.catch(() => undefined);
  return { store, ready };
}
