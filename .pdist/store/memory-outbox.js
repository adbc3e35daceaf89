"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createMemoryOutbox = createMemoryOutbox;
/** The memory store's effects outbox (see memory-store.ts). */
const json_column_1 = require("./json-column");
const store_rules_1 = require("./store-rules");
const toEffect = (row) => ({
    seq: row.seq,
    dialogKey: row.dialogKey,
    portalId: row.portalId,
    effect: (0, json_column_1.decodeJson)(row.effect),
    ...(row.meta === undefined ? {} : { meta: (0, json_column_1.decodeJson)(row.meta) }),
    attempts: row.attempts,
    availableAt: row.availableAt,
    createdAt: row.createdAt,
});
function createMemoryOutbox() {
    // Rows are inserted in seq order and Maps iterate in insertion order: iteration is seq order.
    const rows = new Map();
    let lastSeq = 0;
    // Dead letters, kept up to date so that `counts` costs O(1) (settle makes them, requeue undoes).
    let dead = 0;
    return {
        add(dialogKey, effects, now) {
            for (const e of effects) {
                const seq = ++lastSeq;
                rows.set(seq, {
                    seq,
                    dialogKey,
                    ...e,
                    attempts: 0,
                    availableAt: now,
                    createdAt: now,
                    status: 'pending',
                });
            }
        },
        /** Each dialog yields a prefix of its effects: the first one held back blocks the rest. */
        claim({ now, limit, leaseMs, owner }) {
            const blocked = new Set();
            const claimed = [];
            for (const row of rows.values()) {
                if (claimed.length >= limit)
                    break;
                if (blocked.has(row.dialogKey))
                    continue;
                if ((0, store_rules_1.blocksLaterEffects)(row, now))
                    blocked.add(row.dialogKey);
                else if ((0, store_rules_1.isClaimableNow)(row, now)) {
                    row.status = 'inflight';
                    row.leaseOwner = owner;
                    row.leaseUntil = now + leaseMs;
                    claimed.push(toEffect(row));
                }
            }
            return claimed;
        },
        settle(seq, outcome, now, owner) {
            const row = rows.get(seq);
            if (!row || row.status === 'dead')
                return;
            if (owner !== undefined && (row.status !== 'inflight' || row.leaseOwner !== owner))
                return;
            if (outcome.status === 'sent' || (outcome.status === 'failed' && !outcome.deadLetter)) {
                rows.delete(seq);
                return;
            }
            if (outcome.status !== 'retry' || outcome.countAttempt !== false)
                row.attempts += 1;
            row.error = outcome.error;
            delete row.leaseOwner;
            delete row.leaseUntil;
            row.status = outcome.status === 'retry' ? 'pending' : 'dead';
            if (row.status === 'dead')
                dead += 1;
            row.availableAt = outcome.status === 'retry' ? outcome.availableAt : now;
        },
        /** Extends the claims `owner` still holds; returns their seqs. */
        extend(seqs, owner, leaseUntil) {
            const kept = [];
            for (const seq of seqs) {
                const row = rows.get(seq);
                if (row?.status !== 'inflight' || row.leaseOwner !== owner)
                    continue;
                row.leaseUntil = leaseUntil;
                kept.push(seq);
            }
            return kept;
        },
        /** Puts `owner`'s claims back to pending, their attempts unchanged. */
        release(seqs, owner) {
            for (const seq of seqs) {
                const row = rows.get(seq);
                if (row?.status !== 'inflight' || row.leaseOwner !== owner)
                    continue;
                row.status = 'pending';
                delete row.leaseOwner;
                delete row.leaseUntil;
            }
        },
        /** Only each dialog's first unsettled effect counts: the ones behind it cannot go earlier. */
        nextAvailableAt() {
            const seen = new Set();
            let min;
            for (const row of rows.values()) {
                if (row.status === 'dead' || seen.has(row.dialogKey))
                    continue;
                seen.add(row.dialogKey);
                const at = row.status === 'pending' ? row.availableAt : (row.leaseUntil ?? 0);
                if (min === undefined || at < min)
                    min = at;
            }
            return min;
        },
        deadLetters(limit) {
            const out = [];
            for (const row of rows.values()) {
                if (out.length >= limit)
                    break;
                if (row.status === 'dead')
                    out.push({ ...toEffect(row), error: row.error ?? '' });
            }
            return out;
        },
        /** A dialog's effects still kept (unsent and dead letters), in seq order. */
        ofDialog(dialogKey) {
            const out = [];
            for (const row of rows.values()) {
                if (row.dialogKey !== dialogKey)
                    continue;
                out.push({
                    ...toEffect(row),
                    status: row.status,
                    ...(row.error === undefined ? {} : { error: row.error }),
                });
            }
            return out;
        },
        countsOf(dialogKey) {
            let depth = 0;
            let dead = 0;
            for (const row of rows.values()) {
                if (row.dialogKey !== dialogKey)
                    continue;
                if (row.status === 'dead')
                    dead += 1;
                else
                    depth += 1;
            }
            return { depth, dead };
        },
        /** Dead letter → pending, attempts reset, available now. */
        requeue(seq, now) {
            const row = rows.get(seq);
            if (!row || row.status !== 'dead')
                return false;
            dead -= 1;
            row.status = 'pending';
            row.attempts = 0;
            row.availableAt = now;
            return true;
        },
        counts() {
            return { depth: rows.size - dead, dead };
        },
    };
}
