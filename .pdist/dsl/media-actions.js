"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sendFile = sendFile;
exports.react = react;
exports.unreact = unreact;
exports.answerCommand = answerCommand;
const effect_actions_1 = require("./effect-actions");
const keyboard_1 = require("./keyboard");
/**
 * Sends a file to the client (`imbot.v2.File.upload`, which posts it with `text` as one message).
 * v2 bots only: for a v1 bot the effect fails (`effect.failed`, `INVALID_EFFECT`), as Bitrix24
 * documents no file upload for v1 bots. Up to about 10 MiB (the file is kept in the outbox until
 * it is sent).
 *
 * @example
 * entry: sendFile(({ context }) => ({ name: 'invoice.pdf', content: context.pdfBase64, text: 'Your invoice' }))
 */
function sendFile(file) {
    return (0, effect_actions_1.effectAction)((args) => {
        const f = (0, effect_actions_1.resolve)(file, args);
        if (!f || typeof f.name !== 'string')
            throw new TypeError('sendFile(): the file needs a name');
        const content = typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('base64');
        return {
            type: 'sendFile',
            name: f.name,
            content,
            ...(f.text !== undefined ? { text: f.text } : {}),
        };
    });
}
/**
 * Puts a reaction on a message (`imbot.v2.Chat.Message.Reaction.add`); a v1 bot can only `like`
 * (`imbot.message.like`).
 *
 * @example
 * on: { message: { actions: react(({ event }) => ({ messageId: event.messageId, reaction: 'like' })) } }
 */
function react(target) {
    return (0, effect_actions_1.effectAction)((args) => {
        const t = (0, effect_actions_1.resolve)(target, args);
        return { type: 'react', messageId: t.messageId, reaction: t.reaction };
    });
}
/**
 * Removes the bot's reaction from a message (`imbot.v2.Chat.Message.Reaction.delete`).
 *
 * @example
 * actions: unreact(({ context }) => ({ messageId: context.likedId, reaction: 'like' }))
 */
function unreact(target) {
    return (0, effect_actions_1.effectAction)((args) => {
        const t = (0, effect_actions_1.resolve)(target, args);
        return { type: 'react', messageId: t.messageId, reaction: t.reaction, remove: true };
    });
}
/**
 * Answers the slash command of the current `command` event (`imbot.v2.Command.answer`, v1
 * `imbot.command.answer`), in the chat the command came from.
 *
 * @example
 * on: { command: { guard: isCommand('help'), actions: answerCommand('Type your order number.') } }
 */
function answerCommand(text, options = {}) {
    return (0, effect_actions_1.effectAction)((args) => {
        const event = args.event;
        if (event.type !== 'command' ||
            typeof event.commandId !== 'number' ||
            typeof event.messageId !== 'number')
            throw new TypeError('answerCommand(): use it on a command event that carries commandId and messageId');
        const keyboard = options.keyboard &&
            ((0, keyboard_1.isKeyboardBuilder)(options.keyboard) ? options.keyboard.build() : options.keyboard);
        return {
            type: 'answerCommand',
            commandId: event.commandId,
            messageId: event.messageId,
            text: (0, effect_actions_1.resolve)(text, args),
            ...(keyboard ? { keyboard } : {}),
            ...(options.attach !== undefined ? { attach: options.attach } : {}),
        };
    });
}
