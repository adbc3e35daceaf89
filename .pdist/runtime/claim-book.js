"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createClaimBook = createClaimBook;
const portal_queue_1 = require("./portal-queue");
/**
 * Creates an empty claim book. A held dialog is given up `holdMs` after its retry time.
 *
 * @example
 * const book = createClaimBook({ holdMs: 120_000 });
 * book.admit(await store.claimEffects({ now, limit: 500, leaseMs: 120_000, owner }));
 */
function createClaimBook(options) {
    const queues = new Map();
    /** Seqs claimed by us and not settled yet (waiting locally or in flight). */
    const held = new Set();
    const retrying = new Map();
    const isHeld = (effect) => {
        const r = retrying.get(effect.dialogKey);
        return r !== undefined && effect.seq > r.seq;
    };
    return {
        queues,
        isHeld,
        sendableCount: () => [...queues.values()].reduce((n, q) => n + q.waiting.filter((e) => !isHeld(e)).length, 0),
        hasSendable: () => [...queues.values()].some((q) => (0, portal_queue_1.pickRequest)({ queue: q, max: 1, isHeld, peek: true }).length > 0),
        admit(claimed) {
            let fresh = 0;
            for (const effect of claimed) {
                if (held.has(effect.seq))
                    continue;
                fresh += 1;
                held.add(effect.seq);
                // The retried effect is back: it sorts before its dialog's later effects, which may go after it.
                const r = retrying.get(effect.dialogKey);
                if (r !== undefined && effect.seq <= r.seq)
                    retrying.delete(effect.dialogKey);
                let q = queues.get(effect.portalId);
                if (!q)
                    queues.set(effect.portalId, (q = (0, portal_queue_1.createPortalQueue)({ portalId: effect.portalId })));
                (0, portal_queue_1.enqueueEffects)({ queue: q, effects: [effect] });
            }
            return fresh;
        },
        settled(effect) {
            held.delete(effect.seq);
        },
        settling(effect, as) {
            if (as.status !== 'retry')
                return;
            const prior = retrying.get(effect.dialogKey);
            if (prior === undefined || effect.seq < prior.seq) {
                retrying.set(effect.dialogKey, {
                    seq: effect.seq,
                    at: as.availableAt,
                    until: as.availableAt + options.holdMs,
                });
            }
        },
        dropStaleHolds(now) {
            for (const [dialogKey, r] of retrying) {
                if (r.until > now)
                    continue;
                retrying.delete(dialogKey);
                for (const q of queues.values()) {
                    const kept = q.waiting.filter((e) => {
                        const stale = e.dialogKey === dialogKey && e.seq > r.seq;
                        if (stale)
                            held.delete(e.seq);
                        return !stale;
                    });
                    q.waiting.splice(0, q.waiting.length, ...kept);
                }
            }
        },
        nextHoldExpiry() {
            let min;
            for (const r of retrying.values())
                if (min === undefined || r.until < min)
                    min = r.until;
            return min;
        },
        nextRetryAt() {
            let min;
            for (const r of retrying.values())
                if (min === undefined || r.at < min)
                    min = r.at;
            return min;
        },
        heldSeqs: () => [...held],
        dropLost(seqs) {
            const lost = new Set(seqs);
            let dropped = 0;
            for (const q of queues.values()) {
                const kept = q.waiting.filter((e) => {
                    if (!lost.has(e.seq))
                        return true;
                    held.delete(e.seq);
                    dropped += 1;
                    return false;
                });
                q.waiting.splice(0, q.waiting.length, ...kept);
            }
            // In-flight ones stay held until their request ends (their settling is refused by the store).
            return dropped;
        },
        takeUnsent() {
            const out = [];
            for (const q of queues.values())
                out.push(...q.waiting.splice(0));
            out.forEach((e) => held.delete(e.seq));
            retrying.clear();
            return out;
        },
    };
}
