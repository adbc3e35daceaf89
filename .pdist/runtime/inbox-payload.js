"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.asInboxPayload = asInboxPayload;
/**
 * Narrows an inbox payload read back from the store; `undefined` for anything unknown.
 *
 * @example
 * const payload = asInboxPayload(item.payload);
 * if (payload?.kind === 'timer') console.log(payload.timerKey);
 */
function asInboxPayload(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const kind = value.kind;
    if (kind === 'event' && typeof value.event === 'object')
        return value;
    if (kind === 'timer' && typeof value.timerKey === 'string')
        return value;
    if (kind === 'effect.failed' && typeof value.method === 'string')
        return value;
    if (kind === 'external' && typeof value.event?.type === 'string')
        return value;
    return undefined;
}
