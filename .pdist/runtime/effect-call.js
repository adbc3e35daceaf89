"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.effectMetaProblems = effectMetaProblems;
exports.effectToCall = effectToCall;
const errors_1 = require("../errors");
const media_call_1 = require("./media-call");
const render_keyboard_1 = require("./render-keyboard");
const SESSION_SEND = 'imopenlines.bot.session.message.send';
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;
/**
 * Checks that `value` is usable routing data; returns the problems found (empty when valid).
 *
 * @example
 * const problems = effectMetaProblems({ value: outboxEffect.meta });
 * if (problems.length) throw new ConfigError(problems, 'Bad effect meta');
 */
function effectMetaProblems(options) {
    const m = options.value;
    if (typeof m !== 'object' || m === null)
        return ['effect meta must be an object'];
    const problems = [];
    if (!Number.isInteger(m.botId) || m.botId <= 0)
        problems.push('botId must be a positive integer');
    if (!Number.isInteger(m.chatId) || m.chatId <= 0)
        problems.push('chatId must be a positive integer');
    if (typeof m.dialogId !== 'string' || m.dialogId.length === 0)
        problems.push('dialogId must be a non-empty string');
    if (m.apiVersion !== 1 && m.apiVersion !== 2)
        problems.push('apiVersion must be 1 or 2');
    if (m.sayVia !== undefined &&
        m.sayVia !== 'auto' &&
        m.sayVia !== 'session' &&
        m.sayVia !== 'bot') {
        problems.push('sayVia must be "auto", "session" or "bot"');
    }
    return problems;
}
/**
 * Which API a `say` goes through. A keyboard or an attachment always needs the bot messaging API
 * (the session method carries plain text only), whatever `via`/`sayVia` say: dropping the buttons
 * silently would be worse. Otherwise the per-message `via` wins over the bot's `sayVia`.
 */
function sayPath(effect, meta) {
    if (effect.keyboard !== undefined || effect.attach !== undefined)
        return 'bot';
    if (effect.via !== undefined)
        return effect.via;
    return meta.sayVia === 'bot' ? 'bot' : 'session';
}
function botMessage(effect, meta) {
    const keyboard = effect.keyboard && (0, render_keyboard_1.renderKeyboard)({ keyboard: effect.keyboard, botId: meta.botId });
    // Bitrix24 answers MESSAGE_EMPTY to an empty message text: an attachment alone goes without one.
    const text = typeof effect.text === 'string' && effect.text !== '' ? effect.text : undefined;
    if (meta.apiVersion === 2) {
        const fields = {};
        if (text !== undefined)
            fields.message = text;
        if (keyboard)
            fields.keyboard = keyboard;
        if (effect.attach !== undefined)
            fields.attach = effect.attach;
        return {
            method: 'imbot.v2.Chat.Message.send',
            params: { botId: meta.botId, dialogId: meta.dialogId, fields },
        };
    }
    const params = { BOT_ID: meta.botId, DIALOG_ID: meta.dialogId };
    if (text !== undefined)
        params.MESSAGE = text;
    if (keyboard)
        params.KEYBOARD = keyboard;
    if (effect.attach !== undefined)
        params.ATTACH = effect.attach;
    return { method: 'imbot.message.add', params };
}
/**
 * Turns an effect into its REST call.
 *
 * - `say`: plain text → `imopenlines.bot.session.message.send` (NAME=DEFAULT, numeric `CHAT_ID`);
 *   with a keyboard or attachment, with `via: 'bot'`, or for a bot with `sayVia: 'bot'` →
 *   `imbot.v2.Chat.Message.send` (v2) / `imbot.message.add` (v1) with the dialog id. A keyboard or
 *   attachment always takes the bot API, even with `via: 'session'`.
 * - `greet` → session.message.send NAME=WELCOME; `typing` → `imbot.v2.Chat.InputAction.notify` /
 *   `imbot.chat.sendTyping`; `toOperator` → `imopenlines.bot.session.operator`;
 *   `transfer` → `.transfer` with `USER_ID` or `QUEUE_ID` (a line id) and `LEAVE` `Y`/`N`;
 *   `finish` → `.finish`; `call` → as given (its method name must be a plain REST method, not `batch`).
 *
 * Webhook credentials (`CLIENT_ID`, `botToken`) are not added here: the REST client adds them.
 * Throws a {@link ConfigError} for invalid meta or an unknown effect type.
 *
 * @example
 * effectToCall({ type: 'say', text: 'Hi' }, { botId: 571, chatId: 1777, dialogId: 'chat1777', apiVersion: 2 })
 * // { method: 'imopenlines.bot.session.message.send', params: { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: 'Hi' } }
 */
function effectToCall(effect, meta) {
    const problems = effectMetaProblems({ value: meta });
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems, 'Cannot map an effect without valid routing data');
    const v2 = meta.apiVersion === 2;
    switch (effect.type) {
        case 'say':
            if ((typeof effect.text !== 'string' || effect.text === '') && effect.attach === undefined) {
                // Bitrix24 refuses it (MESSAGE_EMPTY); refused here, the dialog hears of it all the same.
                throw new errors_1.ConfigError(['say needs a non-empty text or an attachment (Bitrix24 answers MESSAGE_EMPTY)'], 'Cannot map a say effect');
            }
            if (sayPath(effect, meta) === 'bot')
                return botMessage(effect, meta);
            return {
                method: SESSION_SEND,
                params: { CHAT_ID: meta.chatId, NAME: 'DEFAULT', MESSAGE: effect.text },
            };
        case 'greet':
            return { method: SESSION_SEND, params: { CHAT_ID: meta.chatId, NAME: 'WELCOME' } };
        case 'typing':
            return v2
                ? {
                    method: 'imbot.v2.Chat.InputAction.notify',
                    params: {
                        botId: meta.botId,
                        dialogId: meta.dialogId,
                        ...(effect.status !== undefined ? { statusMessageCode: effect.status } : {}),
                        ...(effect.durationSeconds !== undefined ? { duration: effect.durationSeconds } : {}),
                    },
                }
                : {
                    method: 'imbot.chat.sendTyping',
                    params: { BOT_ID: meta.botId, DIALOG_ID: meta.dialogId },
                };
        case 'toOperator':
            return { method: 'imopenlines.bot.session.operator', params: { CHAT_ID: meta.chatId } };
        case 'transfer': {
            const target = 'userId' in effect.to ? { USER_ID: effect.to.userId } : { QUEUE_ID: effect.to.lineId };
            return {
                method: 'imopenlines.bot.session.transfer',
                params: { CHAT_ID: meta.chatId, ...target, LEAVE: effect.leave === true ? 'Y' : 'N' },
                botApiVersion: meta.apiVersion,
            };
        }
        case 'finish':
            return {
                method: 'imopenlines.bot.session.finish',
                params: { CHAT_ID: meta.chatId },
                botApiVersion: meta.apiVersion,
            };
        case 'sendFile':
        case 'react':
        case 'answerCommand':
            return (0, media_call_1.mediaCall)(effect, meta);
        case 'call':
            // Checked here so that one bad method fails alone instead of failing the whole batch it rides in.
            if (typeof effect.method !== 'string' ||
                !METHOD_NAME.test(effect.method) ||
                effect.method.toLowerCase() === 'batch') {
                throw new errors_1.ConfigError([`invalid REST method name ${JSON.stringify(effect.method)}`], 'Cannot map a call effect');
            }
            return { method: effect.method, params: { ...effect.params } };
        default: {
            const unknownType = effect.type;
            throw new errors_1.ConfigError([`unknown effect type ${JSON.stringify(unknownType)}`], 'Cannot map an effect');
        }
    }
}
