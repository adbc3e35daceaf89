/**
 * A pass-through {@link Store} that tells the test kit which effects the outbox dispatcher claimed
 * and how each ended. Everything else goes straight to the wrapped store.
 */
import type { EffectOutcome, OutboxEffect, Store } from '../store/store';

/** What {@link spyStore} reports. */
export interface StoreSpyHooks {
  /** An effect was settled (after each attempt), with the effect as claimed. */
  settled: (effect: OutboxEffect, outcome: EffectOutcome) => void;
}

/** The wrapped store and what the outbox holds claimed (being sent) right now. */
export interface SpiedStore {
  store: Store;
  /** Effects claimed by the dispatcher and not settled yet, i.e. being sent. */
  inFlight: () => OutboxEffect[];
}

/**
 * Wraps `store` so that every settled effect is reported to `hooks`.
 *
 * @example
 * const { store } = spyStore(memoryStore(), { settled: (effect, outcome) => log.push([effect.effect.type, outcome.status]) });
 */
export function spyStore(store: Store, hooks: StoreSpyHooks): SpiedStore {
  const claimed = new Map<number, OutboxEffect>();
  const claimEffects: Store['claimEffects'] = async (options) => {
    const effects = await store.claimEffects(options);
    for (const e of effects) claimed.set(e.seq, e);
    return effects;
  };
  const settleEffect: Store['settleEffect'] = async (seq, outcome, now, owner) => {
    await store.settleEffect(seq, outcome, now, owner);
    const effect = claimed.get(seq);
    if (!effect) return;
    if (outcome.status !== 'retry') claimed.delete(seq);
    hooks.settled(effect, outcome);
  };
  const spied = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'claimEffects') return claimEffects;
      if (prop === 'settleEffect') return settleEffect;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { store: spied, inFlight: () => [...claimed.values()] };
}
