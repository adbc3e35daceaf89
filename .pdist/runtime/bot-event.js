"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isOperatorMessage = isOperatorMessage;
exports.toBotEvent = toBotEvent;
exports.dialogInputOf = dialogInputOf;
/**
 * True for an open-line message whose author is not the client (`IS_CONNECTOR=N`: an operator,
 * another employee, another bot). A message without author data counts as the client's.
 *
 * @example
 * if (isOperatorMessage(event)) console.log('an operator wrote', event.author?.name);
 */
function isOperatorMessage(event) {
    return (event.kind === 'message' &&
        event.isOpenLine &&
        event.author !== undefined &&
        !event.author.isConnector);
}
/**
 * The machine event for a dialog event; `undefined` for events that do not reach machines
 * (system notices of the open line). An operator's message becomes `operator.message` unless
 * `operatorMessages` is `message`.
 *
 * @example
 * const botEvent = toBotEvent(event); // { type: 'message', text: 'hi', messageId: 9, files: [] }
 */
function toBotEvent(event, options = {}) {
    switch (event.kind) {
        case 'join':
            return event.client ? { type: 'join', client: event.client } : { type: 'join' };
        case 'message':
            if (event.isSystem)
                return undefined;
            if (options.operatorMessages !== 'message' && isOperatorMessage(event) && event.author)
                return {
                    type: 'operator.message',
                    text: event.text,
                    messageId: event.messageId,
                    files: event.files,
                    author: event.author,
                };
            return {
                type: 'message',
                text: event.text,
                messageId: event.messageId,
                files: event.files,
                ...(event.author ? { author: event.author } : {}),
            };
        case 'command':
            return {
                type: 'command',
                command: event.command,
                params: event.params,
                source: event.context === 'textarea' ? 'slash' : event.context,
                ...(event.messageId !== undefined ? { messageId: event.messageId } : {}),
                ...(event.commandId !== undefined ? { commandId: event.commandId } : {}),
            };
        case 'message.edit':
            return { type: 'message.edit', text: event.text, messageId: event.messageId };
        case 'message.delete':
            return { type: 'message.delete', messageId: event.messageId };
        case 'reaction':
            return {
                type: 'reaction',
                messageId: event.messageId,
                reaction: event.reaction,
                action: event.action,
            };
        case 'context': {
            const c = event.context;
            // Bitrix24 sends an object; anything else is kept under `value` rather than dropped.
            const context = typeof c === 'object' && c !== null && !Array.isArray(c)
                ? c
                : c === undefined
                    ? {}
                    : { value: c };
            return { type: 'context', context };
        }
    }
}
/**
 * The machine's `input` for a conversation started by `event`.
 *
 * @example
 * createActor(bot.machine, { input: dialogInputOf({ event, botCode: bot.code }) });
 */
function dialogInputOf(options) {
    const { event } = options;
    const input = {
        portal: { memberId: event.portal.memberId, domain: event.portal.domain },
        bot: { id: event.bot.id, code: options.botCode, apiVersion: event.bot.apiVersion },
        chatId: event.chatId,
        dialogId: event.dialogId,
        crm: { ...event.crm },
    };
    if (event.lineId !== undefined)
        input.lineId = event.lineId;
    if (event.connector !== undefined)
        input.connector = event.connector;
    if (event.sessionId !== undefined)
        input.sessionId = event.sessionId;
    if (event.client !== undefined)
        input.client = event.client;
    if (event.language !== undefined)
        input.language = event.language;
    return input;
}
