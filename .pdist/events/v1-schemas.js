"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.v1Schemas = exports.v1CommandEntry = exports.v1User = exports.v1BotMap = exports.v1BotEntry = void 0;
/**
 * zod schemas of the `data` of every v1 event (`ONIMBOT*`, `ONIMCOMMANDADD`, `ONAPP*`), as in
 * CONTRACT-v1-and-common.md §2. Unknown fields are tolerated and dropped (zod strip mode, the
 * fast path); only what the framework
 * reads is checked.
 */
const zod_1 = require("zod");
const wire_schema_1 = require("./wire-schema");
const idKey = zod_1.z.string().regex(/^\d{1,15}$/, 'expected a numeric key');
/** `data[BOT][<BOT_ID>]`: the bot's own auth keys, a nested `AUTH`, `BOT_ID`, `BOT_CODE`. */
exports.v1BotEntry = zod_1.z.object({
    ...wire_schema_1.authShape,
    AUTH: zod_1.z.object(wire_schema_1.authShape).optional(),
    BOT_ID: wire_schema_1.optId,
    BOT_CODE: (0, wire_schema_1.optStr)(128),
});
/** The `data[BOT]` map keyed by bot id (several bots of one app may be listed). */
exports.v1BotMap = zod_1.z
    .record(idKey, exports.v1BotEntry)
    .refine((m) => Object.keys(m).length > 0, 'expected at least one bot');
/** `data[USER]`: the author / the user who added the bot. Vanishes when empty. */
exports.v1User = zod_1.z.object({
    ID: wire_schema_1.optId,
    NAME: (0, wire_schema_1.optStr)(512),
    FIRST_NAME: (0, wire_schema_1.optStr)(256),
    LAST_NAME: (0, wire_schema_1.optStr)(256),
    GENDER: (0, wire_schema_1.optStr)(8),
    IS_BOT: wire_schema_1.wireFlag,
    IS_CONNECTOR: wire_schema_1.wireFlag,
    IS_NETWORK: wire_schema_1.wireFlag,
    IS_EXTRANET: wire_schema_1.wireFlag,
});
/** Chat fields shared by the message, join and command `PARAMS`. */
const chatShape = {
    DIALOG_ID: (0, wire_schema_1.reqStr)(64),
    CHAT_ID: wire_schema_1.optId,
    TO_CHAT_ID: wire_schema_1.optId,
    MESSAGE_TYPE: (0, wire_schema_1.optStr)(8),
    CHAT_TYPE: (0, wire_schema_1.optStr)(8),
    CHAT_ENTITY_TYPE: (0, wire_schema_1.optStr)(64),
    CHAT_ENTITY_ID: (0, wire_schema_1.optStr)(512),
    CHAT_ENTITY_DATA_1: (0, wire_schema_1.optStr)(1024),
    CHAT_ENTITY_DATA_2: (0, wire_schema_1.optStr)(1024),
    CHAT_ENTITY_DATA_3: (0, wire_schema_1.optStr)(1024),
    FROM_USER_ID: wire_schema_1.optId,
    AUTHOR_ID: wire_schema_1.optId,
    LANGUAGE: (0, wire_schema_1.optStr)(16),
};
const messageParams = zod_1.z.object({
    ...chatShape,
    MESSAGE_ID: wire_schema_1.wireId,
    MESSAGE: wire_schema_1.optText,
    SYSTEM: wire_schema_1.wireFlag,
    FILES: zod_1.z.unknown().optional(),
    FILE_ID: zod_1.z.unknown().optional(),
});
const editParams = zod_1.z
    .object({ ...chatShape, ID: wire_schema_1.optId, MESSAGE_ID: wire_schema_1.optId, MESSAGE: wire_schema_1.optText })
    .refine((p) => p.MESSAGE_ID !== undefined || p.ID !== undefined, {
    message: 'expected MESSAGE_ID or ID',
    path: ['MESSAGE_ID'],
});
/** `data[COMMAND][<COMMAND_ID>]`: bot auth keys plus the command that was run. */
exports.v1CommandEntry = zod_1.z.object({
    ...wire_schema_1.authShape,
    AUTH: zod_1.z.object(wire_schema_1.authShape).optional(),
    BOT_ID: wire_schema_1.wireId,
    BOT_CODE: (0, wire_schema_1.optStr)(128),
    COMMAND: (0, wire_schema_1.reqStr)(128),
    COMMAND_ID: wire_schema_1.optId,
    COMMAND_PARAMS: (0, wire_schema_1.optStr)(10_000),
    COMMAND_CONTEXT: (0, wire_schema_1.optStr)(32),
    MESSAGE_ID: wire_schema_1.optId,
});
exports.v1Schemas = {
    ONIMBOTMESSAGEADD: zod_1.z.object({
        BOT: exports.v1BotMap,
        PARAMS: messageParams,
        USER: exports.v1User.optional(),
    }),
    ONIMBOTMESSAGEUPDATE: zod_1.z.object({
        BOT: exports.v1BotMap,
        PARAMS: editParams,
        USER: exports.v1User.optional(),
    }),
    ONIMBOTMESSAGEDELETE: zod_1.z.object({
        BOT: exports.v1BotMap,
        PARAMS: editParams,
        USER: exports.v1User.optional(),
    }),
    ONIMBOTJOINCHAT: zod_1.z.object({
        BOT: exports.v1BotMap,
        PARAMS: zod_1.z.object({
            ...chatShape,
            BOT_ID: wire_schema_1.optId,
            USER_ID: wire_schema_1.optId,
            ACCESS_HISTORY: wire_schema_1.wireFlag,
        }),
        USER: exports.v1User.optional(),
    }),
    ONIMCOMMANDADD: zod_1.z.object({
        COMMAND: zod_1.z
            .record(idKey, exports.v1CommandEntry)
            .refine((m) => Object.keys(m).length > 0, 'expected at least one command'),
        PARAMS: zod_1.z.object({ ...chatShape, MESSAGE_ID: wire_schema_1.optId, MESSAGE: wire_schema_1.optText }),
        USER: exports.v1User.optional(),
    }),
    ONIMBOTDELETE: zod_1.z.object({ BOT_ID: wire_schema_1.wireId, BOT_CODE: (0, wire_schema_1.optStr)(128) }),
    // An empty `data` vanishes from a form body, hence optional.
    ONAPPINSTALL: zod_1.z
        .object({
        VERSION: (0, wire_schema_1.optStr)(32),
        ACTIVE: wire_schema_1.wireFlag,
        INSTALLED: wire_schema_1.wireFlag,
        LANGUAGE_ID: (0, wire_schema_1.optStr)(16),
    })
        .optional(),
    ONAPPUNINSTALL: zod_1.z.object({ LANGUAGE_ID: (0, wire_schema_1.optStr)(16), CLEAN: wire_schema_1.wireFlag }).optional(),
};
