"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_HISTORY_MAX_AGE_MS = exports.DEFAULT_HISTORY_MAX_ENTRIES = void 0;
exports.resolveHistory = resolveHistory;
exports.historyOptionProblems = historyOptionProblems;
exports.historyWrite = historyWrite;
exports.inboundData = inboundData;
exports.turnEffects = turnEffects;
exports.timerData = timerData;
exports.stateOf = stateOf;
const effect_call_1 = require("./effect-call");
const inbox_payload_1 = require("./inbox-payload");
/** Entries kept per dialog by default. */
exports.DEFAULT_HISTORY_MAX_ENTRIES = 500;
/** Age after which entries go by default: 30 days. */
exports.DEFAULT_HISTORY_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * The retention for a `history` option; `undefined` means off.
 *
 * @example
 * resolveHistory(false) // undefined: nothing is written
 * resolveHistory({ maxEntries: 20 }) // { maxEntries: 20, maxAgeMs: 2592000000 }
 */
function resolveHistory(option) {
    if (option === false)
        return undefined;
    return {
        maxEntries: option?.maxEntries ?? exports.DEFAULT_HISTORY_MAX_ENTRIES,
        maxAgeMs: option?.maxAgeMs ?? exports.DEFAULT_HISTORY_MAX_AGE_MS,
    };
}
/** Problems of a `history` option (empty when valid). */
function historyOptionProblems(option) {
    if (option === undefined || option === false)
        return [];
    if (typeof option !== 'object' || option === null)
        return ['history must be false or { maxEntries?, maxAgeMs? }'];
    const o = option;
    const problems = [];
    if (o.maxEntries !== undefined &&
        !(Number.isInteger(o.maxEntries) && o.maxEntries >= 0))
        problems.push('history.maxEntries must be a non-negative integer');
    if (o.maxAgeMs !== undefined && !(typeof o.maxAgeMs === 'number' && o.maxAgeMs > 0))
        problems.push('history.maxAgeMs must be a positive number');
    return problems;
}
/** A history write of `entries` under `retention`. */
function historyWrite(retention, entries) {
    return {
        entries,
        maxEntries: retention.maxEntries,
        ...(retention.maxAgeMs !== undefined ? { maxAgeMs: retention.maxAgeMs } : {}),
    };
}
const SECRET_KEY = /auth|token|secret|password|client_id/i;
/** Call parameters safe to keep and show: credential-like keys are replaced. */
function safeParams(params) {
    const out = {};
    for (const [k, v] of Object.entries(params))
        out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
    return out;
}
/** What an inbox payload was, for the history (texts kept: the history is the transcript). */
function inboundData(payload) {
    const p = (0, inbox_payload_1.asInboxPayload)(payload);
    if (!p)
        return { source: 'unknown' };
    if (p.kind === 'timer') {
        const type = p.event?.type;
        return {
            source: 'timer',
            timerKey: p.timerKey,
            ...(p.deadline !== undefined ? { deadline: p.deadline } : {}),
            ...(typeof type === 'string' ? { event: type } : {}),
        };
    }
    if (p.kind === 'effect.failed')
        return {
            source: 'effect.failed',
            method: p.method,
            code: p.code,
            ...(p.description !== undefined ? { description: p.description } : {}),
        };
    const e = p.event;
    const event = { kind: e.kind };
    for (const key of ['text', 'command', 'params', 'messageId', 'context', 'reaction', 'action'])
        if (e[key] !== undefined)
            event[key] = e[key];
    const author = e.author;
    if (author)
        event.author = { id: author.id, name: author.name };
    const client = e.client;
    if (client?.name !== undefined)
        event.client = { name: client.name };
    return { source: 'event', event };
}
/** The effects of a turn with their REST calls (a call that cannot be built is left out). */
function turnEffects(effects, meta) {
    return effects.map((effect, index) => {
        try {
            const call = (0, effect_call_1.effectToCall)(effect, meta);
            return { index, effect, call: { method: call.method, params: safeParams(call.params) } };
        }
        catch {
            return { index, effect };
        }
    });
}
/** The unfired timers after a turn, marking those that were not armed before it. */
function timerData(before, after) {
    const old = new Set(before.map((t) => `${t.timerKey}@${t.deadline}`));
    return after
        .filter((t) => !t.fired)
        .map((t) => {
        const type = t.event?.type;
        return {
            timerKey: t.timerKey,
            deadline: t.deadline,
            armed: !old.has(`${t.timerKey}@${t.deadline}`),
            ...(typeof type === 'string' ? { event: type } : {}),
        };
    });
}
/** The machine state value of a persisted snapshot (`null` for none). */
function stateOf(snapshot) {
    if (typeof snapshot !== 'object' || snapshot === null)
        return null;
    return snapshot.value ?? null;
}
