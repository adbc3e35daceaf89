"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.appendItems = appendItems;
exports.commitDialog = commitDialog;
exports.fireTimers = fireTimers;
exports.leaseChosenEffects = leaseChosenEffects;
exports.settleEffectRow = settleEffectRow;
const sqlite_rows_1 = require("./sqlite-rows");
const store_rules_1 = require("./store-rules");
/** Pending, or processed and not expired. An expired key whose item still waits is not processed yet. */
function isDuplicate(sql, key, now) {
    const row = sql.dedupeExpiry.get(key);
    if (!row)
        return false;
    return row.expires_at > now || sql.dedupePending.get(key) !== undefined;
}
function appendItems(sql, items, options) {
    const { now, ttl, offset } = options;
    const results = items.map((item) => {
        if (item.dedupeKey !== undefined &&
            sql.claimDedupe.run({ key: item.dedupeKey, expires: now + ttl, now }).changes === 0)
            return { status: 'duplicate' };
        const info = sql.insertInbox.run(item.dialogKey, item.dedupeKey ?? null, item.payload, now);
        return { status: 'accepted', seq: Number(info.lastInsertRowid) };
    });
    if (offset)
        sql.upsertOffset.run(offset.key, offset.value);
    return results;
}
/** Returns the new revision, or `undefined` on a compare-and-set conflict (having written nothing). */
function commitDialog(sql, dialogKey, c, e, 
/** Receives the seqs of the effects inserted (emptied first: a group may run a write twice). */
effectSeqs) {
    if (effectSeqs)
        effectSeqs.length = 0;
    const updated = sql.updateDialog.run(e.snapshot, c.botVersion, e.meta, c.now, dialogKey, c.expectedRevision);
    if (updated.changes === 0) {
        if (c.expectedRevision !== 0)
            return undefined;
        const inserted = sql.insertDialog.run(dialogKey, e.snapshot, c.botVersion, e.meta, c.now);
        if (inserted.changes === 0)
            return undefined;
    }
    for (const effect of e.effects) {
        const info = sql.insertEffect.run(dialogKey, effect.portalId, effect.effect, effect.meta, c.now, c.now);
        effectSeqs?.push(Number(info.lastInsertRowid));
    }
    if (c.timersUnchanged !== true) {
        // Overwriting in place is enough when the new set keeps every stored key (no row to drop).
        const kept = new Set(e.timers.map((t) => t.timerKey));
        const inPlace = c.storedTimerKeys?.every((k) => kept.has(k)) === true;
        if (!inPlace)
            sql.deleteTimers.run(dialogKey);
        for (const t of e.timers) {
            sql.insertTimer.run(dialogKey, t.timerKey, t.deadline, t.event, t.meta, t.fired);
        }
    }
    if (c.consumedSeq !== undefined)
        sql.deleteDialogInbox.run(c.consumedSeq, dialogKey);
    return c.expectedRevision + 1;
}
function fireTimers(sql, now, limit) {
    const woken = new Set();
    for (const t of sql.dueTimers.all(now, Math.max(0, limit))) {
        sql.markFired.run(t.dialog_key, t.timer_key);
        const key = (0, store_rules_1.timerDedupeKey)(t.dialog_key, t.timer_key, t.deadline);
        if (isDuplicate(sql, key, now))
            continue;
        sql.upsertDedupe.run(key, now + store_rules_1.DEFAULT_DEDUPE_TTL_MS);
        const payload = (0, store_rules_1.timerPayloadJson)({
            timerKey: t.timer_key,
            event: t.event,
            meta: t.meta,
            deadline: t.deadline,
        });
        sql.insertInbox.run(t.dialog_key, key, payload, now);
        woken.add(t.dialog_key);
    }
    return [...woken];
}
/**
 * Records the claim of effects the outbox index chose (see sqlite-outbox-index.ts) in one
 * statement, and returns them in `seq` order. Rows this process wrote come from the index;
 * others are read.
 */
function leaseChosenEffects(sql, chosen, owner, until) {
    const first = chosen[0];
    if (!first)
        return [];
    if (chosen.length === 1)
        sql.leaseEffect.run(owner, until, first.seq);
    else
        sql.leaseEffects.run(owner, until, JSON.stringify(chosen.map((e) => e.seq)));
    const out = [];
    for (const e of chosen) {
        const row = e.row ?? sql.outboxRow.get(e.seq);
        if (row)
            out.push((0, sqlite_rows_1.toOutboxEffect)(row));
    }
    return out;
}
/**
 * One statement: a dead letter (or an unknown seq) is left alone, and with `owner` only that
 * owner's live claim is settled (a claim taken over by another process is not ours to settle).
 */
function settleEffectRow(sql, seq, outcome, now, owner) {
    const who = { seq, owner: owner ?? null };
    if (outcome.status === 'sent' || (outcome.status === 'failed' && !outcome.deadLetter)) {
        return sql.settleSent.run(who).changes > 0;
    }
    if (outcome.status === 'retry') {
        const retry = outcome.countAttempt === false ? sql.settleRetryUncounted : sql.settleRetry;
        return retry.run({ ...who, at: outcome.availableAt, error: outcome.error }).changes > 0;
    }
    return sql.settleDead.run({ ...who, at: now, error: outcome.error }).changes > 0;
}
