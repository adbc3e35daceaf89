"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.iso = iso;
exports.v2Bot = v2Bot;
exports.v2MessageData = v2MessageData;
exports.v2MessageUpdateData = v2MessageUpdateData;
exports.v2MessageDeleteData = v2MessageDeleteData;
exports.v2JoinData = v2JoinData;
exports.v2CommandData = v2CommandData;
exports.v2ReactionData = v2ReactionData;
exports.v2ContextGetData = v2ContextGetData;
exports.v2BotDeleteData = v2BotDeleteData;
/**
 * v2 events (CONTRACT-v2.md §3) as JSON-typed `data` objects: sent as they are in a fetch item,
 * or form-encoded (all strings) in a webhook body.
 */
const event_builders_shared_1 = require("./event-builders-shared");
/** ISO 8601 with an offset, as the v2 docs show dates. */
function iso(ts) {
    return new Date(ts * 1000).toISOString().replace('.000Z', '+00:00');
}
/** Fetch mode: the full Bot object, no auth. Webhook mode: `{id, code, auth}`. */
function v2Bot(r, mode) {
    const { w } = r;
    if (mode === 'webhook') {
        const auth = {
            access_token: w.botAccessToken,
            expires: r.ts + 3600,
            expires_in: 3600,
            scope: w.scope,
            domain: w.domain,
            server_endpoint: w.serverEndpoint,
            status: 'L',
            client_endpoint: w.clientEndpoint,
            member_id: w.memberId,
            refresh_token: w.botRefreshToken,
            user_id: w.botId,
            client_id: w.appClientId,
            application_token: w.applicationToken,
        };
        return { id: w.botId, code: w.botCode, auth };
    }
    return {
        id: w.botId,
        code: w.botCode,
        type: 'openline',
        isHidden: false,
        isSupportOpenline: true,
        isReactionsEnabled: true,
        backgroundId: null,
        language: w.language,
        moduleId: 'rest',
        eventMode: 'fetch',
        countMessage: 150,
        countCommand: 3,
        countChat: 12,
        countUser: 45,
    };
}
function chat(r) {
    if (!r.openLine) {
        return {
            id: r.chatId,
            dialogId: r.dialogId,
            type: 'private',
            messageType: 'P',
            name: '',
            entityType: '',
            owner: 0,
        };
    }
    return {
        id: r.chatId,
        dialogId: r.dialogId,
        type: 'lines',
        messageType: 'L',
        name: `${r.client.name} - ${r.w.lineName}`,
        entityType: 'LINES',
        entityId: r.entityId,
        entityLink: { type: 'LINES', url: '', id: r.entityId },
        entityData1: r.entityData1,
        entityData2: r.entityData2,
        entityData3: '',
        owner: 0,
        avatar: '',
        color: '#ab7761',
        extranet: true,
        textFieldEnabled: true,
    };
}
function user(p) {
    return {
        id: p.id,
        active: true,
        name: p.name,
        firstName: p.firstName,
        lastName: p.lastName,
        workPosition: '',
        avatar: '',
        gender: p.gender,
        extranet: p.isConnector,
        bot: p.isBot,
        connector: p.isConnector,
        externalAuthId: p.isConnector ? 'imconnector' : 'default',
        status: 'online',
        idle: false,
        absent: false,
        departments: [],
        phones: false,
        type: p.isBot ? 'bot' : p.isConnector ? 'extranet' : 'employee',
    };
}
function message(r, id, authorId, text, files) {
    const params = files?.length ? { files: files.map((f) => ({ ...f })) } : {};
    return {
        id,
        chatId: r.chatId,
        authorId,
        date: iso(r.ts),
        text,
        isSystem: false,
        uuid: '',
        forward: null,
        params,
        viewedByOthers: false,
    };
}
function dialog(r, mode, who) {
    return { bot: v2Bot(r, mode), chat: chat(r), user: user(who) };
}
function v2MessageData(r, mode, o, id) {
    const author = (0, event_builders_shared_1.personOf)(r, o.author);
    return {
        ...dialog(r, mode, author),
        message: message(r, id, author.id, o.text, o.files),
        language: r.w.language,
    };
}
function v2MessageUpdateData(r, mode, o) {
    const author = (0, event_builders_shared_1.personOf)(r, o.author);
    return {
        ...dialog(r, mode, author),
        message: message(r, o.messageId, author.id, o.text),
        language: r.w.language,
    };
}
function v2MessageDeleteData(r, mode, o) {
    return {
        ...dialog(r, mode, (0, event_builders_shared_1.personOf)(r, o.author)),
        messageId: o.messageId,
        language: r.w.language,
    };
}
function v2JoinData(r, mode) {
    return {
        bot: v2Bot(r, mode),
        dialogId: r.dialogId,
        chat: chat(r),
        user: user(r.client),
        language: r.w.language,
    };
}
function v2CommandData(r, mode, o, id) {
    const context = o.context ?? 'keyboard';
    const params = o.params ?? '';
    const typed = context === 'textarea';
    const text = typed ? `/${o.command}${params ? ` ${params}` : ''}` : 'Choose an option';
    // A button press refers to the bot's keyboard message; a typed command to the client's one.
    const msg = message(r, id, typed ? r.client.id : r.w.botId, text);
    return {
        ...dialog(r, mode, r.client),
        command: { id: o.commandId ?? r.w.commandId, command: `/${o.command}`, params, context },
        message: msg,
        language: r.w.language,
    };
}
function v2ReactionData(r, mode, o, id) {
    return {
        ...dialog(r, mode, r.client),
        reaction: o.reaction ?? 'like',
        action: o.action ?? 'add',
        message: message(r, id, r.w.botId, 'How did we do?'),
        language: r.w.language,
    };
}
function v2ContextGetData(r, mode, o) {
    const context = o.context ?? { entityId: 164, entityType: 'task', source: 'link' };
    return {
        bot: v2Bot(r, mode),
        dialogId: r.dialogId,
        context,
        chat: chat(r),
        user: user(r.client),
        language: r.w.language,
    };
}
function v2BotDeleteData(r, mode) {
    return { bot: v2Bot(r, mode) };
}
