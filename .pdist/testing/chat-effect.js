"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buttonsOf = buttonsOf;
exports.toChatEffect = toChatEffect;
exports.settleChatEffect = settleChatEffect;
const effect_call_1 = require("../runtime/effect-call");
/**
 * The buttons of a keyboard, row by row flattened.
 *
 * @example
 * buttonsOf(keyboard([[{ text: 'Order status', command: 'order' }]])); // [{ text: 'Order status', command: 'order' }]
 */
function buttonsOf(keyboard) {
    if (!keyboard)
        return [];
    return keyboard.rows.flat().map((b) => {
        if ('command' in b)
            return {
                text: b.text,
                command: b.command,
                ...(b.params !== undefined ? { params: b.params } : {}),
            };
        if ('link' in b)
            return { text: b.text, link: b.link };
        return { text: b.text, action: b.action };
    });
}
/** `WRONG_CHAT: Operator is not a bot` → `WRONG_CHAT`. */
function codeOf(error) {
    const i = error.indexOf(':');
    return (i < 0 ? error : error.slice(0, i)).trim();
}
/**
 * The typed record of one effect that went to the portal.
 *
 * @example
 * const record = toChatEffect({ effect: { type: 'toOperator' }, meta, status: 'sent' });
 * record.call; // { method: 'imopenlines.bot.session.operator', params: { CHAT_ID: 1777 } }
 */
function toChatEffect(options) {
    const { effect } = options;
    let call;
    try {
        call = (0, effect_call_1.effectToCall)(effect, options.meta);
    }
    catch {
        // An effect the bot's API cannot carry (e.g. a file from a v1 bot) fails as INVALID_EFFECT.
        call = { method: '', params: {} };
    }
    const base = {
        effect,
        call,
        status: options.status,
        ...(options.error !== undefined ? { error: codeOf(options.error) } : {}),
    };
    switch (effect.type) {
        case 'say': {
            const buttons = buttonsOf(effect.keyboard);
            if (call.method === 'imopenlines.bot.session.message.send')
                return { ...base, kind: 'sessionMessage', text: effect.text, buttons };
            return {
                ...base,
                kind: 'say',
                text: effect.text,
                buttons,
                ...(effect.keyboard ? { keyboard: effect.keyboard } : {}),
                ...(effect.attach !== undefined ? { attach: effect.attach } : {}),
            };
        }
        case 'transfer':
            return {
                ...base,
                kind: 'transfer',
                to: effect.to,
                ...(effect.leave !== undefined ? { leave: effect.leave } : {}),
            };
        case 'call':
            return { ...base, kind: 'call', method: effect.method, params: effect.params };
        case 'sendFile':
            return {
                ...base,
                kind: 'sendFile',
                name: effect.name,
                size: Buffer.from(effect.content, 'base64').length,
                ...(effect.text !== undefined ? { text: effect.text } : {}),
            };
        case 'react':
            return {
                ...base,
                kind: 'react',
                messageId: effect.messageId,
                reaction: effect.reaction,
                remove: effect.remove === true,
            };
        case 'answerCommand':
            return {
                ...base,
                kind: 'answerCommand',
                text: effect.text,
                commandId: effect.commandId,
                messageId: effect.messageId,
            };
        default:
            return { ...base, kind: effect.type };
    }
}
/**
 * Updates a record when a later attempt of the same effect settled.
 *
 * @example
 * settleChatEffect(record, { status: 'sent' });
 */
function settleChatEffect(record, outcome) {
    record.status = outcome.status;
    if (outcome.error !== undefined)
        record.error = codeOf(outcome.error);
    else
        delete record.error;
}
