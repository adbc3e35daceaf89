"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.openlinesMoreMethods = void 0;
exports.bindCrmChat = bindCrmChat;
/**
 * The rest of the Open Lines methods a bot may call, and the line settings: `config.get/add/
 * update/delete/path.get`, `revision.get`, the CRM chat methods and `session.history.get`.
 * Answers keep Bitrix24's wire types (ids and flags as strings). Operator-only methods
 * (`operator.*`, `session.join`, ...) are not served: a bot cannot call them with its own
 * credentials, so the portal answers `ERROR_METHOD_NOT_FOUND` as for any unknown method.
 */
const fault_1 = require("./fault");
const portal_state_1 = require("./portal-state");
/** CRM bindings per portal state: `deal:288` → chat ids, newest last. */
const crmChats = new WeakMap();
function bindingsOf(state) {
    let map = crmChats.get(state);
    if (!map)
        crmChats.set(state, (map = new Map()));
    return map;
}
/** Binds an open-line chat to a CRM object (what the line's CRM integration does on a real portal). */
function bindCrmChat(state, entityType, entityId, chatId) {
    const key = `${entityType.toLowerCase()}:${entityId}`;
    const map = bindingsOf(state);
    const list = map.get(key) ?? [];
    if (!list.includes(chatId))
        list.push(chatId);
    map.set(key, list);
    (0, portal_state_1.chatFor)(state, chatId);
}
const CRM_TYPES = new Set(['lead', 'deal', 'contact', 'company']);
function crmKey(params) {
    const type = (0, fault_1.strval)(params.CRM_ENTITY_TYPE).toLowerCase();
    const id = (0, fault_1.intval)(params.CRM_ENTITY);
    if (!CRM_TYPES.has(type) || id <= 0)
        (0, fault_1.fail)('ERROR_ARGUMENT', 'CRM_ENTITY_TYPE or CRM_ENTITY is wrong');
    return `${type}:${id}`;
}
/** A line as Bitrix24 sends it: every scalar a string. */
function lineWire(line, withQueue) {
    const out = {};
    for (const [k, v] of Object.entries(line)) {
        if (k === 'QUEUE')
            continue;
        out[k] = typeof v === 'number' ? String(v) : v;
    }
    out.WELCOME_BOT_ID ??= '0';
    if (withQueue)
        out.QUEUE = (line.QUEUE ?? []).map(String);
    return out;
}
function lineOf(params, ctx) {
    const id = (0, fault_1.intval)(params.CONFIG_ID);
    if (id <= 0)
        (0, fault_1.fail)('CONFIG_ID_EMPTY', "Config ID can't be empty");
    return ctx.state.lines.find((l) => l.ID === id);
}
const NUMERIC = new Set(['WELCOME_BOT_ID', 'WELCOME_BOT_TIME', 'QUEUE_TIME', 'NO_ANSWER_TIME']);
/** Applies `PARAMS` the way the settings form does: numbers for the numeric keys, the rest as sent. */
function applyParams(line, params) {
    for (const [k, v] of Object.entries(params)) {
        if (k === 'ID')
            continue;
        if (k === 'QUEUE')
            line.QUEUE = (Array.isArray(v) ? v : Object.values((0, fault_1.objval)(v) ?? {}))
                .map(fault_1.intval)
                .filter((n) => n > 0);
        else if (NUMERIC.has(k))
            line[k] = (0, fault_1.intval)(v);
        else
            line[k] = typeof v === 'boolean' ? (v ? 'Y' : 'N') : v;
    }
}
const configGet = (params, ctx) => {
    const line = lineOf(params, ctx);
    return line ? lineWire(line, (0, fault_1.strval)(params.WITH_QUEUE).toUpperCase() === 'Y') : false;
};
const configUpdate = (params, ctx) => {
    const line = lineOf(params, ctx) ?? (0, fault_1.fail)('CONFIG_NOT_FOUND', 'Open line not found');
    const changes = (0, fault_1.objval)(params.PARAMS) ?? (0, fault_1.fail)('PARAMS_EMPTY', "PARAMS can't be empty");
    applyParams(line, changes);
    return true;
};
const configAdd = (params, ctx) => {
    const id = Math.max(0, ...ctx.state.lines.map((l) => l.ID)) + 1;
    const line = { ID: id, LINE_NAME: `Open line ${id}`, ACTIVE: 'Y', QUEUE: [] };
    applyParams(line, (0, fault_1.objval)(params.PARAMS) ?? {});
    ctx.state.lines.push(line);
    return id;
};
const configDelete = (params, ctx) => {
    const line = lineOf(params, ctx) ?? (0, fault_1.fail)('CONFIG_NOT_FOUND', 'Open line not found');
    ctx.state.lines.splice(ctx.state.lines.indexOf(line), 1);
    return true;
};
const chatGetLastId = (params, ctx) => {
    const list = bindingsOf(ctx.state).get(crmKey(params)) ?? [];
    // [inference] the docs show no answer for an object without chats; this portal answers 0.
    return list.length ? list[list.length - 1] : 0;
};
const chatGet = (params, ctx) => {
    const list = bindingsOf(ctx.state).get(crmKey(params)) ?? [];
    const activeOnly = (0, fault_1.strval)(params.ACTIVE_ONLY).toUpperCase() !== 'N';
    return list
        .map((id) => (0, portal_state_1.chatFor)(ctx.state, id))
        .filter((c) => !activeOnly || c.session !== 'finished')
        .map((c) => {
        const connector = c.userCode.split('|')[0] ?? 'livechat';
        return { CHAT_ID: String(c.chatId), CONNECTOR_ID: connector, CONNECTOR_TITLE: connector };
    });
};
function crmChatOf(params, ctx) {
    const list = bindingsOf(ctx.state).get(crmKey(params)) ?? [];
    const wanted = (0, fault_1.intval)(params.CHAT_ID);
    const id = wanted > 0 ? list.find((c) => c === wanted) : list[list.length - 1];
    if (id === undefined)
        (0, fault_1.fail)('CHAT_NOT_FOUND', 'Chat not found');
    return (0, portal_state_1.chatFor)(ctx.state, id);
}
const members = new WeakMap();
const chatUserAdd = (params, ctx) => {
    const chat = crmChatOf(params, ctx);
    const user = (0, fault_1.intval)(params.USER_ID);
    if (user <= 0)
        (0, fault_1.fail)('USER_ID_EMPTY', "User ID can't be empty");
    const set = members.get(chat) ?? new Set();
    set.add(user);
    members.set(chat, set);
    return chat.chatId;
};
const chatUserDelete = (params, ctx) => {
    const chat = crmChatOf(params, ctx);
    members.get(chat)?.delete((0, fault_1.intval)(params.USER_ID));
    return chat.chatId;
};
const crmMessageAdd = (params, ctx) => {
    const chat = crmChatOf(params, ctx);
    const user = (0, fault_1.intval)(params.USER_ID);
    const text = (0, fault_1.strval)(params.MESSAGE).trim();
    if (!text)
        (0, fault_1.fail)('MESSAGE_EMPTY', "Message can't be empty");
    const bot = ctx.state.bots.get(user);
    return (0, portal_state_1.postMessage)(ctx.state, chat, {
        text,
        via: ctx.method,
        author: bot ? 'bot' : 'client',
        ...(bot ? { botId: bot.id } : {}),
        at: ctx.now,
    }).id;
};
/** The client's user id in a chat: the last field of its `connector|line|chat|user` code. */
function clientIdOf(chat) {
    return (0, fault_1.intval)(chat.userCode.split('|')[3]) || (chat.chatId ?? 0) + 1;
}
const historyGet = (params, ctx) => {
    let chat;
    const sessionId = (0, fault_1.intval)(params.SESSION_ID);
    if (sessionId > 0)
        chat = [...ctx.state.chats.values()].find((c) => c.sessionId === sessionId);
    else if ((0, fault_1.intval)(params.CHAT_ID) > 0)
        chat = ctx.state.chats.get(`chat${(0, fault_1.intval)(params.CHAT_ID)}`);
    else
        (0, fault_1.fail)('CHAT_ID', 'Incorrect chat identifier');
    if (!chat || chat.chatId === null)
        return (0, fault_1.fail)('ACCESS_DENIED', 'You do not have access to this conversation', 403);
    const client = clientIdOf(chat);
    const message = {};
    for (const m of chat.messages.filter((x) => !x.deleted)) {
        message[String(m.id)] = {
            id: String(m.id),
            chatid: String(chat.chatId),
            senderid: String(m.author === 'bot' ? (m.botId ?? 0) : client),
            recipientid: chat.dialogId,
            date: new Date(m.at).toISOString().replace('Z', '+00:00'),
            text: m.text,
            textlegacy: m.text,
            params: [],
        };
    }
    const users = {
        [client]: { id: String(client), name: 'Client', connector: true, bot: false, extranet: true },
    };
    for (const m of chat.messages) {
        if (m.botId !== undefined)
            users[m.botId] = {
                id: String(m.botId),
                name: 'Bot',
                connector: false,
                bot: true,
                extranet: false,
            };
    }
    return {
        chatId: chat.chatId,
        canJoin: 'Y',
        canVoteHead: 'N',
        sessionId: chat.sessionId,
        sessionVoteHead: 0,
        sessionCommentHead: null,
        userId: chat.dialogId,
        message,
        usersMessage: { [chat.dialogId]: Object.keys(message).reverse() },
        users,
        openlines: {},
        userInGroup: [],
        chat: {
            [chat.chatId]: {
                id: String(chat.chatId),
                entityType: 'LINES',
                entityId: chat.userCode,
                type: 'lines',
                messageType: 'L',
            },
        },
        files: [],
    };
};
/** Handlers keyed by lower-case method name. */
exports.openlinesMoreMethods = {
    'imopenlines.config.get': configGet,
    'imopenlines.config.update': configUpdate,
    'imopenlines.config.add': configAdd,
    'imopenlines.config.delete': configDelete,
    'imopenlines.config.path.get': () => ({
        SERVER_ADDRESS: 'https://fake.bitrix24.test',
        PUBLIC_PATH: '/online/',
    }),
    'imopenlines.revision.get': () => ({ rest: 2, web: 1, mobile: 1 }),
    'imopenlines.crm.chat.getlastid': chatGetLastId,
    'imopenlines.crm.chat.get': chatGet,
    'imopenlines.crm.chat.user.add': chatUserAdd,
    'imopenlines.crm.chat.user.delete': chatUserDelete,
    'imopenlines.crm.message.add': crmMessageAdd,
    'imopenlines.session.history.get': historyGet,
};
