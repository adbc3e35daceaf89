"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.spyStore = spyStore;
/**
 * Wraps `store` so that every settled effect is reported to `hooks`.
 *
 * @example
 * const { store } = spyStore(memoryStore(), { settled: (effect, outcome) => log.push([effect.effect.type, outcome.status]) });
 */
function spyStore(store, hooks) {
    const claimed = new Map();
    const claimEffects = async (options) => {
        const effects = await store.claimEffects(options);
        for (const e of effects)
            claimed.set(e.seq, e);
        return effects;
    };
    const settleEffect = async (seq, outcome, now, owner) => {
        await store.settleEffect(seq, outcome, now, owner);
        const effect = claimed.get(seq);
        if (!effect)
            return;
        if (outcome.status !== 'retry')
            claimed.delete(seq);
        hooks.settled(effect, outcome);
    };
    const spied = new Proxy(store, {
        get(target, prop, receiver) {
            if (prop === 'claimEffects')
                return claimEffects;
            if (prop === 'settleEffect')
                return settleEffect;
            const value = Reflect.get(target, prop, receiver);
            return typeof value === 'function'
                ? value.bind(target)
                : value;
        },
    });
    return { store: spied, inFlight: () => [...claimed.values()] };
}
