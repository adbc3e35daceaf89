"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fieldsOf = fieldsOf;
exports.finite = finite;
exports.toInboxItem = toInboxItem;
exports.toOutboxEffect = toOutboxEffect;
exports.toDialogRecord = toDialogRecord;
exports.commitArgs = commitArgs;
exports.historyArgs = historyArgs;
exports.toHistoryEntry = toHistoryEntry;
/**
 * Conversions between the Redis store's hashes (see redis-keys.ts) and the `Store` records.
 * Values are JSON text encoded by json-column.ts, so every read is a fresh copy.
 */
const json_column_1 = require("./json-column");
const store_error_1 = require("./store-error");
const store_rules_1 = require("./store-rules");
/** The field → value object of a flat `[field, value, ...]` reply (HGETALL inside Lua). */
function fieldsOf(reply) {
    const out = {};
    if (!Array.isArray(reply))
        return out;
    for (let i = 0; i + 1 < reply.length; i += 2)
        out[String(reply[i])] = String(reply[i + 1]);
    return out;
}
/** Splits a `[seq, field, value, ...]` reply. */
function seqAndFields(reply) {
    const [seq, ...rest] = reply;
    return { seq: Number(seq), f: fieldsOf(rest) };
}
/** Throws a StoreError for a number Redis cannot keep exactly (checked before any script runs). */
function finite(value, what) {
    if (typeof value !== 'number' || !Number.isFinite(value))
        throw new store_error_1.StoreError(`${what} must be a finite number, got ${String(value)}`);
    return String(value);
}
function toInboxItem(reply) {
    const { seq, f } = seqAndFields(reply);
    return {
        seq,
        dialogKey: f.d ?? '',
        ...(f.k === undefined ? {} : { dedupeKey: f.k }),
        payload: (0, json_column_1.decodeJson)(f.p),
        receivedAt: Number(f.t),
    };
}
function toOutboxEffect(reply) {
    const { seq, f } = seqAndFields(reply);
    return {
        seq,
        dialogKey: f.d ?? '',
        portalId: f.p ?? '',
        effect: (0, json_column_1.decodeJson)(f.e),
        ...(f.m === undefined ? {} : { meta: (0, json_column_1.decodeJson)(f.m) }),
        attempts: Number(f.a),
        availableAt: Number(f.v),
        createdAt: Number(f.c),
        ...(f.err === undefined ? {} : { error: f.err }),
    };
}
/** The stored value of a timer: `<fired 0/1>,<deadline>,<inbox payload it becomes when fired>`. */
function encodeTimer(t) {
    const deadline = finite(t.deadline, `Timer "${t.timerKey}" deadline`);
    const payload = (0, store_rules_1.timerPayloadJson)({
        timerKey: t.timerKey,
        event: (0, json_column_1.encodeJson)(t.event, 'Timer event'),
        meta: (0, json_column_1.encodeOptionalJson)(t.meta, 'Timer meta'),
        deadline: t.deadline,
    });
    return [t.timerKey, `${t.fired === true ? 1 : 0},${deadline},${payload}`, deadline];
}
function decodeTimer(timerKey, value) {
    const comma = value.indexOf(',', 2);
    const payload = JSON.parse(value.slice(comma + 1));
    return {
        timerKey,
        deadline: Number(value.slice(2, comma)),
        event: payload.event,
        ...('meta' in payload ? { meta: payload.meta } : {}),
        fired: value.startsWith('1'),
    };
}
function toDialogRecord(dialogKey, reply) {
    const [dialogReply, timerReply] = reply;
    const f = fieldsOf(dialogReply);
    const revision = Number(f.r ?? 0);
    if (revision === 0)
        return undefined;
    const timers = Object.entries(fieldsOf(timerReply))
        .map(([key, value]) => decodeTimer(key, value))
        .sort((a, b) => a.deadline - b.deadline || (a.timerKey < b.timerKey ? -1 : a.timerKey > b.timerKey ? 1 : 0));
    return {
        dialogKey,
        revision,
        snapshot: f.s === undefined ? null : (0, json_column_1.decodeJson)(f.s),
        botVersion: f.v ?? '',
        ...(f.m === undefined ? {} : { meta: (0, json_column_1.decodeJson)(f.m) }),
        timers,
        updatedAt: Number(f.u),
    };
}
/** The ARGV of the commit script after the dialog key; throws before anything is sent. */
function commitArgs(c) {
    const snapshot = c.snapshot === null ? '' : ((0, json_column_1.encodeOptionalJson)(c.snapshot, 'Snapshot') ?? '');
    const meta = (0, json_column_1.encodeOptionalJson)(c.meta, 'Dialog meta') ?? '';
    const effects = c.effects.flatMap((e) => [
        e.portalId,
        (0, json_column_1.encodeJson)(e.effect, 'Effect'),
        (0, json_column_1.encodeOptionalJson)(e.meta, 'Effect meta') ?? '',
    ]);
    // One timer per key, the last one winning, as a replaced set would hold it.
    const byKey = new Map(c.timers.map((t) => [t.timerKey, t]));
    const timers = [...byKey.values()].flatMap(encodeTimer);
    const consumed = c.consumedSeq === undefined ? '' : finite(c.consumedSeq, 'consumedSeq');
    return [
        finite(c.expectedRevision, 'expectedRevision'),
        snapshot,
        String(c.botVersion),
        meta,
        finite(c.now, 'now'),
        consumed,
        String(c.effects.length),
        String(byKey.size),
        ...effects,
        ...timers,
        ...(c.history ? historyArgs(c.history, c.now) : []),
    ];
}
/** The history arguments of the Lua `writeHistory` (redis-lua-history.ts); throws before anything is sent. */
function historyArgs(write, now) {
    const w = (0, store_rules_1.encodeHistoryWrite)(write, now);
    const ttl = write.maxAgeMs === undefined ? '' : String(Math.max(1, Math.ceil(write.maxAgeMs)));
    return [
        String(w.entries.length),
        String(w.maxEntries),
        w.cutoff === undefined ? '' : finite(w.cutoff, 'History cutoff'),
        ttl,
        ...w.entries.flatMap((e) => [
            finite(e.at, 'History entry time'),
            JSON.stringify({ at: e.at, kind: e.kind }).slice(1, -1) + `,"data":${e.data}}`,
        ]),
    ];
}
/** Decodes one stored history entry (`<at>,<JSON>`). */
function toHistoryEntry(value) {
    return JSON.parse(value.slice(value.indexOf(',') + 1));
}
