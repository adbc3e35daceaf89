"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.mapV1 = mapV1;
/**
 * v1 events (`ONIMBOT*`, `ONIMCOMMANDADD`, `ONAPP*`) → {@link InboundEvent}.
 */
const event_validation_error_1 = require("./event-validation-error");
const map_common_1 = require("./map-common");
const open_line_fields_1 = require("./open-line-fields");
const v1_schemas_1 = require("./v1-schemas");
const wire_schema_1 = require("./wire-schema");
function entryTokens(entry) {
    return (0, map_common_1.mergeTokens)((0, map_common_1.tokensOf)(entry), (0, map_common_1.tokensOf)(entry.AUTH));
}
function baseOf(type, env, ctx, portal) {
    return {
        rawType: type,
        apiVersion: 1,
        delivery: ctx.delivery,
        ts: env.ts ?? ctx.ts,
        portal,
        applicationToken: env.auth?.application_token,
        auth: (0, map_common_1.tokensOf)(env.auth),
    };
}
/** `data[BOT]` is keyed by bot id; the lowest id wins when several bots are listed. */
function firstBot(map) {
    const [key, entry] = Object.entries(map)[0];
    return { id: entry.BOT_ID ?? Number(key), entry };
}
function dialogOf(type, env, ctx, bot, params, user, 
/** A join may carry no `data[USER]` (real-payloads 01): its client is then named by `CHAT_ENTITY_ID`. */
clientFromEntity = false) {
    const chatId = params.CHAT_ID || params.TO_CHAT_ID || (0, map_common_1.chatIdOfDialog)(params.DIALOG_ID);
    if (!chatId) {
        const issue = (0, event_validation_error_1.eventIssue)('expected CHAT_ID, TO_CHAT_ID or a chat<ID> DIALOG_ID', [
            'data',
            'PARAMS',
            'CHAT_ID',
        ]);
        throw new event_validation_error_1.EventValidationError([issue], { eventType: type });
    }
    const ol = (0, open_line_fields_1.parseOpenLineFields)({
        entityType: params.CHAT_ENTITY_TYPE,
        entityId: params.CHAT_ENTITY_ID,
        entityData1: params.CHAT_ENTITY_DATA_1,
        entityData2: params.CHAT_ENTITY_DATA_2,
        messageType: params.MESSAGE_TYPE,
        chatType: params.CHAT_TYPE,
    });
    const person = (0, map_common_1.personOf)(user && {
        id: user.ID,
        name: user.NAME,
        firstName: user.FIRST_NAME,
        lastName: user.LAST_NAME,
        gender: user.GENDER,
        isBot: user.IS_BOT,
        isConnector: user.IS_CONNECTOR,
        isExtranet: user.IS_EXTRANET,
    }, ol);
    const portal = (0, map_common_1.portalOf)(env.auth, [bot.tokens], ctx, type);
    const dialog = (0, map_common_1.compact)(baseOf(type, env, ctx, portal), ol, {
        bot: (0, map_common_1.compact)({ id: bot.id, code: bot.code, apiVersion: 1 }),
        botAuth: bot.tokens,
        chatId,
        dialogId: params.DIALOG_ID,
        client: !person && clientFromEntity ? (0, map_common_1.clientOfEntity)(ol) : (0, map_common_1.clientOf)(person, ol),
        language: params.LANGUAGE || undefined,
    });
    return { dialog, person };
}
function botOf(map) {
    const { id, entry } = firstBot(map);
    return { id, code: entry.BOT_CODE, tokens: entryTokens(entry) };
}
/**
 * Maps a validated v1 envelope to its {@link InboundEvent}. Throws {@link EventValidationError}.
 */
function mapV1(type, env, ctx) {
    const opts = { path: ['data'], eventType: type };
    const key = (botId, memberId, ...rest) => [`v1:${memberId}:${botId}:${type}`, ...rest.map((r) => r ?? '-')].join(':');
    switch (type) {
        case 'ONIMBOTMESSAGEADD': {
            const data = (0, wire_schema_1.check)(v1_schemas_1.v1Schemas[type], env.data, opts);
            const p = data.PARAMS;
            const bot = botOf(data.BOT);
            const { dialog, person } = dialogOf(type, env, ctx, bot, p, data.USER);
            return (0, map_common_1.compact)(dialog, {
                kind: 'message',
                messageId: p.MESSAGE_ID,
                text: p.MESSAGE ?? '',
                files: (0, map_common_1.filesOf)(p.FILES, p.FILE_ID),
                author: person,
                isSystem: p.SYSTEM ?? false,
                dedupeKey: key(bot.id, dialog.portal.memberId, p.MESSAGE_ID),
            });
        }
        case 'ONIMBOTMESSAGEUPDATE':
        case 'ONIMBOTMESSAGEDELETE': {
            const data = (0, wire_schema_1.check)(v1_schemas_1.v1Schemas[type], env.data, opts);
            const p = data.PARAMS;
            const bot = botOf(data.BOT);
            const { dialog, person } = dialogOf(type, env, ctx, bot, p, data.USER);
            const messageId = (p.MESSAGE_ID ?? p.ID);
            const m = dialog.portal.memberId;
            if (type === 'ONIMBOTMESSAGEDELETE') {
                return (0, map_common_1.compact)(dialog, {
                    kind: 'message.delete',
                    messageId,
                    dedupeKey: key(bot.id, m, messageId),
                });
            }
            const text = p.MESSAGE ?? '';
            // An edit repeats the message id: the text tells two edits apart.
            const dedupeKey = key(bot.id, m, messageId, (0, map_common_1.shortHash)(text));
            return (0, map_common_1.compact)(dialog, {
                kind: 'message.edit',
                messageId,
                text,
                author: person,
                dedupeKey,
            });
        }
        case 'ONIMBOTJOINCHAT': {
            const data = (0, wire_schema_1.check)(v1_schemas_1.v1Schemas[type], env.data, opts);
            const bot = botOf(data.BOT);
            const p = data.PARAMS;
            if (!p.CHAT_ID && !p.TO_CHAT_ID && /^\d+$/.test(p.DIALOG_ID)) {
                // A private dialog names only the user (`DIALOG_ID=27`): no chat id to key a dialog on.
                const portal = (0, map_common_1.portalOf)(env.auth, [bot.tokens], ctx, type);
                const user = (0, map_common_1.personOf)(data.USER && {
                    id: data.USER.ID,
                    name: data.USER.NAME,
                    firstName: data.USER.FIRST_NAME,
                    lastName: data.USER.LAST_NAME,
                    gender: data.USER.GENDER,
                    isBot: data.USER.IS_BOT,
                    isConnector: data.USER.IS_CONNECTOR ?? false,
                    isExtranet: data.USER.IS_EXTRANET,
                }, { isOpenLine: false, crm: {} });
                return (0, map_common_1.compact)(baseOf(type, env, ctx, portal), {
                    kind: 'join.private',
                    bot: (0, map_common_1.compact)({ id: bot.id, code: bot.code, apiVersion: 1 }),
                    dialogId: p.DIALOG_ID,
                    userId: p.USER_ID || user?.id,
                    user,
                    language: p.LANGUAGE || undefined,
                    dedupeKey: key(bot.id, portal.memberId, `u${p.DIALOG_ID}`, env.ts ?? ctx.ts),
                });
            }
            const { dialog, person } = dialogOf(type, env, ctx, bot, p, data.USER, true);
            return (0, map_common_1.compact)(dialog, {
                kind: 'join',
                // `USER_ID=0` (a line that put the bot in by itself) names nobody.
                userId: data.PARAMS.USER_ID || person?.id,
                dedupeKey: key(bot.id, dialog.portal.memberId, dialog.chatId, dialog.ts),
            });
        }
        case 'ONIMCOMMANDADD': {
            const data = (0, wire_schema_1.check)(v1_schemas_1.v1Schemas[type], env.data, opts);
            const [cmdKey, entry] = Object.entries(data.COMMAND)[0];
            const tokens = (0, map_common_1.mergeTokens)((0, map_common_1.tokensOf)(entry), (0, map_common_1.tokensOf)(entry.AUTH));
            const bot = { id: entry.BOT_ID, code: entry.BOT_CODE, tokens };
            const { dialog } = dialogOf(type, env, ctx, bot, data.PARAMS, data.USER);
            const commandId = entry.COMMAND_ID ?? Number(cmdKey);
            const messageId = entry.MESSAGE_ID ?? data.PARAMS.MESSAGE_ID;
            const params = entry.COMMAND_PARAMS ?? '';
            const context = (0, map_common_1.commandContextOf)(entry.COMMAND_CONTEXT);
            // A keyboard message can be pressed many times: its message id alone is not unique.
            const when = context === 'textarea' ? [] : [dialog.ts];
            return (0, map_common_1.compact)(dialog, {
                kind: 'command',
                command: entry.COMMAND.replace(/^\//, ''),
                params,
                commandId,
                context,
                messageId,
                dedupeKey: key(bot.id, dialog.portal.memberId, commandId, messageId, (0, map_common_1.shortHash)(params), ...when),
            });
        }
        case 'ONIMBOTDELETE': {
            const data = (0, wire_schema_1.check)(v1_schemas_1.v1Schemas.ONIMBOTDELETE, env.data, opts);
            const portal = (0, map_common_1.portalOf)(env.auth, [], ctx, type);
            return (0, map_common_1.compact)(baseOf(type, env, ctx, portal), {
                kind: 'bot.delete',
                bot: (0, map_common_1.compact)({ id: data.BOT_ID, code: data.BOT_CODE, apiVersion: 1 }),
                dedupeKey: key(data.BOT_ID, portal.memberId),
            });
        }
        case 'ONAPPINSTALL': {
            const data = (0, wire_schema_1.check)(v1_schemas_1.v1Schemas.ONAPPINSTALL, env.data, opts);
            const portal = (0, map_common_1.portalOf)(env.auth, [], ctx, type);
            return (0, map_common_1.compact)(baseOf(type, env, ctx, portal), {
                kind: 'app.install',
                version: data?.VERSION,
                language: data?.LANGUAGE_ID,
                dedupeKey: key(0, portal.memberId, env.ts),
            });
        }
        case 'ONAPPUNINSTALL': {
            const data = (0, wire_schema_1.check)(v1_schemas_1.v1Schemas.ONAPPUNINSTALL, env.data, opts);
            const portal = (0, map_common_1.portalOf)(env.auth, [], ctx, type);
            return (0, map_common_1.compact)(baseOf(type, env, ctx, portal), {
                kind: 'app.uninstall',
                clean: data?.CLEAN ?? false,
                dedupeKey: key(0, portal.memberId, env.ts),
            });
        }
    }
}
