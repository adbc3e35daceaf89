"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OPENLINES_METHODS = exports.OPENLINES_DOCS = void 0;
exports.isOpenlinesMethod = isOpenlinesMethod;
exports.openlinesDocUrl = openlinesDocUrl;
/**
 * The catalogue of the 38 `imopenlines.*` REST methods (OPENLINES-API.md; Bitrix24 docs folder
 * `api-reference/imopenlines/openlines/`): for each, the parameter schema (checked before any
 * request), the result schema (wire strings to typed values), who may call it and its docs page.
 */
const zod_1 = require("zod");
const openlines_results_1 = require("./openlines-results");
const openlines_wire_1 = require("./openlines-wire");
/** Base URL of the docs pages. */
exports.OPENLINES_DOCS = 'https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/';
const none = zod_1.z.strictObject({});
const chatOnly = zod_1.z.strictObject({ CHAT_ID: openlines_wire_1.pId });
const crmRef = { CRM_ENTITY_TYPE: openlines_wire_1.pCrmType, CRM_ENTITY: openlines_wire_1.pId };
/** Keys of a line's settings the framework knows; the rest of the ~80 keys pass through as given. */
const lineParams = zod_1.z.looseObject({
    LINE_NAME: openlines_wire_1.pText.optional(),
    ACTIVE: openlines_wire_1.pFlag.optional(),
    QUEUE: zod_1.z.array(openlines_wire_1.pId).optional(),
    QUEUE_TYPE: zod_1.z.enum(['evenly', 'strictly', 'all']).optional(),
    QUEUE_TIME: openlines_wire_1.pCount.optional(),
    CRM: openlines_wire_1.pFlag.optional(),
    WELCOME_MESSAGE: openlines_wire_1.pFlag.optional(),
    WELCOME_MESSAGE_TEXT: zod_1.z.string().optional(),
    WELCOME_BOT_ENABLE: openlines_wire_1.pFlag.optional(),
    WELCOME_BOT_JOIN: zod_1.z.enum(['first', 'always']).optional(),
    /** Bot user id; 0 detaches. */
    WELCOME_BOT_ID: openlines_wire_1.pCount.optional(),
    WELCOME_BOT_TIME: openlines_wire_1.pCount.optional(),
    WELCOME_BOT_LEFT: zod_1.z.enum(['queue', 'close']).optional(),
    WORKTIME_ENABLE: openlines_wire_1.pFlag.optional(),
    VOTE_MESSAGE: openlines_wire_1.pFlag.optional(),
});
const TRANSFER_ID = zod_1.z.union([
    zod_1.z.number().int().positive().transform(String),
    zod_1.z.string().regex(/^(\d+|queue\d+)$/, 'expected a user id or queue<ID>'),
]);
const oneOf = (keys) => (p) => keys.some((k) => p[k] !== undefined);
function spec(s) {
    return s;
}
/** Every `imopenlines.*` method: `{ params, result, who, bot, group, doc }`. */
exports.OPENLINES_METHODS = {
    // ---- lines ----
    'imopenlines.config.add': spec({
        params: zod_1.z.strictObject({ PARAMS: lineParams.optional() }),
        result: openlines_wire_1.rNum,
        who: 'admin',
        bot: false,
        group: 'lines',
        doc: 'imopenlines-config-add.html',
    }),
    'imopenlines.config.delete': spec({
        params: zod_1.z.strictObject({ CONFIG_ID: openlines_wire_1.pId }),
        result: openlines_results_1.okResult,
        who: 'admin',
        bot: false,
        group: 'lines',
        doc: 'imopenlines-config-delete.html',
    }),
    'imopenlines.config.get': spec({
        params: zod_1.z.strictObject({
            CONFIG_ID: openlines_wire_1.pId,
            WITH_QUEUE: openlines_wire_1.pFlag.optional(),
            SHOW_OFFLINE: openlines_wire_1.pFlag.optional(),
        }),
        // `false` when the line does not exist.
        result: zod_1.z.union([zod_1.z.literal(false).transform(() => null), openlines_results_1.lineSettingsResult]),
        who: 'user',
        bot: true,
        group: 'lines',
        doc: 'imopenlines-config-get.html',
    }),
    'imopenlines.config.list.get': spec({
        params: zod_1.z.strictObject({
            PARAMS: zod_1.z
                .strictObject({
                select: zod_1.z.array(openlines_wire_1.pText).optional(),
                order: zod_1.z.record(zod_1.z.string(), zod_1.z.enum(['ASC', 'DESC', 'asc', 'desc'])).optional(),
                filter: zod_1.z.record(zod_1.z.string(), zod_1.z.unknown()).optional(),
                limit: zod_1.z.number().int().min(1).max(200).optional(),
                offset: zod_1.z.number().int().nonnegative().optional(),
            })
                .optional(),
            OPTIONS: zod_1.z
                .strictObject({
                QUEUE: openlines_wire_1.pFlag.optional(),
                CONFIG_QUEUE: openlines_wire_1.pFlag.optional(),
                /** A permission action such as `view` (the docs call it a string). */
                CHECK_PERMISSION: openlines_wire_1.pText.optional(),
            })
                .optional(),
        }),
        result: zod_1.z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.values(v) : v), zod_1.z.array(openlines_results_1.lineSettingsResult)),
        who: 'user',
        bot: true,
        group: 'lines',
        doc: 'imopenlines-config-list-get.html',
    }),
    'imopenlines.config.path.get': spec({
        params: none,
        result: openlines_results_1.pathResult,
        who: 'user',
        bot: true,
        group: 'lines',
        doc: 'imopenlines-config-path-get.html',
    }),
    'imopenlines.config.update': spec({
        params: zod_1.z.strictObject({ CONFIG_ID: openlines_wire_1.pId, PARAMS: lineParams }),
        result: openlines_results_1.okResult,
        who: 'admin',
        bot: false,
        group: 'lines',
        doc: 'imopenlines-config-update.html',
    }),
    // ---- network ----
    'imopenlines.network.join': spec({
        params: zod_1.z.strictObject({
            CODE: zod_1.z.string().regex(/^[0-9a-zA-Z]{32}$/, 'expected the 32-character line code'),
        }),
        result: openlines_wire_1.rNum,
        who: 'admin',
        bot: false,
        group: 'network',
        doc: 'imopenlines-network-join.html',
    }),
    'imopenlines.network.message.add': spec({
        params: zod_1.z.strictObject({
            CODE: zod_1.z.string().regex(/^[0-9a-zA-Z]{32}$/, 'expected the 32-character line code'),
            USER_ID: openlines_wire_1.pId,
            MESSAGE: openlines_wire_1.pText,
            ATTACH: zod_1.z.unknown().optional(),
            KEYBOARD: zod_1.z.unknown().optional(),
            URL_PREVIEW: openlines_wire_1.pFlag.optional(),
        }),
        result: openlines_results_1.okResult,
        who: 'app',
        bot: false,
        group: 'network',
        doc: 'imopenlines-network-message-add.html',
    }),
    // ---- revision ----
    'imopenlines.revision.get': spec({
        params: none,
        result: openlines_results_1.revisionResult,
        who: 'user',
        bot: true,
        group: 'revision',
        doc: 'imopenlines-revision-get.html',
    }),
    // ---- bot sessions ----
    'imopenlines.bot.session.finish': spec({
        params: zod_1.z.strictObject({ CHAT_ID: openlines_wire_1.pId, CLIENT_ID: openlines_wire_1.pText.optional() }),
        result: openlines_results_1.okResult,
        who: 'bot',
        bot: true,
        group: 'bot sessions',
        doc: 'chat-bots/imopenlines-bot-session-finish.html',
    }),
    'imopenlines.bot.session.message.send': spec({
        params: zod_1.z
            .strictObject({
            CHAT_ID: openlines_wire_1.pId,
            MESSAGE: zod_1.z.string().optional(),
            /** `DEFAULT` sends `MESSAGE`; `WELCOME` sends the line's greeting. */
            NAME: zod_1.z.enum(['DEFAULT', 'WELCOME']).optional(),
        })
            .refine((p) => p.NAME === 'WELCOME' || (p.MESSAGE ?? '').trim() !== '', {
            message: 'MESSAGE is required unless NAME is WELCOME',
            path: ['MESSAGE'],
        }),
        result: openlines_results_1.okResult,
        who: 'bot',
        bot: true,
        group: 'bot sessions',
        doc: 'chat-bots/imopenlines-bot-session-message-send.html',
    }),
    'imopenlines.bot.session.operator': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'bot',
        bot: true,
        group: 'bot sessions',
        doc: 'chat-bots/imopenlines-bot-session-operator.html',
    }),
    'imopenlines.bot.session.transfer': spec({
        params: zod_1.z
            .strictObject({
            CHAT_ID: openlines_wire_1.pId,
            USER_ID: openlines_wire_1.pId.optional(),
            /** A line (config) id. */
            QUEUE_ID: openlines_wire_1.pId.optional(),
            TRANSFER_ID: TRANSFER_ID.optional(),
            LEAVE: openlines_wire_1.pFlag.optional(),
            CLIENT_ID: openlines_wire_1.pText.optional(),
        })
            .refine(oneOf(['USER_ID', 'QUEUE_ID', 'TRANSFER_ID']), {
            message: 'one of USER_ID, QUEUE_ID or TRANSFER_ID is required',
        }),
        result: openlines_results_1.okResult,
        who: 'bot',
        bot: true,
        group: 'bot sessions',
        doc: 'chat-bots/imopenlines-bot-session-transfer.html',
    }),
    // ---- CRM chats ----
    'imopenlines.crm.chat.getLastId': spec({
        params: zod_1.z.strictObject(crmRef),
        result: openlines_wire_1.rNum,
        who: 'crm',
        bot: true,
        group: 'crm chats',
        doc: 'chats/imopenlines-crm-chat-get-last-id.html',
    }),
    'imopenlines.crm.chat.get': spec({
        params: zod_1.z.strictObject({ ...crmRef, ACTIVE_ONLY: openlines_wire_1.pFlag.optional() }),
        result: openlines_results_1.crmChatsResult,
        who: 'crm',
        bot: true,
        group: 'crm chats',
        doc: 'chats/imopenlines-crm-chat-get.html',
    }),
    'imopenlines.crm.chat.user.add': spec({
        params: zod_1.z.strictObject({ ...crmRef, USER_ID: openlines_wire_1.pId, CHAT_ID: openlines_wire_1.pId.optional() }),
        result: openlines_wire_1.rNum,
        who: 'crm',
        bot: true,
        group: 'crm chats',
        doc: 'chats/imopenlines-crm-chat-user-add.html',
    }),
    'imopenlines.crm.chat.user.delete': spec({
        params: zod_1.z.strictObject({ ...crmRef, USER_ID: openlines_wire_1.pId, CHAT_ID: openlines_wire_1.pId.optional() }),
        result: openlines_wire_1.rNum,
        who: 'crm',
        bot: true,
        group: 'crm chats',
        doc: 'chats/imopenlines-crm-chat-user-delete.html',
    }),
    // ---- messages ----
    'imopenlines.crm.message.add': spec({
        params: zod_1.z.strictObject({ ...crmRef, USER_ID: openlines_wire_1.pId, CHAT_ID: openlines_wire_1.pId, MESSAGE: openlines_wire_1.pText }),
        result: openlines_wire_1.rNum,
        who: 'crm',
        bot: true,
        group: 'messages',
        doc: 'messages/imopenlines-crm-message-add.html',
    }),
    'imopenlines.message.quick.save': spec({
        params: zod_1.z.strictObject({ CHAT_ID: openlines_wire_1.pId, MESSAGE_ID: openlines_wire_1.pId }),
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'quick answers',
        doc: 'messages/imopenlines-message-quick-save.html',
    }),
    // ---- operators ----
    'imopenlines.operator.another.finish': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'operators',
        doc: 'operators/imopenlines-operator-another-finish.html',
    }),
    'imopenlines.operator.answer': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'operators',
        doc: 'operators/imopenlines-operator-answer.html',
    }),
    'imopenlines.operator.finish': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'operators',
        doc: 'operators/imopenlines-operator-finish.html',
    }),
    'imopenlines.operator.skip': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'operators',
        doc: 'operators/imopenlines-operator-skip.html',
    }),
    'imopenlines.operator.spam': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'operators',
        doc: 'operators/imopenlines-operator-spam.html',
    }),
    'imopenlines.operator.transfer': spec({
        params: zod_1.z
            .strictObject({
            CHAT_ID: openlines_wire_1.pId,
            TRANSFER_ID: TRANSFER_ID.optional(),
            USER_ID: openlines_wire_1.pId.optional(),
            QUEUE_ID: openlines_wire_1.pId.optional(),
        })
            .refine(oneOf(['TRANSFER_ID', 'USER_ID', 'QUEUE_ID']), {
            message: 'one of TRANSFER_ID, USER_ID or QUEUE_ID is required',
        }),
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'operators',
        doc: 'operators/imopenlines-operator-transfer.html',
    }),
    // ---- sessions ----
    'imopenlines.crm.lead.create': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-crm-lead-create.html',
    }),
    'imopenlines.dialog.get': spec({
        params: zod_1.z
            .strictObject({
            CHAT_ID: openlines_wire_1.pId.optional(),
            DIALOG_ID: zod_1.z
                .string()
                .regex(/^(chat)?\d+$/, 'expected chat<ID> or a user id')
                .optional(),
            SESSION_ID: openlines_wire_1.pId.optional(),
            USER_CODE: openlines_wire_1.pText.optional(),
        })
            .refine(oneOf(['CHAT_ID', 'DIALOG_ID', 'SESSION_ID', 'USER_CODE']), {
            message: 'one of CHAT_ID, DIALOG_ID, SESSION_ID or USER_CODE is required',
        }),
        result: openlines_results_1.dialogResult,
        who: 'user',
        bot: true,
        group: 'sessions',
        doc: 'sessions/imopenlines-dialog-get.html',
    }),
    'imopenlines.message.session.start': spec({
        params: zod_1.z.strictObject({ CHAT_ID: openlines_wire_1.pId, MESSAGE_ID: openlines_wire_1.pId }),
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-message-session-start.html',
    }),
    'imopenlines.session.head.vote': spec({
        params: zod_1.z.strictObject({
            SESSION_ID: openlines_wire_1.pId,
            RATING: zod_1.z
                .union([zod_1.z.number(), zod_1.z.string().regex(/^\d$/)])
                .transform(Number)
                .pipe(zod_1.z.number().int().min(1).max(5)),
            COMMENT: zod_1.z.string().optional(),
        }),
        result: openlines_results_1.okResult,
        who: 'head',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-head-vote.html',
    }),
    'imopenlines.session.history.get': spec({
        params: zod_1.z
            .strictObject({ CHAT_ID: openlines_wire_1.pId.optional(), SESSION_ID: openlines_wire_1.pId.optional() })
            .refine(oneOf(['CHAT_ID', 'SESSION_ID']), { message: 'CHAT_ID or SESSION_ID is required' }),
        result: openlines_results_1.sessionHistoryResult,
        who: 'user',
        bot: true,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-history-get.html',
    }),
    'imopenlines.session.intercept': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-intercept.html',
    }),
    'imopenlines.session.join': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-join.html',
    }),
    'imopenlines.session.mode.pin': spec({
        params: zod_1.z.strictObject({ CHAT_ID: openlines_wire_1.pId, ACTIVATE: openlines_wire_1.pFlag }),
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-mode-pin.html',
    }),
    'imopenlines.session.mode.pinAll': spec({
        params: none,
        result: openlines_wire_1.rNumList,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-mode-pin-all.html',
    }),
    'imopenlines.session.mode.silent': spec({
        params: zod_1.z.strictObject({ CHAT_ID: openlines_wire_1.pId, ACTIVATE: openlines_wire_1.pFlag }),
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-mode-silent.html',
    }),
    'imopenlines.session.mode.unpinAll': spec({
        params: none,
        result: openlines_wire_1.rNumList,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-mode-unpin-all.html',
    }),
    'imopenlines.session.open': spec({
        params: zod_1.z.strictObject({
            USER_CODE: zod_1.z
                .string()
                .regex(/^[^|]+\|\d+\|[^|]+\|[^|]+$/, 'expected connector|line|chat|user'),
        }),
        result: openlines_results_1.sessionOpenResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-open.html',
    }),
    'imopenlines.session.start': spec({
        params: chatOnly,
        result: openlines_results_1.okResult,
        who: 'operator',
        bot: false,
        group: 'sessions',
        doc: 'sessions/imopenlines-session-start.html',
    }),
};
/** True for a method of the catalogue. */
function isOpenlinesMethod(method) {
    return Object.hasOwn(exports.OPENLINES_METHODS, method);
}
/** The docs page of a method. */
function openlinesDocUrl(method) {
    return exports.OPENLINES_DOCS + exports.OPENLINES_METHODS[method].doc;
}
