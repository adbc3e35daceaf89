"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.imbotV2Methods = void 0;
exports.ownedBot = ownedBot;
const fault_1 = require("./fault");
const portal_state_1 = require("./portal-state");
const methods_imbot_v1_1 = require("./methods-imbot-v1");
const BOT_TYPES = new Set(['bot', 'supervisor', 'personal', 'openline', 'network']);
const MAX_TEXT = 20_000;
function tokenOf(value, ctx) {
    if (ctx.auth === 'oauth')
        return { kind: 'app' };
    const key = (0, fault_1.strval)(value);
    if (!key)
        (0, fault_1.fail)('BOT_TOKEN_NOT_SPECIFIED', 'Bot token is not specified');
    return { kind: 'webhook', key };
}
/** Resolves `botId` and checks that the caller (OAuth app, or webhook + `botToken`) owns the bot. */
function ownedBot(params, ctx) {
    const owner = tokenOf(params.botToken, ctx);
    const id = (0, fault_1.intval)(params.botId);
    if (id <= 0)
        (0, fault_1.fail)('BOT_ID_REQUIRED', 'Bot ID is required');
    const bot = ctx.state.bots.get(id) ?? (0, fault_1.fail)('BOT_NOT_FOUND', 'Bot not found');
    if (!(0, methods_imbot_v1_1.sameOwner)(bot.owner, owner))
        (0, fault_1.fail)('BOT_OWNERSHIP_ERROR', 'The bot belongs to another application', 403);
    return bot;
}
function botView(bot) {
    return {
        bot: {
            id: bot.id,
            code: bot.code,
            type: bot.type,
            isHidden: (0, fault_1.boolval)(bot.properties.isHidden),
            isSupportOpenline: bot.openline,
            isReactionsEnabled: true,
            backgroundId: null,
            language: 'en',
            moduleId: 'rest',
            eventMode: bot.eventMode ?? 'fetch',
            countMessage: 0,
            countCommand: bot.commands.length,
            countChat: 0,
            countUser: 0,
        },
        users: [{ id: bot.id, active: true, name: (0, fault_1.strval)(bot.properties.name ?? bot.properties.NAME), bot: true, type: 'bot' }],
    };
}
function checkDelivery(fields, fallback) {
    const eventMode = fields.eventMode === undefined ? (fallback ?? 'fetch') : (0, fault_1.strval)(fields.eventMode);
    if (eventMode !== 'fetch' && eventMode !== 'webhook')
        (0, fault_1.fail)('BOT_INVALID_EVENT_MODE', 'Invalid event mode');
    const url = (0, fault_1.strval)(fields.webhookUrl);
    if (eventMode === 'webhook' && !url && fields.webhookUrl === undefined && fallback !== 'webhook') {
        (0, fault_1.fail)('BOT_WEBHOOK_URL_REQUIRED', 'webhookUrl is required for the webhook event mode');
    }
    if (url && !/^https?:\/\/[^\s/]+/i.test(url))
        (0, fault_1.fail)('BOT_INVALID_CALLBACK', 'Invalid webhook URL');
    return { eventMode, ...(url ? { webhookUrl: url } : {}) };
}
function checkToken(token) {
    if (token.length > 40)
        (0, fault_1.fail)('BOT_TOKEN_INVALID_LENGTH', 'Bot token must not be longer than 40 characters');
}
const register = (params, ctx) => {
    const fields = (0, fault_1.objval)(params.fields) ?? {};
    const owner = tokenOf(fields.botToken, ctx);
    if (owner.kind === 'webhook')
        checkToken(owner.key);
    const code = (0, fault_1.strval)(fields.code);
    if (!code)
        (0, fault_1.fail)('BOT_CODE_REQUIRED', 'Bot code is required');
    const properties = (0, fault_1.objval)(fields.properties);
    if (!properties || !(0, fault_1.strval)(properties.name))
        (0, fault_1.fail)('BOT_PROPERTIES_REQUIRED', 'Bot properties are required');
    const type = fields.type === undefined ? 'bot' : (0, fault_1.strval)(fields.type);
    if (!BOT_TYPES.has(type))
        (0, fault_1.fail)('BOT_INVALID_TYPE', 'Invalid bot type');
    const delivery = checkDelivery(fields, undefined);
    const existing = [...ctx.state.bots.values()].find((b) => b.code === code);
    if (existing) {
        if (!(0, methods_imbot_v1_1.sameOwner)(existing.owner, owner))
            (0, fault_1.fail)('BOT_CODE_ALREADY_TAKEN', 'Bot code is already taken');
        return botView(existing);
    }
    if ([...ctx.state.bots.values()].filter((b) => (0, methods_imbot_v1_1.sameOwner)(b.owner, owner)).length >= 100) {
        (0, fault_1.fail)('BOT_LIMIT_EXCEEDED', 'Bot limit exceeded');
    }
    const bot = {
        id: ++ctx.state.seq.bot,
        code,
        apiVersion: 2,
        type,
        openline: type === 'openline' || (0, fault_1.boolval)(fields.isSupportOpenline),
        owner,
        properties: { ...properties, ...(fields.isHidden !== undefined ? { isHidden: fields.isHidden } : {}) },
        ...delivery,
        handlers: {},
        commands: [],
    };
    ctx.state.bots.set(bot.id, bot);
    return botView(bot);
};
const update = (params, ctx) => {
    const bot = ownedBot(params, ctx);
    const fields = (0, fault_1.objval)(params.fields) ?? {};
    Object.assign(bot, checkDelivery(fields, bot.eventMode));
    if (fields.eventMode === 'fetch')
        delete bot.webhookUrl;
    const props = (0, fault_1.objval)(fields.properties);
    if (props)
        bot.properties = { ...bot.properties, ...props };
    if (fields.isSupportOpenline !== undefined)
        bot.openline = (0, fault_1.boolval)(fields.isSupportOpenline);
    const newToken = (0, fault_1.strval)(fields.botToken);
    if (newToken && bot.owner.kind === 'webhook') {
        checkToken(newToken);
        bot.owner = { kind: 'webhook', key: newToken };
    }
    return botView(bot);
};
const unregister = (params, ctx) => {
    const bot = ownedBot(params, ctx);
    ctx.state.bots.delete(bot.id);
    ctx.state.events.delete(bot.id);
    ctx.state.acked.delete(bot.id);
    return true;
};
const get = (params, ctx) => {
    tokenOf(params.botToken, ctx);
    const id = (0, fault_1.intval)(params.botId);
    const code = (0, fault_1.strval)(params.code);
    if (id <= 0 && !code)
        (0, fault_1.fail)('PARAMS_REQUIRED', 'botId or code is required');
    const bot = id > 0 ? ctx.state.bots.get(id) : [...ctx.state.bots.values()].find((b) => b.code === code);
    return botView(bot ?? (0, fault_1.fail)('BOT_NOT_FOUND', 'Bot not found'));
};
const list = (params, ctx) => {
    tokenOf(params.botToken, ctx);
    const type = (0, fault_1.strval)((0, fault_1.objval)(params.filter)?.type);
    const limit = (0, fault_1.intval)(params.limit) > 0 ? (0, fault_1.intval)(params.limit) : 50;
    const offset = Math.max(0, (0, fault_1.intval)(params.offset));
    const all = [...ctx.state.bots.values()].filter((b) => !type || b.type === type);
    const page = all.slice(offset, offset + limit).map(botView);
    return { bots: page.map((p) => p.bot), users: page.flatMap((p) => p.users), hasNextPage: offset + limit < all.length };
};
const messageSend = (params, ctx) => {
    const bot = ownedBot(params, ctx);
    const dialogId = (0, fault_1.strval)(params.dialogId);
    // [inference] the method page names no code for a missing dialogId; v2 uses *_REQUIRED codes.
    if (!dialogId)
        (0, fault_1.fail)('DIALOG_ID_REQUIRED', 'dialogId is required');
    const fields = (0, fault_1.objval)(params.fields) ?? {};
    let text = (0, fault_1.strval)(fields.message).trim();
    if (!text && fields.attach === undefined)
        (0, fault_1.fail)('EMPTY_MESSAGE', 'Message is empty');
    if (text.length > MAX_TEXT)
        text = `${text.slice(0, MAX_TEXT)} (...)`;
    const keyboard = (0, portal_state_1.normalizeKeyboard)(fields.keyboard);
    const message = (0, portal_state_1.postMessage)(ctx.state, (0, portal_state_1.chatFor)(ctx.state, dialogId), {
        text,
        via: ctx.method,
        author: 'bot',
        botId: bot.id,
        at: ctx.now,
        ...(keyboard ? { keyboard } : {}),
        ...(fields.attach !== undefined ? { attach: fields.attach } : {}),
    });
    return { id: message.id, uuidMap: {} };
};
function ownMessage(params, ctx) {
    const bot = ownedBot(params, ctx);
    const id = (0, fault_1.intval)(params.messageId);
    if (id <= 0)
        (0, fault_1.fail)('MESSAGE_ID_REQUIRED', 'messageId is required');
    const message = (0, portal_state_1.findMessage)(ctx.state, id);
    if (!message || message.botId !== bot.id || message.deleted)
        (0, fault_1.fail)('ACCESS_DENIED', 'Access denied', 403);
    return message;
}
const messageUpdate = (params, ctx) => {
    const message = ownMessage(params, ctx);
    const fields = (0, fault_1.objval)(params.fields) ?? {};
    if (fields.message !== undefined)
        message.text = (0, fault_1.strval)(fields.message).trim();
    if (fields.keyboard !== undefined) {
        const keyboard = (0, portal_state_1.normalizeKeyboard)(fields.keyboard);
        if (keyboard)
            message.keyboard = keyboard;
        else
            delete message.keyboard;
    }
    if (fields.attach !== undefined)
        message.attach = fields.attach;
    message.edited = true;
    return true;
};
const messageDelete = (params, ctx) => {
    ownMessage(params, ctx).deleted = true;
    return true;
};
const inputAction = (params, ctx) => {
    ownedBot(params, ctx);
    const dialogId = (0, fault_1.strval)(params.dialogId);
    if (!dialogId)
        (0, fault_1.fail)('DIALOG_ID_REQUIRED', 'dialogId is required');
    (0, portal_state_1.chatFor)(ctx.state, dialogId).typing += 1;
    return true;
};
const commandRegister = (params, ctx) => {
    const bot = ownedBot(params, ctx);
    // Flat top-level parameters are the legacy form, still accepted until 30.09.2026.
    const fields = (0, fault_1.objval)(params.fields) ?? params;
    const raw = (0, fault_1.strval)(fields.command);
    if (!raw)
        (0, fault_1.fail)('COMMAND_REQUIRED', 'Command is required');
    const command = raw.replace(/^\//, '');
    if (!/^[a-z0-9_-]+$/i.test(command))
        (0, fault_1.fail)('COMMAND_NAME_INVALID', 'Invalid command name');
    const hidden = (0, fault_1.boolval)(fields.hidden);
    if (!hidden && !(0, fault_1.objval)(fields.title) && !(0, fault_1.strval)(fields.title))
        (0, fault_1.fail)('COMMAND_TITLE_REQUIRED', 'Command title is required');
    let found = bot.commands.find((c) => c.command === command);
    if (!found) {
        found = { id: ++ctx.state.seq.command, botId: bot.id, command, common: (0, fault_1.boolval)(fields.common), hidden };
        bot.commands.push(found);
    }
    const view = { id: found.id, botId: bot.id, command: `/${found.command}`, common: found.common, hidden: found.hidden };
    return { command: { ...view, extranetSupport: (0, fault_1.boolval)(fields.extranetSupport) } };
};
/** Handlers keyed by lower-case method name. */
exports.imbotV2Methods = {
    'imbot.v2.bot.register': register,
    'imbot.v2.bot.update': update,
    'imbot.v2.bot.unregister': unregister,
    'imbot.v2.bot.get': get,
    'imbot.v2.bot.list': list,
    'imbot.v2.chat.message.send': messageSend,
    'imbot.v2.chat.message.update': messageUpdate,
    'imbot.v2.chat.message.delete': messageDelete,
    'imbot.v2.chat.inputaction.notify': inputAction,
    'imbot.v2.command.register': commandRegister,
};
