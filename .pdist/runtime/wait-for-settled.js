"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.settleState = settleState;
exports.waitForSettled = waitForSettled;
function hasRunningWork(snapshot, depth = 0) {
    if (depth > 32)
        return false;
    for (const child of Object.values(snapshot.children ?? {})) {
        if (!child)
            continue;
        const s = child.getSnapshot();
        if (s.status !== 'active')
            continue;
        if (s.machine === undefined)
            return true;
        if (hasRunningWork(s, depth + 1))
            return true;
    }
    return false;
}
/**
 * The actor's state now: `settled`, `error`, or `undefined` while work is still running.
 *
 * @example
 * if (settleState(actor) === undefined) console.log('an invoked promise is still running');
 */
function settleState(actor) {
    const s = actor.getSnapshot();
    if (s.status === 'error')
        return 'error';
    if (s.status !== 'active')
        return 'settled';
    return hasRunningWork(s) ? undefined : 'settled';
}
/**
 * Resolves once the actor has settled or errored, or with `timeout` after `timeoutMs` on `clock`.
 *
 * @example
 * const result = await waitForSettled({ actor, clock, timeoutMs: 10_000 });
 */
function waitForSettled(options) {
    const { actor, clock } = options;
    const now = settleState(actor);
    if (now !== undefined)
        return Promise.resolve(now);
    return new Promise((resolve) => {
        let done = false;
        let checkQueued = false;
        const finish = (result) => {
            if (done)
                return;
            done = true;
            subscription.unsubscribe();
            clock.clearTimeout(timer);
            resolve(result);
        };
        // Any actor of the system changing is a reason to look again; the look waits for a microtask so
        // that a child's completion has been relayed to its parent first.
        const subscription = actor.system.inspect(() => {
            if (checkQueued || done)
                return;
            checkQueued = true;
            queueMicrotask(() => {
                checkQueued = false;
                const state = settleState(actor);
                if (state !== undefined)
                    finish(state);
            });
        });
        const timer = clock.setTimeout(() => finish('timeout'), options.timeoutMs);
    });
}
