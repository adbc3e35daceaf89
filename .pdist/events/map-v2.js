"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.mapV2 = mapV2;
const map_common_1 = require("./map-common");
const open_line_fields_1 = require("./open-line-fields");
const v2_schemas_1 = require("./v2-schemas");
const wire_schema_1 = require("./wire-schema");
function dialogOf(base, chat, user, language, dialogId) {
    const ol = (0, open_line_fields_1.parseOpenLineFields)({
        entityType: chat.entityType,
        entityId: chat.entityId,
        entityData1: chat.entityData1,
        entityData2: chat.entityData2,
        messageType: chat.messageType,
        chatType: chat.type,
    });
    const person = (0, map_common_1.personOf)(user && {
        id: user.id,
        name: user.name,
        firstName: user.firstName,
        lastName: user.lastName,
        gender: user.gender,
        isBot: user.bot,
        isConnector: user.connector,
        isExtranet: user.extranet,
    }, ol);
    const dialog = (0, map_common_1.compact)(base, ol, {
        chatId: chat.id,
        dialogId: chat.dialogId || dialogId || `chat${chat.id}`,
        client: (0, map_common_1.clientOf)(person, ol),
        language: language || undefined,
    });
    return { dialog, person };
}
/** What every v2 event shares: bot, portal, base fields and the dedupe key builder. */
function preludeOf(type, env, ctx, bot) {
    const botAuth = (0, map_common_1.tokensOf)(bot.auth);
    const portal = (0, map_common_1.portalOf)(env.auth, [botAuth], ctx, type);
    const ts = env.ts ?? ctx.ts;
    const base = (0, map_common_1.compact)({
        rawType: type,
        apiVersion: 2,
        delivery: ctx.delivery,
        ts,
        eventId: ctx.eventId,
        portal,
        applicationToken: env.auth?.application_token,
        auth: (0, map_common_1.tokensOf)(env.auth),
        bot: (0, map_common_1.compact)({ id: bot.id, code: bot.code, apiVersion: 2 }),
        botAuth,
    });
    // Fetch items carry a unique, increasing eventId; webhook bodies only their content.
    const key = (...rest) => ctx.delivery === 'fetch' && ctx.eventId !== undefined
        ? `v2f:${portal.memberId}:${bot.id}:${ctx.eventId}`
        : [`v2:${portal.memberId}:${bot.id}:${type}`, ...rest.map((r) => r ?? '-')].join(':');
    return { base, key, ts };
}
function dialogFor(pre, data) {
    return dialogOf(pre.base, data.chat, data.user, data.language, data.dialogId);
}
/**
 * Maps a v2 event to its {@link InboundEvent}; `env.auth` is the top-level `auth` (webhook only).
 * Throws {@link EventValidationError}.
 */
function mapV2(type, env, ctx) {
    const opts = { path: ['data'], eventType: type };
    switch (type) {
        case 'ONIMBOTV2MESSAGEADD':
        case 'ONIMBOTV2MESSAGEUPDATE': {
            const data = (0, wire_schema_1.check)(v2_schemas_1.v2Schemas[type], env.data, opts);
            const pre = preludeOf(type, env, ctx, data.bot);
            const { dialog, person } = dialogFor(pre, data);
            const { message } = data;
            const text = message.text ?? '';
            if (type === 'ONIMBOTV2MESSAGEUPDATE') {
                // An edit repeats the message id: the text tells two edits apart.
                const dedupeKey = pre.key(message.id, (0, map_common_1.shortHash)(text));
                return (0, map_common_1.compact)(dialog, {
                    kind: 'message.edit',
                    messageId: message.id,
                    text,
                    author: person,
                    dedupeKey,
                });
            }
            const params = (message.params ?? {});
            return (0, map_common_1.compact)(dialog, {
                kind: 'message',
                messageId: message.id,
                text,
                files: (0, map_common_1.filesOf)(params.files, params.FILES, params.FILE_ID),
                author: person,
                isSystem: message.isSystem ?? false,
                dedupeKey: pre.key(message.id),
            });
        }
        case 'ONIMBOTV2MESSAGEDELETE': {
            const data = (0, wire_schema_1.check)(v2_schemas_1.v2Schemas[type], env.data, opts);
            const pre = preludeOf(type, env, ctx, data.bot);
            const { dialog } = dialogFor(pre, data);
            return (0, map_common_1.compact)(dialog, {
                kind: 'message.delete',
                messageId: data.messageId,
                dedupeKey: pre.key(data.messageId),
            });
        }
        case 'ONIMBOTV2JOINCHAT': {
            const data = (0, wire_schema_1.check)(v2_schemas_1.v2Schemas[type], env.data, opts);
            const pre = preludeOf(type, env, ctx, data.bot);
            const { dialog, person } = dialogFor(pre, data);
            return (0, map_common_1.compact)(dialog, {
                kind: 'join',
                userId: person?.id,
                dedupeKey: pre.key(dialog.chatId, pre.ts),
            });
        }
        case 'ONIMBOTV2COMMANDADD': {
            const data = (0, wire_schema_1.check)(v2_schemas_1.v2Schemas[type], env.data, opts);
            const pre = preludeOf(type, env, ctx, data.bot);
            const { dialog } = dialogFor(pre, data);
            const { command } = data;
            const params = command.params ?? '';
            const context = (0, map_common_1.commandContextOf)(command.context);
            const messageId = data.message?.id;
            // One message may carry several commands, and a keyboard message can be pressed again.
            const when = context === 'textarea' ? [] : [pre.ts];
            return (0, map_common_1.compact)(dialog, {
                kind: 'command',
                command: command.command.replace(/^\//, ''),
                params,
                commandId: command.id,
                context,
                messageId,
                dedupeKey: pre.key(messageId, command.id, (0, map_common_1.shortHash)(params), ...when),
            });
        }
        case 'ONIMBOTV2REACTIONCHANGE': {
            const data = (0, wire_schema_1.check)(v2_schemas_1.v2Schemas[type], env.data, opts);
            const pre = preludeOf(type, env, ctx, data.bot);
            const { dialog, person } = dialogFor(pre, data);
            const { reaction, action, message } = data;
            const dedupeKey = pre.key(message.id, person?.id, reaction, action, pre.ts);
            return (0, map_common_1.compact)(dialog, {
                kind: 'reaction',
                messageId: message.id,
                reaction,
                action,
                dedupeKey,
            });
        }
        case 'ONIMBOTV2CONTEXTGET': {
            const data = (0, wire_schema_1.check)(v2_schemas_1.v2Schemas[type], env.data, opts);
            const pre = preludeOf(type, env, ctx, data.bot);
            const { dialog } = dialogFor(pre, data);
            const dedupeKey = pre.key(dialog.dialogId, pre.ts);
            return (0, map_common_1.compact)(dialog, {
                kind: 'context',
                context: (0, map_common_1.toPlain)(data.context),
                dedupeKey,
            });
        }
        case 'ONIMBOTV2DELETE': {
            const data = (0, wire_schema_1.check)(v2_schemas_1.v2Schemas[type], env.data, opts);
            const pre = preludeOf(type, env, ctx, data.bot);
            const { botAuth: _auth, ...base } = pre.base;
            return (0, map_common_1.compact)(base, { kind: 'bot.delete', dedupeKey: pre.key() });
        }
    }
}
