"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.v2Schemas = exports.v2User = exports.v2Chat = exports.v2Message = exports.v2Bot = void 0;
/**
 * zod schemas of the `data` of every v2 event (`ONIMBOTV2*`), CONTRACT-v2.md §3. The same schema
 * serves form bodies (all strings), JSON bodies and fetch items (JSON types).
 */
const zod_1 = require("zod");
const wire_schema_1 = require("./wire-schema");
/** Webhook: `{id, code, auth}`; fetch: the full Bot object without `auth`. */
exports.v2Bot = zod_1.z.object({ id: wire_schema_1.wireId, code: (0, wire_schema_1.optStr)(128), auth: wire_schema_1.authBlock.optional() });
exports.v2Message = zod_1.z.object({
    id: wire_schema_1.wireId,
    chatId: wire_schema_1.optId,
    authorId: wire_schema_1.optId,
    date: (0, wire_schema_1.optStr)(64),
    text: wire_schema_1.optText,
    isSystem: wire_schema_1.wireFlag,
    params: zod_1.z.unknown().optional(),
});
exports.v2Chat = zod_1.z.object({
    id: wire_schema_1.wireId,
    dialogId: (0, wire_schema_1.optStr)(64),
    type: (0, wire_schema_1.optStr)(32),
    messageType: (0, wire_schema_1.optStr)(8),
    entityType: (0, wire_schema_1.optStr)(64),
    entityId: (0, wire_schema_1.optStr)(512),
    entityData1: (0, wire_schema_1.optStr)(1024),
    entityData2: (0, wire_schema_1.optStr)(1024),
    entityData3: (0, wire_schema_1.optStr)(1024),
});
exports.v2User = zod_1.z.object({
    id: wire_schema_1.wireId,
    name: (0, wire_schema_1.optStr)(512),
    firstName: (0, wire_schema_1.optStr)(256),
    lastName: (0, wire_schema_1.optStr)(256),
    gender: (0, wire_schema_1.optStr)(8),
    bot: wire_schema_1.wireFlag,
    connector: wire_schema_1.wireFlag,
    extranet: wire_schema_1.wireFlag,
    type: (0, wire_schema_1.optStr)(32),
});
const dialogShape = { bot: exports.v2Bot, chat: exports.v2Chat, user: exports.v2User.optional(), language: (0, wire_schema_1.optStr)(16) };
const messageEvent = zod_1.z.object({ ...dialogShape, message: exports.v2Message });
exports.v2Schemas = {
    ONIMBOTV2MESSAGEADD: messageEvent,
    ONIMBOTV2MESSAGEUPDATE: messageEvent,
    ONIMBOTV2MESSAGEDELETE: zod_1.z.object({ ...dialogShape, messageId: wire_schema_1.wireId }),
    ONIMBOTV2JOINCHAT: zod_1.z.object({ ...dialogShape, dialogId: (0, wire_schema_1.optStr)(64) }),
    ONIMBOTV2DELETE: zod_1.z.object({ bot: exports.v2Bot }),
    ONIMBOTV2COMMANDADD: zod_1.z.object({
        ...dialogShape,
        command: zod_1.z.object({
            id: wire_schema_1.optId,
            command: (0, wire_schema_1.reqStr)(128),
            params: (0, wire_schema_1.optStr)(10_000),
            context: (0, wire_schema_1.optStr)(32),
        }),
        message: exports.v2Message.optional(),
    }),
    ONIMBOTV2REACTIONCHANGE: zod_1.z.object({
        ...dialogShape,
        reaction: (0, wire_schema_1.reqStr)(64),
        action: zod_1.z.enum(['add', 'delete']),
        message: exports.v2Message,
    }),
    ONIMBOTV2CONTEXTGET: zod_1.z.object({
        ...dialogShape,
        dialogId: (0, wire_schema_1.optStr)(64),
        context: zod_1.z.unknown(),
    }),
};
