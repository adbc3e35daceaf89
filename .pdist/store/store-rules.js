"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_DEDUPE_TTL_MS = void 0;
exports.timerDedupeKey = timerDedupeKey;
exports.timerPayloadJson = timerPayloadJson;
exports.isClaimableNow = isClaimableNow;
exports.blocksLaterEffects = blocksLaterEffects;
exports.encodeHistoryWrite = encodeHistoryWrite;
/**
 * Rules every adapter applies the same way (kept in one place so that the adapters cannot drift):
 * dedupe TTL, the inbox item a fired timer becomes, and when an outbox effect may be claimed.
 */
const json_column_1 = require("./json-column");
const store_error_1 = require("./store-error");
/** How long a dedupe key is remembered when `appendInbox` is not told otherwise: 7 days. */
exports.DEFAULT_DEDUPE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** The dedupe key of a fired timer: a timer fires once per deadline, whoever fires it. */
function timerDedupeKey(dialogKey, timerKey, deadline) {
    return `timer:${dialogKey}:${timerKey}:${deadline}`;
}
/** The inbox payload of a fired timer (its parts are already JSON, so no re-encoding is needed). */
function timerPayloadJson(parts) {
    const meta = parts.meta === null || parts.meta === undefined ? '' : `,"meta":${parts.meta}`;
    return `{"kind":"timer","timerKey":${JSON.stringify(parts.timerKey)},"event":${parts.event}${meta},"deadline":${parts.deadline}}`;
}
/**
 * Whether an effect may be claimed now, ignoring the effects before it: pending and available,
 * or in flight with an expired lease (its claimer died). Dead letters are never claimed.
 */
function isClaimableNow(row, now) {
    if (row.status === 'pending')
        return row.availableAt <= now;
    if (row.status === 'inflight')
        return (row.leaseUntil ?? 0) <= now;
    return false;
}
/** Whether an effect holds back the later effects of its dialog: everything not claimable now, except dead letters. */
function blocksLaterEffects(row, now) {
    return row.status !== 'dead' && !isClaimableNow(row, now);
}
/**
 * Encodes a history write before anything is written: a value that is not JSON, or a retention
 * that is not a non-negative integer, throws a {@link StoreError} and leaves nothing behind.
 */
function encodeHistoryWrite(write, now) {
    if (!Number.isInteger(write.maxEntries) || write.maxEntries < 0)
        throw new store_error_1.StoreError(`History maxEntries must be a non-negative integer, got ${String(write.maxEntries)}`);
    if (write.maxAgeMs !== undefined &&
        (typeof write.maxAgeMs !== 'number' || !(write.maxAgeMs >= 0)))
        throw new store_error_1.StoreError(`History maxAgeMs must be a non-negative number, got ${String(write.maxAgeMs)}`);
    return {
        entries: write.entries.map((e) => {
            if (typeof e.at !== 'number' || !Number.isFinite(e.at))
                throw new store_error_1.StoreError(`History entry time must be a finite number, got ${String(e.at)}`);
            return { at: e.at, kind: e.kind, data: (0, json_column_1.encodeJson)(e.data ?? null, 'History entry data') };
        }),
        maxEntries: write.maxEntries,
        cutoff: write.maxAgeMs === undefined ? undefined : now - write.maxAgeMs,
    };
}
