"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_EXTERNAL_EVENT_BYTES = exports.RESERVED_EVENT_TYPES = void 0;
exports.checkDeliveries = checkDeliveries;
/**
 * External events: the host application's own events (a CRM webhook: "appointment confirmed")
 * delivered to a running dialog. They go through the dialog's durable inbox like Bitrix24 events,
 * so they are ordered with the dialog's other events, survive a restart, and a `key` makes a
 * repeated delivery a duplicate. The machine receives `event` as it was given.
 */
const errors_1 = require("../errors");
const store_1 = require("../store/store");
/** Event types the framework sends to machines itself, which a host may not forge. */
exports.RESERVED_EVENT_TYPES = new Set([
    'join',
    'message',
    'command',
    'message.edit',
    'message.delete',
    'reaction',
    'context',
    'effect.failed',
    'operator.message',
]);
/** Largest JSON size of one external event. */
exports.MAX_EXTERNAL_EVENT_BYTES = 64 * 1024;
const DIALOG_KEY = /^[A-Za-z0-9_.:-]{1,128}:\d{1,12}:\d{1,15}$/;
const TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;
function dialogKeyOfRef(ref, problems, at) {
    if (typeof ref === 'string') {
        if (DIALOG_KEY.test(ref))
            return ref;
        problems.push(`${at}dialog must be a dialog key "<portal member id>:<bot id>:<chat id>" or { portalId, botId, chatId }, got ${JSON.stringify(ref.slice(0, 80))}`);
        return undefined;
    }
    const r = (typeof ref === 'object' && ref !== null ? ref : {});
    const ok = typeof r.portalId === 'string' &&
        /^[A-Za-z0-9_.-]{1,128}$/.test(r.portalId) &&
        Number.isSafeInteger(r.botId) &&
        r.botId > 0 &&
        Number.isSafeInteger(r.chatId) &&
        r.chatId > 0;
    if (!ok) {
        problems.push(`${at}dialog must be a dialog key "<portal member id>:<bot id>:<chat id>" or { portalId, botId, chatId } (positive integers)`);
        return undefined;
    }
    return (0, store_1.dialogKeyOf)(r.portalId, r.botId, r.chatId);
}
/**
 * Checks deliveries; throws a `ConfigError` with one line per problem.
 *
 * @example
 * const [d] = checkDeliveries([{ dialog: 'portal:7:42', event: { type: 'crm.booking.confirmed' } }]);
 */
function checkDeliveries(deliveries) {
    const problems = [];
    if (!Array.isArray(deliveries))
        throw new errors_1.ConfigError(['deliver() needs an array of deliveries'], 'Invalid external events');
    const out = [];
    deliveries.forEach((raw, i) => {
        const at = deliveries.length > 1 ? `[${i}] ` : '';
        const d = (typeof raw === 'object' && raw !== null ? raw : {});
        const dialogKey = dialogKeyOfRef(d.dialog, problems, at);
        const e = d.event;
        let event;
        if (typeof e !== 'object' || e === null || Array.isArray(e)) {
            problems.push(`${at}event must be an object with a "type"`);
        }
        else if (typeof e.type !== 'string' || !TYPE.test(e.type)) {
            problems.push(`${at}event.type must be a name such as "crm.booking.confirmed" (a letter, then letters, digits, ".", "_", ":" or "-"; at most 100)`);
        }
        else if (exports.RESERVED_EVENT_TYPES.has(e.type) || e.type.startsWith('xstate.')) {
            problems.push(`${at}event.type "${e.type}" is reserved for the framework's own events: choose a name of your own, e.g. "crm.${e.type}"`);
        }
        else {
            let json;
            try {
                json = JSON.stringify(e);
            }
            catch {
                json = undefined;
            }
            if (json === undefined)
                problems.push(`${at}event must be JSON`);
            else if (Buffer.byteLength(json) > exports.MAX_EXTERNAL_EVENT_BYTES)
                problems.push(`${at}event is larger than ${exports.MAX_EXTERNAL_EVENT_BYTES} bytes as JSON`);
            else
                event = JSON.parse(json);
        }
        if (d.key !== undefined &&
            (typeof d.key !== 'string' || d.key.length < 1 || d.key.length > 200))
            problems.push(`${at}key must be a string of 1 to 200 characters`);
        if (dialogKey !== undefined && event !== undefined)
            out.push({ dialogKey, event, ...(typeof d.key === 'string' ? { key: d.key } : {}) });
    });
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems, 'Invalid external events');
    return out;
}
