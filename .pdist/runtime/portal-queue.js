"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createPortalQueue = createPortalQueue;
exports.enqueueEffects = enqueueEffects;
exports.pickRequest = pickRequest;
/**
 * Creates an empty queue for a portal.
 *
 * @example
 * const queue = createPortalQueue({ portalId: 'a1b2' });
 */
function createPortalQueue(options) {
    return { portalId: options.portalId, waiting: [], busy: new Set(), inFlight: 0 };
}
/**
 * Inserts claimed effects, keeping `seq` order (a retried effect comes back after later effects
 * of other dialogs were claimed, and must go before its own dialog's later ones).
 *
 * @example
 * enqueueEffects({ queue, effects: claimed });
 */
function enqueueEffects(options) {
    const { waiting } = options.queue;
    for (const effect of options.effects) {
        let i = waiting.length;
        while (i > 0 && waiting[i - 1].seq > effect.seq)
            i -= 1;
        waiting.splice(i, 0, effect);
    }
}
/**
 * Takes the next request's effects, in `seq` order, up to `max`. Skipped: dialogs with a request
 * in flight, and dialogs that `isHeld` (an earlier effect of theirs is waiting for a retry). Once a
 * dialog is skipped, its later effects are too. An effect that is itself a retry is the last of
 * its dialog in the request: if it fails again, nothing of that dialog has run after it.
 *
 * @example
 * const next = pickRequest({ queue, max: 50, isHeld: (effect) => false });
 */
function pickRequest(options) {
    const { queue, max, isHeld } = options;
    const closed = new Set();
    const picked = [];
    const kept = [];
    for (const effect of queue.waiting) {
        const key = effect.dialogKey;
        const take = picked.length < max && !closed.has(key) && !queue.busy.has(key) && !isHeld(effect);
        if (!take) {
            closed.add(key);
            kept.push(effect);
            continue;
        }
        picked.push(effect);
        if (effect.attempts > 0)
            closed.add(key);
    }
    if (!options.peek)
        queue.waiting.splice(0, queue.waiting.length, ...kept);
    return picked;
}
