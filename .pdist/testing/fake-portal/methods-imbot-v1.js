"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.imbotV1Methods = void 0;
exports.ownerOf = ownerOf;
exports.sameOwner = sameOwner;
exports.resolveBot = resolveBot;
const fault_1 = require("./fault");
const portal_state_1 = require("./portal-state");
const MAX_BOTS_PER_APP = 5;
const HANDLER_KEYS = ['EVENT_MESSAGE_ADD', 'EVENT_MESSAGE_UPDATE', 'EVENT_MESSAGE_DELETE', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE'];
const REQUIRED_HANDLERS = ['EVENT_MESSAGE_ADD', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE'];
/** Who is calling: the OAuth app, or the webhook caller identified by CLIENT_ID (v1) / botToken (v2). */
function ownerOf(ctx, key) {
    if (ctx.auth === 'oauth')
        return { kind: 'app' };
    if (!key)
        (0, fault_1.fail)('ACCESS_DENIED', 'Client ID not specified');
    return { kind: 'webhook', key };
}
function sameOwner(a, b) {
    return a.kind === b.kind && (a.kind === 'app' || a.key === b.key);
}
function callerOf(params, ctx) {
    return ownerOf(ctx, (0, fault_1.strval)(params.CLIENT_ID) || undefined);
}
/** Resolves `BOT_ID` (or the caller's first bot when omitted) and checks that the caller owns it. */
function resolveBot(params, ctx, required = false) {
    const owner = callerOf(params, ctx);
    const id = (0, fault_1.intval)(params.BOT_ID);
    if (id <= 0) {
        if (required)
            (0, fault_1.fail)('BOT_ID_ERROR', 'Bot not found');
        const first = [...ctx.state.bots.values()].find((b) => sameOwner(b.owner, owner));
        return first ?? (0, fault_1.fail)('BOT_ID_ERROR', 'Bot not found');
    }
    const bot = ctx.state.bots.get(id) ?? (0, fault_1.fail)('BOT_ID_ERROR', 'Bot not found');
    if (!sameOwner(bot.owner, owner))
        (0, fault_1.fail)('APP_ID_ERROR', 'Bot was installed by another REST application');
    return bot;
}
function isHandlerUrl(value) {
    const s = (0, fault_1.strval)(value);
    return /^https?:\/\/[^\s/]+/i.test(s);
}
function handlersOf(params, partial) {
    const out = {};
    const common = params.EVENT_HANDLER;
    if (common !== undefined && !isHandlerUrl(common))
        (0, fault_1.fail)('EVENT_MESSAGE_ADD_ERROR', 'Wrong handler URL');
    for (const key of HANDLER_KEYS) {
        const value = params[key] ?? common;
        if (value === undefined) {
            if (!partial && REQUIRED_HANDLERS.includes(key))
                (0, fault_1.fail)(`${key}_ERROR`, 'Wrong handler URL');
            continue;
        }
        if (!isHandlerUrl(value))
            (0, fault_1.fail)(`${key}_ERROR`, 'Wrong handler URL');
        out[key] = (0, fault_1.strval)(value);
    }
    return out;
}
const register = (params, ctx) => {
    const owner = callerOf(params, ctx);
    const code = (0, fault_1.strval)(params.CODE);
    if (!code)
        (0, fault_1.fail)('CODE_ERROR', 'Bot code is not specified');
    const props = (0, fault_1.objval)(params.PROPERTIES) ?? {};
    if (!(0, fault_1.strval)(props.NAME) && !(0, fault_1.strval)(props.LAST_NAME))
        (0, fault_1.fail)('NAME_ERROR', 'Bot name is not specified');
    const handlers = handlersOf(params, false);
    const existing = [...ctx.state.bots.values()].find((b) => b.code === code);
    if (existing) {
        // The portal answers a repeated registration of the same code with the existing bot.
        if (!sameOwner(existing.owner, owner))
            (0, fault_1.fail)('CODE_ERROR', 'Bot with this code is already registered');
        return existing.id;
    }
    const owned = [...ctx.state.bots.values()].filter((b) => sameOwner(b.owner, owner)).length;
    if (owned >= MAX_BOTS_PER_APP)
        (0, fault_1.fail)('MAX_COUNT_ERROR', 'Has reached the maximum number of bots for application');
    const type = (0, fault_1.strval)(params.TYPE) || 'B';
    const bot = {
        id: ++ctx.state.seq.bot,
        code,
        apiVersion: 1,
        type,
        openline: type === 'O' || (0, fault_1.boolval)(params.OPENLINE),
        owner,
        properties: { ...props },
        handlers,
        commands: [],
    };
    ctx.state.bots.set(bot.id, bot);
    return bot.id;
};
const unregister = (params, ctx) => {
    const bot = resolveBot(params, ctx, true);
    ctx.state.bots.delete(bot.id);
    ctx.state.events.delete(bot.id);
    return true;
};
const update = (params, ctx) => {
    const bot = resolveBot(params, ctx, true);
    const fields = (0, fault_1.objval)(params.FIELDS);
    if (!fields || Object.keys(fields).length === 0)
        (0, fault_1.fail)('WRONG_REQUEST', "Update fields can't be empty");
    Object.assign(bot.handlers, handlersOf(fields, true));
    if (fields.CODE !== undefined)
        bot.code = (0, fault_1.strval)(fields.CODE);
    const props = (0, fault_1.objval)(fields.PROPERTIES);
    if (props) {
        const merged = { ...bot.properties, ...props };
        if (!(0, fault_1.strval)(merged.NAME) && !(0, fault_1.strval)(merged.LAST_NAME))
            (0, fault_1.fail)('NAME_ERROR', 'Bot name is not specified');
        bot.properties = merged;
    }
    return true;
};
const botList = (_params, ctx) => {
    const out = {};
    for (const bot of ctx.state.bots.values()) {
        out[String(bot.id)] = { ID: bot.id, NAME: (0, fault_1.strval)(bot.properties.NAME ?? bot.properties.name), CODE: bot.code, OPENLINE: bot.openline ? 'Y' : 'N' };
    }
    // PHP encodes an empty array as [], not {}.
    return Object.keys(out).length === 0 ? [] : out;
};
const messageAdd = (params, ctx) => {
    const bot = resolveBot(params, ctx);
    const dialogId = (0, fault_1.strval)(params.DIALOG_ID);
    if (!dialogId)
        (0, fault_1.fail)('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
    const text = (0, fault_1.strval)(params.MESSAGE).trim();
    if (!text && params.ATTACH === undefined)
        (0, fault_1.fail)('MESSAGE_EMPTY', "Message can't be empty");
    // An attachment does not excuse an empty MESSAGE that is sent anyway (#8).
    if (params.MESSAGE !== undefined && !text)
        (0, fault_1.fail)('MESSAGE_EMPTY', "Message can't be empty");
    const keyboard = (0, portal_state_1.normalizeKeyboard)(params.KEYBOARD);
    const message = (0, portal_state_1.postMessage)(ctx.state, (0, portal_state_1.chatFor)(ctx.state, dialogId), {
        text,
        via: ctx.method,
        author: 'bot',
        botId: bot.id,
        at: ctx.now,
        ...(keyboard ? { keyboard } : {}),
        ...(params.ATTACH !== undefined ? { attach: params.ATTACH } : {}),
    });
    return message.id;
};
function ownMessage(params, ctx) {
    const bot = resolveBot(params, ctx);
    const id = (0, portal_state_1.requireId)(params, 'MESSAGE_ID', 'MESSAGE_ID_ERROR', 'Message not found');
    const message = (0, portal_state_1.findMessage)(ctx.state, id) ?? (0, fault_1.fail)('MESSAGE_ID_ERROR', 'Message not found');
    if (message.botId !== bot.id || message.deleted)
        (0, fault_1.fail)('CANT_EDIT_MESSAGE', 'Time has expired for modification or you don\'t have access');
    return message;
}
const messageUpdate = (params, ctx) => {
    const message = ownMessage(params, ctx);
    if (params.MESSAGE !== undefined) {
        const text = (0, fault_1.strval)(params.MESSAGE).trim();
        if (!text)
            message.deleted = true;
        else
            message.text = text;
    }
    if (params.KEYBOARD !== undefined) {
        const keyboard = (0, portal_state_1.normalizeKeyboard)(params.KEYBOARD);
        if (keyboard)
            message.keyboard = keyboard;
        else
            delete message.keyboard;
    }
    if (params.ATTACH !== undefined)
        message.attach = params.ATTACH;
    message.edited = true;
    return true;
};
const messageDelete = (params, ctx) => {
    ownMessage(params, ctx).deleted = true;
    return true;
};
const sendTyping = (params, ctx) => {
    resolveBot(params, ctx);
    const dialogId = (0, fault_1.strval)(params.DIALOG_ID);
    if (!dialogId)
        (0, fault_1.fail)('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
    (0, portal_state_1.chatFor)(ctx.state, dialogId).typing += 1;
    return true;
};
const commandRegister = (params, ctx) => {
    const bot = resolveBot(params, ctx, true);
    const command = (0, fault_1.strval)(params.COMMAND);
    if (!/^[a-z0-9_-]+$/i.test(command))
        (0, fault_1.fail)('COMMAND_ERROR', 'Command text is not specified or invalid');
    const handler = (0, fault_1.strval)(params.EVENT_COMMAND_ADD);
    if (!isHandlerUrl(handler))
        (0, fault_1.fail)('EVENT_COMMAND_ADD_ERROR', 'Wrong handler URL');
    const lang = params.LANG;
    const langs = Array.isArray(lang) ? lang : [];
    if (langs.length === 0 || langs.some((l) => !(0, fault_1.strval)((0, fault_1.objval)(l)?.LANGUAGE_ID) || !(0, fault_1.strval)((0, fault_1.objval)(l)?.TITLE))) {
        (0, fault_1.fail)('LANG_ERROR', 'Lang set is not specified');
    }
    const existing = bot.commands.find((c) => c.command === command);
    if (existing)
        return existing.id;
    const id = ++ctx.state.seq.command;
    bot.commands.push({ id, botId: bot.id, command, handler, common: (0, fault_1.boolval)(params.COMMON), hidden: (0, fault_1.boolval)(params.HIDDEN) });
    return id;
};
const commandAnswer = (params, ctx) => {
    const owner = callerOf(params, ctx);
    const id = (0, fault_1.intval)(params.COMMAND_ID);
    const name = (0, fault_1.strval)(params.COMMAND);
    const all = [...ctx.state.bots.values()].flatMap((b) => b.commands.map((c) => ({ bot: b, c })));
    const hit = all.find(({ c }) => (id > 0 ? c.id === id : name !== '' && c.command === name));
    if (!hit)
        (0, fault_1.fail)('COMMAND_ID_ERROR', 'Command not found');
    if (!sameOwner(hit.bot.owner, owner))
        (0, fault_1.fail)('APP_ID_ERROR', 'Command was installed by another REST application');
    const messageId = (0, fault_1.intval)(params.MESSAGE_ID);
    if (messageId <= 0)
        (0, fault_1.fail)('MESSAGE_ID_EMPTY', 'Message ID can\'t be empty');
    const text = (0, fault_1.strval)(params.MESSAGE).trim();
    if (!text && params.ATTACH === undefined)
        (0, fault_1.fail)('MESSAGE_EMPTY', "Message can't be empty");
    const dialogId = (0, portal_state_1.findMessage)(ctx.state, messageId)?.dialogId ?? ((0, fault_1.strval)(params.DIALOG_ID) || 'unknown');
    const keyboard = (0, portal_state_1.normalizeKeyboard)(params.KEYBOARD);
    const message = (0, portal_state_1.postMessage)(ctx.state, (0, portal_state_1.chatFor)(ctx.state, dialogId), {
        text,
        via: ctx.method,
        author: 'bot',
        botId: hit.bot.id,
        answerTo: messageId,
        at: ctx.now,
        ...(keyboard ? { keyboard } : {}),
    });
    return message.id;
};
/** Handlers keyed by lower-case method name. */
exports.imbotV1Methods = {
    'imbot.register': register,
    'imbot.unregister': unregister,
    'imbot.update': update,
    'imbot.bot.list': botList,
    'imbot.message.add': messageAdd,
    'imbot.message.update': messageUpdate,
    'imbot.message.delete': messageDelete,
    'imbot.chat.sendtyping': sendTyping,
    'imbot.command.register': commandRegister,
    'imbot.command.answer': commandAnswer,
};
