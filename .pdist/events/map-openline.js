"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OPEN_LINE_EVENT_TYPES = void 0;
exports.isOpenLineEventType = isOpenLineEventType;
exports.mapOpenLineEvent = mapOpenLineEvent;
/**
 * The five Open Lines events (`OnOpenLineMessageAdd|Update|Delete`, `OnSessionStart`,
 * `OnSessionFinish`; docs folder `imopenlines/openlines/events/`). Bitrix24 sends them only to an
 * application that is itself a connector, for its own connector: they are not bot dialog events,
 * so they are parsed into one {@link OpenLineEvent} for an application-level handler.
 */
const zod_1 = require("zod");
const map_common_1 = require("./map-common");
const wire_schema_1 = require("./wire-schema");
/** The Bitrix24 event codes, upper-cased as they arrive. */
exports.OPEN_LINE_EVENT_TYPES = {
    ONOPENLINEMESSAGEADD: 'message.add',
    ONOPENLINEMESSAGEUPDATE: 'message.update',
    ONOPENLINEMESSAGEDELETE: 'message.delete',
    ONSESSIONSTART: 'session.start',
    ONSESSIONFINISH: 'session.finish',
};
/** True for one of the five Open Lines event codes. */
function isOpenLineEventType(type) {
    return Object.hasOwn(exports.OPEN_LINE_EVENT_TYPES, type);
}
const ref = zod_1.z.object({ id: wire_schema_1.optId, name: (0, wire_schema_1.optStr)(255) }).optional();
const item = zod_1.z.object({
    connector: zod_1.z
        .object({
        connector_id: (0, wire_schema_1.optStr)(64),
        line_id: wire_schema_1.optId,
        chat_id: (0, wire_schema_1.optStr)(255),
        user_id: (0, wire_schema_1.optStr)(255),
    })
        .optional(),
    chat: zod_1.z.object({ id: wire_schema_1.optId }).optional(),
    im: zod_1.z.object({ chat_id: wire_schema_1.optId, message_id: wire_schema_1.optId }).optional(),
    message: zod_1.z
        .object({
        id: wire_schema_1.optId,
        date: (0, wire_schema_1.optStr)(64),
        text: wire_schema_1.optText,
        files: zod_1.z.unknown().optional(),
        attach: zod_1.z.unknown().optional(),
        system: wire_schema_1.wireFlag,
        user_id: (0, wire_schema_1.optStr)(255),
    })
        .optional(),
    session: zod_1.z
        .object({ id: wire_schema_1.optId, parent_id: wire_schema_1.optId, closed: wire_schema_1.wireFlag, close_term: (0, wire_schema_1.optStr)(64) })
        .optional(),
    user: ref,
    line: ref,
});
const dataSchema = zod_1.z.object({
    CONNECTOR: (0, wire_schema_1.optStr)(64),
    LINE: wire_schema_1.optId,
    // PHP lists arrive as `DATA[0][...]`: an object keyed 0, 1, ... or a JSON array.
    DATA: zod_1.z.union([zod_1.z.array(item), zod_1.z.record(zod_1.z.string(), item)]),
});
function filesOf(v) {
    if (Array.isArray(v))
        return v.map((f) => (0, map_common_1.toPlain)(f));
    if (v && typeof v === 'object')
        return Object.values(v).map((f) => (0, map_common_1.toPlain)(f));
    return [];
}
/**
 * Maps a decoded body of one of the five Open Lines events.
 *
 * @example
 * const event = mapOpenLineEvent('ONSESSIONFINISH', body, { delivery: 'webhook' });
 */
function mapOpenLineEvent(type, raw, ctx) {
    const env = (0, wire_schema_1.check)(wire_schema_1.envelope, raw, { path: [] });
    const data = (0, wire_schema_1.check)(dataSchema, env.data, { path: ['data'], eventType: type });
    const rawItems = Array.isArray(data.DATA) ? data.DATA : Object.values(data.DATA);
    const items = rawItems.map((i) => (0, map_common_1.compact)({
        connector: i.connector
            ? (0, map_common_1.compact)({
                id: i.connector.connector_id,
                lineId: i.connector.line_id,
                chatId: i.connector.chat_id,
                userId: i.connector.user_id,
            })
            : undefined,
        chatId: i.chat?.id,
        im: i.im ? (0, map_common_1.compact)({ chatId: i.im.chat_id, messageId: i.im.message_id }) : undefined,
        message: i.message
            ? (0, map_common_1.compact)({
                id: i.message.id,
                date: i.message.date || undefined,
                text: i.message.text,
                files: filesOf(i.message.files),
                attach: i.message.attach === '' ? undefined : (0, map_common_1.toPlain)(i.message.attach),
                system: i.message.system,
                userId: i.message.user_id,
            })
            : undefined,
        session: i.session
            ? (0, map_common_1.compact)({
                id: i.session.id,
                parentId: i.session.parent_id,
                closed: i.session.closed,
                closeTerm: i.session.close_term,
            })
            : undefined,
        user: i.user ? (0, map_common_1.compact)(i.user) : undefined,
        line: i.line ? (0, map_common_1.compact)(i.line) : undefined,
    }));
    const portal = (0, map_common_1.portalOf)(env.auth, [], ctx, type);
    const eventIdRaw = raw.eventId;
    const bitrixEventId = typeof eventIdRaw === 'number' ||
        (typeof eventIdRaw === 'string' && /^\d{1,15}$/.test(eventIdRaw))
        ? Number(eventIdRaw)
        : undefined;
    return (0, map_common_1.compact)({
        kind: 'openline',
        name: exports.OPEN_LINE_EVENT_TYPES[type],
        rawType: type,
        apiVersion: 1,
        delivery: ctx.delivery,
        ts: env.ts ?? ctx.ts,
        portal,
        applicationToken: env.auth?.application_token,
        auth: (0, map_common_1.tokensOf)(env.auth),
        connector: data.CONNECTOR,
        lineId: data.LINE,
        bitrixEventId,
        items,
        dedupeKey: `${portal.memberId}:${type}:${(0, map_common_1.shortHash)(JSON.stringify([env.ts ?? '', items]))}`,
    });
}
