"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_FILE_EFFECT_BASE64 = void 0;
exports.mediaCall = mediaCall;
/**
 * The REST calls of the file, reaction and command-answer effects. Files and reactions exist
 * only in the v2 API (`imbot.v2.File.upload`, `imbot.v2.Chat.Message.Reaction.*`); for a v1 bot
 * the only documented route is `imbot.message.like` for a plain like, everything else is a
 * {@link ConfigError} naming the v2 method to use instead.
 */
const reactions_1 = require("../bitrix/reactions");
const errors_1 = require("../errors");
const render_keyboard_1 = require("./render-keyboard");
/** Largest base64 content of a `sendFile` effect (it is stored in the outbox with the dialog). */
exports.MAX_FILE_EFFECT_BASE64 = 14 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
function invalid(problem) {
    throw new errors_1.ConfigError([problem], 'Cannot map an effect');
}
function positive(value, name) {
    if (!Number.isInteger(value) || value <= 0)
        invalid(`${name} must be a positive integer`);
    return value;
}
/**
 * Maps `sendFile`, `react` and `answerCommand` to their REST call.
 *
 * @example
 * mediaCall({ type: 'react', messageId: 9001, reaction: 'like' }, meta);
 * // { method: 'imbot.v2.Chat.Message.Reaction.add', params: { botId: 571, messageId: 9001, reaction: 'like' } }
 */
function mediaCall(effect, meta) {
    const v2 = meta.apiVersion === 2;
    switch (effect.type) {
        case 'sendFile': {
            if (!v2)
                invalid('sendFile needs a v2 bot: Bitrix24 documents no file upload for v1 bots (imbot.*); register the bot with the v2 API (imbot.v2.File.upload), or link the file in an ATTACH block of say()');
            const name = typeof effect.name === 'string' ? effect.name.trim() : '';
            if (!name || name.length > 255 || /[\\/]/.test(name))
                invalid('sendFile name must be a file name of 1 to 255 characters without slashes');
            if (typeof effect.content !== 'string' ||
                effect.content.length === 0 ||
                effect.content.length % 4 !== 0 ||
                !BASE64.test(effect.content))
                invalid('sendFile content must be non-empty base64');
            if (effect.content.length > exports.MAX_FILE_EFFECT_BASE64)
                invalid(`sendFile content is larger than ${exports.MAX_FILE_EFFECT_BASE64} base64 characters (about 10 MiB)`);
            const fields = { name, content: effect.content };
            if (effect.text !== undefined && effect.text !== '')
                fields.message = effect.text;
            return {
                method: 'imbot.v2.File.upload',
                params: { botId: meta.botId, dialogId: meta.dialogId, fields },
            };
        }
        case 'react': {
            const messageId = positive(effect.messageId, 'react messageId');
            if (!(0, reactions_1.isReactionCode)(effect.reaction))
                invalid(`unknown reaction code ${JSON.stringify(effect.reaction)}`);
            if (v2)
                return {
                    method: effect.remove
                        ? 'imbot.v2.Chat.Message.Reaction.delete'
                        : 'imbot.v2.Chat.Message.Reaction.add',
                    params: { botId: meta.botId, messageId, reaction: effect.reaction },
                };
            if (effect.reaction !== 'like')
                invalid('a v1 bot can only like a message (imbot.message.like); other reactions need a v2 bot (imbot.v2.Chat.Message.Reaction.add)');
            return {
                method: 'imbot.message.like',
                params: {
                    BOT_ID: meta.botId,
                    MESSAGE_ID: messageId,
                    ACTION: effect.remove ? 'minus' : 'plus',
                },
            };
        }
        case 'answerCommand': {
            const commandId = positive(effect.commandId, 'answerCommand commandId');
            const messageId = positive(effect.messageId, 'answerCommand messageId');
            const keyboard = effect.keyboard && (0, render_keyboard_1.renderKeyboard)({ keyboard: effect.keyboard, botId: meta.botId });
            if (v2) {
                const fields = { message: effect.text };
                if (keyboard)
                    fields.keyboard = keyboard;
                if (effect.attach !== undefined)
                    fields.attach = effect.attach;
                return {
                    method: 'imbot.v2.Command.answer',
                    params: { botId: meta.botId, commandId, messageId, dialogId: meta.dialogId, fields },
                };
            }
            const params = {
                COMMAND_ID: commandId,
                MESSAGE_ID: messageId,
                MESSAGE: effect.text,
            };
            if (keyboard)
                params.KEYBOARD = keyboard;
            if (effect.attach !== undefined)
                params.ATTACH = effect.attach;
            return { method: 'imbot.command.answer', params };
        }
    }
}
