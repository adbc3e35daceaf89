"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.okResult = exports.sessionOpenResult = exports.pathResult = exports.revisionResult = exports.crmChatsResult = exports.sessionHistoryResult = exports.dialogResult = exports.lineSettingsResult = void 0;
/**
 * Result schemas of the `imopenlines.*` methods whose answer is more than `true` or an id: line
 * settings, the dialog, the session history, CRM chats. Field names stay as Bitrix24 spells
 * them; values are typed (numbers, flags as booleans, dates as `Date`); unknown fields pass
 * through unchanged.
 */
const zod_1 = require("zod");
const openlines_wire_1 = require("./openlines-wire");
/** One open line's settings (`imopenlines.config.get`, items of `config.list.get`). */
exports.lineSettingsResult = zod_1.z.looseObject({
    ID: openlines_wire_1.rNum,
    LINE_NAME: openlines_wire_1.rOptStr,
    ACTIVE: openlines_wire_1.rOptFlag,
    CRM: openlines_wire_1.rOptFlag,
    QUEUE_TYPE: openlines_wire_1.rOptStr,
    QUEUE_TIME: openlines_wire_1.rOptNum,
    /** Operator user ids; present when asked for (`WITH_QUEUE`, `OPTIONS.QUEUE`). */
    QUEUE: openlines_wire_1.rNumList.optional(),
    WELCOME_MESSAGE: openlines_wire_1.rOptFlag,
    WELCOME_MESSAGE_TEXT: openlines_wire_1.rOptStr,
    WELCOME_BOT_ENABLE: openlines_wire_1.rOptFlag,
    /** `first`: only the first session of a client; `always`: every session. */
    WELCOME_BOT_JOIN: openlines_wire_1.rOptStr,
    /** Bot user id; 0 or absent when none is attached. */
    WELCOME_BOT_ID: openlines_wire_1.rOptNum,
    /** Seconds without an answer after which the bot hands over (0 = never). */
    WELCOME_BOT_TIME: openlines_wire_1.rOptNum,
    /** `queue`: hand to the operators' queue; `close`: close the dialog. */
    WELCOME_BOT_LEFT: openlines_wire_1.rOptStr,
    WORKTIME_ENABLE: openlines_wire_1.rOptFlag,
    DATE_CREATE: openlines_wire_1.rOptDate,
    DATE_MODIFY: openlines_wire_1.rOptDate,
});
/** `imopenlines.dialog.get`: the open-line chat. */
exports.dialogResult = zod_1.z.looseObject({
    id: openlines_wire_1.rNum,
    dialog_id: zod_1.z.string(),
    name: openlines_wire_1.rOptStr,
    type: openlines_wire_1.rOptStr,
    owner: openlines_wire_1.rOptNum,
    entity_type: openlines_wire_1.rOptStr,
    entity_id: openlines_wire_1.rOptStr,
    entity_data_1: openlines_wire_1.rOptStr,
    entity_data_2: openlines_wire_1.rOptStr,
    entity_data_3: openlines_wire_1.rOptStr,
    manager_list: openlines_wire_1.rNumList.optional(),
    message_type: openlines_wire_1.rOptStr,
    date_create: openlines_wire_1.rOptDate,
});
const historyMessage = zod_1.z
    .looseObject({
    id: openlines_wire_1.rNum,
    chatid: openlines_wire_1.rNum,
    senderid: openlines_wire_1.rNum,
    date: openlines_wire_1.rOptDate,
    text: zod_1.z.string().catch(''),
    params: zod_1.z.unknown().optional(),
})
    .transform((m) => ({ ...m, chatId: m.chatid, authorId: m.senderid }));
const historyUser = zod_1.z.looseObject({
    id: openlines_wire_1.rNum,
    name: openlines_wire_1.rOptStr,
    firstName: openlines_wire_1.rOptStr,
    lastName: openlines_wire_1.rOptStr,
    bot: openlines_wire_1.rOptFlag,
    connector: openlines_wire_1.rOptFlag,
    extranet: openlines_wire_1.rOptFlag,
});
/** `imopenlines.session.history.get`. `messages` is `message` as a list, oldest first. */
exports.sessionHistoryResult = zod_1.z
    .looseObject({
    chatId: openlines_wire_1.rNum,
    canJoin: openlines_wire_1.rOptFlag,
    canVoteHead: openlines_wire_1.rOptFlag,
    sessionId: openlines_wire_1.rNum,
    sessionVoteHead: openlines_wire_1.rOptNum,
    sessionCommentHead: zod_1.z.string().nullish(),
    userId: openlines_wire_1.rOptStr,
    message: (0, openlines_wire_1.rMap)(historyMessage),
    usersMessage: (0, openlines_wire_1.rMap)(zod_1.z.array(zod_1.z.union([zod_1.z.string(), zod_1.z.number()]))).optional(),
    users: (0, openlines_wire_1.rMap)(historyUser).optional(),
    chat: (0, openlines_wire_1.rMap)(zod_1.z.looseObject({ id: openlines_wire_1.rNum, entityId: openlines_wire_1.rOptStr, dateCreate: openlines_wire_1.rOptDate })).optional(),
    files: zod_1.z.unknown().optional(),
})
    .transform((h) => ({
    ...h,
    messages: Object.values(h.message).sort((a, b) => a.id - b.id),
}));
/** `imopenlines.crm.chat.get`: the chats bound to a CRM object. */
exports.crmChatsResult = zod_1.z.array(zod_1.z.looseObject({ CHAT_ID: openlines_wire_1.rNum, CONNECTOR_ID: openlines_wire_1.rOptStr, CONNECTOR_TITLE: openlines_wire_1.rOptStr }));
/** `imopenlines.revision.get`. */
exports.revisionResult = zod_1.z.looseObject({ rest: openlines_wire_1.rNum, web: openlines_wire_1.rOptNum, mobile: openlines_wire_1.rOptNum });
/** `imopenlines.config.path.get`. */
exports.pathResult = zod_1.z.looseObject({ SERVER_ADDRESS: zod_1.z.string(), PUBLIC_PATH: zod_1.z.string() });
/** `imopenlines.session.open`. */
exports.sessionOpenResult = zod_1.z.looseObject({ chatId: openlines_wire_1.rNum });
/** A flag result that must be `true`-like or `false`-like. */
exports.okResult = openlines_wire_1.rFlag;
