"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OutboxIndex = void 0;
/** Compaction threshold of the lazily deleted entries. */
const COMPACT_AFTER = 256;
class OutboxIndex {
    /** Unsettled entries in `seq` order (settled ones are marked `gone` and compacted later). */
    live = [];
    bySeq = new Map();
    goneCount = 0;
    /** Unsettled effects known to the index. */
    get size() {
        return this.bySeq.size;
    }
    /** The entry of `seq`, if it is unsettled. */
    get(seq) {
        return this.bySeq.get(seq);
    }
    /** Adds a pending effect (a new one, one found on open, or a requeued dead letter). */
    add(entry) {
        const e = { ...entry, state: entry.state ?? 'pending' };
        const old = this.bySeq.get(e.seq);
        if (old)
            this.markGone(old);
        this.bySeq.set(e.seq, e);
        const last = this.live[this.live.length - 1];
        if (!last || last.seq < e.seq) {
            this.live.push(e);
            return;
        }
        // An older seq (a requeued dead letter): keep `live` sorted.
        let lo = 0;
        let hi = this.live.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.live[mid].seq < e.seq)
                lo = mid + 1;
            else
                hi = mid;
        }
        this.live.splice(lo, 0, e);
    }
    /** Forgets a settled (sent, failed or dead-lettered) effect. */
    remove(seq) {
        const e = this.bySeq.get(seq);
        if (e)
            this.markGone(e);
    }
    markGone(e) {
        if (e.gone)
            return;
        e.gone = true;
        this.bySeq.delete(e.seq);
        this.goneCount += 1;
        if (this.goneCount >= COMPACT_AFTER && this.goneCount * 2 >= this.live.length) {
            this.live = this.live.filter((x) => !x.gone);
            this.goneCount = 0;
        }
    }
    /**
     * What a claim at `now` may take, in `seq` order, at most `limit`: effects available now (pending
     * and due, or in flight under an expired lease) with no earlier effect of their dialog held back
     * (pending and not yet due, or in flight under a live lease). Walks `seq` order and stops at the
     * limit, like the query it replaces. Does not change anything.
     */
    claimable(now, limit) {
        const out = [];
        if (limit <= 0)
            return out;
        let blocked;
        for (const e of this.live) {
            if (e.gone)
                continue;
            if (blocked?.has(e.dialogKey))
                continue;
            const heldBack = e.state === 'pending' ? e.availableAt > now : (e.leaseUntil ?? -Infinity) > now;
            if (heldBack) {
                (blocked ??= new Set()).add(e.dialogKey);
                continue;
            }
            out.push(e);
            if (out.length >= limit)
                break;
        }
        return out;
    }
    /** Marks entries claimed by `owner` until `leaseUntil`. */
    lease(entries, owner, leaseUntil) {
        for (const e of entries) {
            e.state = 'inflight';
            e.owner = owner;
            e.leaseUntil = leaseUntil;
        }
    }
    /** Puts entries back as pending (a claim that could not be recorded, or a released one). */
    unlease(entries) {
        for (const e of entries) {
            e.state = 'pending';
            delete e.owner;
            delete e.leaseUntil;
        }
    }
    /**
     * When the outbox may next have something to claim: the earliest, over dialogs, of the first
     * unsettled effect's availability (pending) or lease end (in flight); `undefined` when empty.
     */
    nextAvailableAt() {
        let at = Infinity;
        const seen = new Set();
        for (const e of this.live) {
            if (e.gone || seen.has(e.dialogKey))
                continue;
            seen.add(e.dialogKey);
            const t = e.state === 'pending' ? e.availableAt : (e.leaseUntil ?? -Infinity);
            if (t < at)
                at = t;
        }
        return at === Infinity ? undefined : at;
    }
}
exports.OutboxIndex = OutboxIndex;
