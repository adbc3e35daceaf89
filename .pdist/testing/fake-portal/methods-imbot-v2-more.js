"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.imbotV2MoreMethods = void 0;
/**
 * More Chatbots 2.0 methods of the fake portal: `File.upload` (base64 content, ≤ 100 MB, posted
 * as a message with the file), `Chat.Message.Reaction.add/delete`, `Command.answer` and
 * `Revision.get` (CONTRACT-v2.md §1.3, §4.4, §4.6).
 */
const reactions_1 = require("../../bitrix/reactions");
const fault_1 = require("./fault");
const methods_imbot_v2_1 = require("./methods-imbot-v2");
const portal_state_1 = require("./portal-state");
const MAX_FILE_BYTES = 100 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
let fileSeq = 5000;
const fileUpload = (params, ctx) => {
    const bot = (0, methods_imbot_v2_1.ownedBot)(params, ctx);
    const dialogId = (0, fault_1.strval)(params.dialogId);
    if (!dialogId)
        (0, fault_1.fail)('DIALOG_ID_REQUIRED', 'dialogId is required');
    const fields = (0, fault_1.objval)(params.fields) ?? {};
    const name = (0, fault_1.strval)(fields.name).trim();
    const content = (0, fault_1.strval)(fields.content).replace(/\s+/g, '');
    if (!name || !content)
        (0, fault_1.fail)('FILE_EMPTY', 'File name or content is empty');
    if (!BASE64.test(content) || content.length % 4 !== 0)
        (0, fault_1.fail)('FILE_INVALID_CONTENT', 'File content is not valid base64');
    const size = Buffer.from(content, 'base64').length;
    if (size > MAX_FILE_BYTES)
        (0, fault_1.fail)('FILE_TOO_LARGE', 'File is too large');
    const chat = (0, portal_state_1.chatFor)(ctx.state, dialogId);
    const file = { id: ++fileSeq, name, size, content };
    const message = (0, portal_state_1.postMessage)(ctx.state, chat, {
        text: (0, fault_1.strval)(fields.message),
        via: ctx.method,
        author: 'bot',
        botId: bot.id,
        at: ctx.now,
        files: [file],
    });
    const dot = name.lastIndexOf('.');
    return {
        file: {
            id: file.id,
            chatId: chat.chatId,
            name,
            extension: dot > 0 ? name.slice(dot + 1) : '',
            size,
        },
        messageId: message.id,
        chatId: chat.chatId,
        dialogId: chat.dialogId,
    };
};
function reaction(add) {
    return (params, ctx) => {
        (0, methods_imbot_v2_1.ownedBot)(params, ctx);
        const id = (0, fault_1.intval)(params.messageId);
        if (id <= 0)
            (0, fault_1.fail)('MESSAGE_ID_REQUIRED', 'messageId is required');
        const code = (0, fault_1.strval)(params.reaction);
        if (!(0, reactions_1.isReactionCode)(code))
            (0, fault_1.fail)('REACTION_NOT_FOUND', 'Reaction not found');
        // The client's messages of a testBot chat are not stored here: an unknown id is accepted.
        const message = (0, portal_state_1.findMessage)(ctx.state, id);
        if (message) {
            const set = new Set(message.reactions ?? []);
            if (add && set.has(code))
                (0, fault_1.fail)('REACTION_ALREADY_SET', 'Reaction already set');
            if (add)
                set.add(code);
            else
                set.delete(code);
            message.reactions = [...set];
        }
        return true;
    };
}
const commandAnswer = (params, ctx) => {
    const bot = (0, methods_imbot_v2_1.ownedBot)(params, ctx);
    const commandId = (0, fault_1.intval)(params.commandId);
    if (commandId <= 0 || !bot.commands.some((c) => c.id === commandId))
        (0, fault_1.fail)('COMMAND_NOT_FOUND', 'Command not found');
    const messageId = (0, fault_1.intval)(params.messageId);
    if (messageId <= 0)
        (0, fault_1.fail)('MESSAGE_ID_REQUIRED', 'messageId is required');
    const dialogId = (0, fault_1.strval)(params.dialogId);
    if (!dialogId)
        (0, fault_1.fail)('DIALOG_ID_REQUIRED', 'dialogId is required');
    const fields = (0, fault_1.objval)(params.fields) ?? {};
    const text = (0, fault_1.strval)(fields.message).trim();
    if (!text && fields.attach === undefined)
        (0, fault_1.fail)('COMMAND_ANSWER_FAILED', 'Message is empty');
    (0, portal_state_1.postMessage)(ctx.state, (0, portal_state_1.chatFor)(ctx.state, dialogId), {
        text,
        via: ctx.method,
        author: 'bot',
        botId: bot.id,
        answerTo: messageId,
        at: ctx.now,
    });
    return true;
};
/** v1 `imbot.message.like` (ACTION `plus`, `minus` or `auto`). */
const likeV1 = (params, ctx) => {
    const bot = ctx.state.bots.get((0, fault_1.intval)(params.BOT_ID));
    if (!bot || bot.apiVersion !== 1)
        (0, fault_1.fail)('BOT_ID_ERROR', 'Bot not found');
    const id = (0, fault_1.intval)(params.MESSAGE_ID);
    if (id <= 0)
        (0, fault_1.fail)('MESSAGE_ID_ERROR', "Message ID can't be empty");
    const action = (0, fault_1.strval)(params.ACTION || 'auto').toLowerCase();
    if (!['plus', 'minus', 'auto'].includes(action))
        (0, fault_1.fail)('ACTION_ERROR', 'Incorrect action');
    const message = (0, portal_state_1.findMessage)(ctx.state, id);
    if (message) {
        const liked = (message.reactions ?? []).includes('like');
        const want = action === 'auto' ? !liked : action === 'plus';
        if (want === liked)
            (0, fault_1.fail)('WITHOUT_CHANGES', 'Action completed without changes');
        message.reactions = want
            ? [...(message.reactions ?? []), 'like']
            : (message.reactions ?? []).filter((r) => r !== 'like');
    }
    return true;
};
/** Handlers keyed by lower-case method name. */
exports.imbotV2MoreMethods = {
    'imbot.v2.file.upload': fileUpload,
    'imbot.v2.chat.message.reaction.add': reaction(true),
    'imbot.v2.chat.message.reaction.delete': reaction(false),
    'imbot.v2.command.answer': commandAnswer,
    'imbot.message.like': likeV1,
    'imbot.v2.revision.get': () => ({ rest: 36, web: 36, mobile: 36, desktop: 36 }),
};
