"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.topAuth = topAuth;
exports.v1Message = v1Message;
exports.v1Join = v1Join;
exports.v1Command = v1Command;
exports.v1MessageEdit = v1MessageEdit;
exports.v1BotDelete = v1BotDelete;
exports.v1AppInstall = v1AppInstall;
exports.v1AppUninstall = v1AppUninstall;
/**
 * v1 wire events (CONTRACT-v1-and-common.md §2), as the objects PHP would `http_build_query`.
 */
const event_builders_shared_1 = require("./event-builders-shared");
function authKeys(r, userId, accessToken, refreshToken) {
    const w = r.w;
    return {
        access_token: accessToken,
        expires: r.ts + 3600,
        expires_in: 3600,
        scope: w.scope,
        domain: w.domain,
        server_endpoint: w.serverEndpoint,
        status: 'L',
        client_endpoint: w.clientEndpoint,
        member_id: w.memberId,
        refresh_token: refreshToken,
        user_id: userId,
    };
}
/** The top-level `auth`: the tokens of whoever triggered the event. */
function topAuth(r, userId) {
    if (r.minimalAuth)
        return { domain: r.w.domain, application_token: r.w.applicationToken };
    const { w } = r;
    return {
        ...authKeys(r, userId, w.userAccessToken, w.userRefreshToken),
        application_token: w.applicationToken,
    };
}
/** `data[BOT][<id>]` (and the bot keys of `data[COMMAND][<id>]`). */
function botKeys(r) {
    const { w } = r;
    const auth = {
        ...authKeys(r, w.botId, w.botAccessToken, w.botRefreshToken),
        client_id: w.appClientId,
        application_token: w.applicationToken,
    };
    return { ...auth, AUTH: auth, BOT_ID: w.botId, BOT_CODE: w.botCode };
}
function user(p, connectorFlags) {
    const base = {
        ID: p.id,
        NAME: p.name,
        FIRST_NAME: p.firstName,
        LAST_NAME: p.lastName,
        WORK_POSITION: '',
        GENDER: p.gender,
    };
    if (!connectorFlags)
        return base;
    const yn = (b) => (b ? 'Y' : 'N');
    return {
        ...base,
        IS_BOT: yn(p.isBot),
        IS_CONNECTOR: yn(p.isConnector),
        IS_NETWORK: 'N',
        IS_EXTRANET: yn(p.isConnector),
    };
}
/** Chat fields of a message-like `PARAMS`: open line (group-like) or private dialog. */
function chatParams(r, author) {
    if (!r.openLine) {
        return {
            MESSAGE_TYPE: 'P',
            FROM_USER_ID: author.id,
            DIALOG_ID: r.dialogId,
            TO_CHAT_ID: r.chatId,
            TO_USER_ID: r.w.botId,
        };
    }
    return {
        MESSAGE_TYPE: 'L',
        FROM_USER_ID: author.id,
        DIALOG_ID: r.dialogId,
        TO_CHAT_ID: r.chatId,
        AUTHOR_ID: author.id,
        CHAT_ID: r.chatId,
        CHAT_TITLE: `${r.client.name} - ${r.w.lineName}`,
        CHAT_AUTHOR_ID: 0,
        CHAT_TYPE: 'L',
        CHAT_ENTITY_TYPE: 'LINES',
        CHAT_ENTITY_ID: r.entityId,
        CHAT_ENTITY_DATA_1: r.entityData1,
        CHAT_ENTITY_DATA_2: r.entityData2,
        CHAT_ENTITY_DATA_3: '',
        TO_USER_ID: 0,
    };
}
function envelope(event, r, data, userId) {
    return { event, event_handler_id: 403, data, ts: r.ts, auth: topAuth(r, userId) };
}
function filesParams(files) {
    if (!files || files.length === 0)
        return {};
    const map = {};
    for (const f of files) {
        map[f.id] = {
            id: f.id,
            chatId: 0,
            name: f.name ?? `file${f.id}`,
            type: f.type ?? 'file',
            size: f.size ?? 0,
            extension: f.extension ?? '',
            urlDownload: f.urlDownload ?? '',
        };
    }
    return { FILES: map, FILE_ID: files.map((f) => f.id) };
}
function v1Message(r, o, messageId) {
    const author = (0, event_builders_shared_1.personOf)(r, o.author);
    const params = {
        MESSAGE: o.text,
        TEMPLATE_ID: `00000000-0000-4000-8000-${String(messageId).padStart(12, '0')}`,
        ...chatParams(r, author),
        SYSTEM: o.system ? 'Y' : 'N',
        ...filesParams(o.files),
        COMMAND_CONTEXT: 'TEXTAREA',
        MESSAGE_ORIGINAL: o.text,
        MESSAGE_ID: messageId,
        LANGUAGE: r.w.language,
    };
    const data = { BOT: { [r.w.botId]: botKeys(r) }, PARAMS: params, USER: user(author, true) };
    return envelope('ONIMBOTMESSAGEADD', r, data, author.id);
}
function v1Join(r, o) {
    const who = o.userId !== undefined ? (0, event_builders_shared_1.personOf)(r, { id: o.userId }) : r.client;
    const params = r.openLine
        ? {
            CHAT_TYPE: 'L',
            MESSAGE_TYPE: 'L',
            BOT_ID: r.w.botId,
            USER_ID: who.id,
            CHAT_ID: r.chatId,
            CHAT_AUTHOR_ID: 0,
            CHAT_ENTITY_TYPE: 'LINES',
            CHAT_ENTITY_ID: r.entityId,
            ACCESS_HISTORY: 1,
            DIALOG_ID: r.dialogId,
            LANGUAGE: r.w.language,
        }
        : {
            CHAT_TYPE: 'P',
            MESSAGE_TYPE: 'P',
            BOT_ID: r.w.botId,
            USER_ID: who.id,
            DIALOG_ID: r.dialogId,
            TO_CHAT_ID: r.chatId,
            TO_USER_ID: r.w.botId,
            FROM_USER_ID: r.w.botId,
            LANGUAGE: r.w.language,
        };
    if (o.withoutUser && r.openLine) {
        const data = { BOT: { [r.w.botId]: botKeys(r) }, PARAMS: { ...params, USER_ID: 0 } };
        return envelope('ONIMBOTJOINCHAT', r, data, r.client.id);
    }
    const data = { BOT: { [r.w.botId]: botKeys(r) }, PARAMS: params, USER: user(who, false) };
    return envelope('ONIMBOTJOINCHAT', r, data, who.id);
}
function v1Command(r, o, messageId) {
    const w = r.w;
    const context = o.context ?? 'keyboard';
    const commandId = o.commandId ?? w.commandId;
    const params = o.params ?? '';
    const typed = `/${o.command}${params ? ` ${params}` : ''}`;
    const entry = {
        ...botKeys(r),
        COMMAND: o.command,
        COMMAND_ID: commandId,
        COMMAND_PARAMS: params,
        COMMAND_CONTEXT: context.toUpperCase(),
        MESSAGE_ID: messageId,
    };
    const author = r.client;
    const data = {
        COMMAND: { [commandId]: entry },
        PARAMS: {
            MESSAGE: context === 'textarea' ? typed : '',
            ...chatParams(r, author),
            SYSTEM: 'N',
            MESSAGE_ID: messageId,
            LANGUAGE: w.language,
        },
        USER: {
            ID: author.id,
            NAME: author.name,
            FIRST_NAME: author.firstName,
            LAST_NAME: author.lastName,
            GENDER: author.gender,
        },
    };
    return envelope('ONIMCOMMANDADD', r, data, author.id);
}
function v1MessageEdit(event, r, o) {
    const author = (0, event_builders_shared_1.personOf)(r, o.author);
    const text = 'text' in o ? o.text : `Message from ${author.name} has been deleted.`;
    const chat = chatParams(r, author);
    const params = {
        ID: o.messageId,
        CHAT_ID: r.chatId,
        AUTHOR_ID: author.id,
        MESSAGE: text,
        ...chat,
        MESSAGE_ORIGINAL: text,
        MESSAGE_ID: o.messageId,
        LANGUAGE: r.w.language,
    };
    const data = { BOT: { [r.w.botId]: botKeys(r) }, PARAMS: params, USER: user(author, true) };
    return envelope(event, r, data, author.id);
}
function v1BotDelete(r) {
    const { refresh_token: _r, ...auth } = topAuth(r, r.w.adminUserId);
    return {
        event: 'ONIMBOTDELETE',
        event_handler_id: 405,
        data: { BOT_ID: r.w.botId, BOT_CODE: r.w.botCode },
        ts: r.ts,
        auth,
    };
}
function v1AppInstall(r, o) {
    const data = {
        VERSION: o.version ?? '1',
        ACTIVE: 'Y',
        INSTALLED: 'Y',
        LANGUAGE_ID: r.w.language,
    };
    return { event: 'ONAPPINSTALL', data, ts: r.ts, auth: topAuth(r, r.w.adminUserId) };
}
function v1AppUninstall(r, o) {
    const { w } = r;
    const auth = {
        domain: w.domain,
        server_endpoint: w.serverEndpoint,
        client_endpoint: w.clientEndpoint,
        member_id: w.memberId,
        application_token: w.applicationToken,
    };
    return {
        event: 'ONAPPUNINSTALL',
        data: { LANGUAGE_ID: w.language, CLEAN: o.clean ? 1 : 0 },
        ts: r.ts,
        auth,
    };
}
