"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.openlinesMethods = void 0;
const fault_1 = require("./fault");
const portal_state_1 = require("./portal-state");
const methods_imbot_v1_1 = require("./methods-imbot-v1");
function chatOf(params, ctx) {
    // PHP intval: "chat1777" is 0, so passing a dialog id here fails like on a real portal.
    const chatId = (0, fault_1.intval)(params.CHAT_ID);
    if (chatId <= 0)
        (0, fault_1.fail)('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
    return (0, portal_state_1.chatFor)(ctx.state, chatId);
}
/** transfer/finish act for "the app's bot": CLIENT_ID (v1 client id or v2 botToken) through a webhook. */
function requireAppBot(params, ctx) {
    const bots = [...ctx.state.bots.values()];
    if (ctx.auth === 'oauth') {
        if (!bots.some((b) => b.owner.kind === 'app'))
            (0, fault_1.fail)('BOT_ID_ERROR', 'Bot not found');
        return;
    }
    const key = (0, fault_1.strval)(params.CLIENT_ID);
    if (!key)
        (0, fault_1.fail)('ACCESS_DENIED', 'Client ID not specified');
    if (!bots.some((b) => (0, methods_imbot_v1_1.sameOwner)(b.owner, { kind: 'webhook', key })))
        (0, fault_1.fail)('BOT_ID_ERROR', 'Bot not found');
}
function withHuman(chat) {
    return chat.session === 'operator' || chat.session === 'transferred' || chat.session === 'finished';
}
const messageSend = (params, ctx) => {
    const chat = chatOf(params, ctx);
    const name = (0, fault_1.strval)(params.NAME).toUpperCase() === 'WELCOME' ? 'WELCOME' : 'DEFAULT';
    const line = ctx.state.lines.find((l) => l.ID === chat.lineId);
    const text = name === 'WELCOME' ? (0, fault_1.strval)(line?.WELCOME_MESSAGE_TEXT) : (0, fault_1.strval)(params.MESSAGE).trim();
    // `true` only means "accepted": DEFAULT with an empty text posts nothing.
    if (text)
        (0, portal_state_1.postMessage)(ctx.state, chat, { text, via: ctx.method, author: 'bot', name, at: ctx.now });
    return true;
};
const operator = (params, ctx) => {
    const chat = chatOf(params, ctx);
    if (withHuman(chat))
        (0, fault_1.fail)('WRONG_CHAT', 'Operator is not a bot');
    (0, portal_state_1.setSession)(chat, 'operator', ctx.state);
    const queue = ctx.state.lines.find((l) => l.ID === chat.lineId)?.QUEUE;
    const first = Array.isArray(queue) ? queue[0] : undefined;
    if (first !== undefined)
        chat.operatorId = first;
    return true;
};
const transfer = (params, ctx) => {
    const chat = chatOf(params, ctx);
    requireAppBot(params, ctx);
    if (chat.session === 'operator' || chat.session === 'finished')
        (0, fault_1.fail)('WRONG_CHAT', 'Operator is not a bot');
    const userId = (0, fault_1.intval)(params.USER_ID);
    const lineId = (0, fault_1.intval)(params.QUEUE_ID);
    const transferId = (0, fault_1.strval)(params.TRANSFER_ID);
    const leave = (0, fault_1.boolval)(params.LEAVE);
    if (userId > 0) {
        if (ctx.state.bots.has(userId))
            (0, fault_1.fail)('OPERATOR_WRONG', 'You cannot redirect to this operator');
        chat.transfers.push({ userId, leave, at: ctx.now });
        chat.operatorId = userId;
    }
    else if (lineId > 0) {
        if (!ctx.state.lines.some((l) => l.ID === lineId))
            (0, fault_1.fail)('OPERATOR_WRONG', 'You cannot redirect to this operator');
        chat.transfers.push({ lineId, leave, at: ctx.now });
    }
    else if (transferId) {
        chat.transfers.push({ transferId, leave, at: ctx.now });
    }
    else if (params.USER_ID !== undefined) {
        (0, fault_1.fail)('USER_ID_EMPTY', 'User ID can\'t be empty');
    }
    else if (params.QUEUE_ID !== undefined) {
        (0, fault_1.fail)('QUEUE_ID_EMPTY', 'Queue ID can\'t be empty');
    }
    else {
        (0, fault_1.fail)('TRANSFER_ID_EMPTY', 'Transfer ID can\'t be empty');
    }
    (0, portal_state_1.setSession)(chat, 'transferred', ctx.state);
    return true;
};
const finish = (params, ctx) => {
    const chat = chatOf(params, ctx);
    requireAppBot(params, ctx);
    (0, portal_state_1.setSession)(chat, 'finished', ctx.state);
    return true;
};
const configListGet = (params, ctx) => {
    const options = (0, fault_1.objval)(params.OPTIONS) ?? {};
    const withQueue = (0, fault_1.boolval)(options.QUEUE);
    return ctx.state.lines.map((line) => {
        const { QUEUE, ...rest } = line;
        return withQueue ? { ...rest, QUEUE: (QUEUE ?? []).map(String) } : rest;
    });
};
const dialogGet = (params, ctx) => {
    let chat;
    if ((0, fault_1.intval)(params.CHAT_ID) > 0)
        chat = (0, portal_state_1.chatFor)(ctx.state, (0, fault_1.intval)(params.CHAT_ID));
    else if ((0, fault_1.strval)(params.DIALOG_ID))
        chat = (0, portal_state_1.chatFor)(ctx.state, (0, fault_1.strval)(params.DIALOG_ID));
    else if ((0, fault_1.strval)(params.USER_CODE))
        chat = [...ctx.state.chats.values()].find((c) => c.userCode === (0, fault_1.strval)(params.USER_CODE));
    else if ((0, fault_1.intval)(params.SESSION_ID) > 0)
        chat = [...ctx.state.chats.values()].find((c) => c.sessionId === (0, fault_1.intval)(params.SESSION_ID));
    if (!chat || chat.chatId === null)
        return (0, fault_1.fail)('ACCESS_ERROR', 'You do not have access to the specified dialog');
    const ts = Math.floor(ctx.now / 1000);
    return {
        id: chat.chatId,
        dialog_id: chat.dialogId,
        name: `Client #${chat.chatId}`,
        owner: 0,
        type: 'lines',
        message_type: 'L',
        entity_type: 'LINES',
        entity_id: chat.userCode,
        entity_data_1: `N|NONE|0|N|N|${chat.sessionId}|${ts}|0|0|0`,
        entity_data_2: '',
        entity_data_3: '',
        manager_list: chat.operatorId !== undefined ? [chat.operatorId] : [],
    };
};
const leadAdd = (params, ctx) => {
    const fields = (0, fault_1.objval)(params.FIELDS ?? params.fields) ?? {};
    const id = ++ctx.state.seq.lead;
    ctx.state.leads.push({ id, fields });
    return id;
};
/** Handlers keyed by lower-case method name. */
exports.openlinesMethods = {
    'imopenlines.bot.session.message.send': messageSend,
    'imopenlines.bot.session.operator': operator,
    'imopenlines.bot.session.transfer': transfer,
    'imopenlines.bot.session.finish': finish,
    'imopenlines.config.list.get': configListGet,
    'imopenlines.dialog.get': dialogGet,
    'crm.lead.add': leadAdd,
};
