/**
 * More Chatbots 2.0 methods of the fake portal: `File.upload` (base64 content, ≤ 100 MB, posted
 * as a message with the file), `Chat.Message.Reaction.add/delete`, `Command.answer` and
 * `Revision.get` (CONTRACT-v2.md §1.3, §4.4, §4.6).
 */
import { isReactionCode } from '../../bitrix/reactions';
import { fail, intval, objval, strval } from './fault';
import { ownedBot } from './methods-imbot-v2';
import { chatFor, findMessage, postMessage, type MethodHandler } from './portal-state';

const MAX_FILE_BYTES = 100 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

let fileSeq = 5000;

const fileUpload: MethodHandler = (params, ctx) => {
  const bot = ownedBot(params, ctx);
  const dialogId = strval(params.dialogId);
  if (!dialogId) fail('DIALOG_ID_REQUIRED', 'dialogId is required');
  const fields = objval(params.fields) ?? {};
  const name = strval(fields.name).trim();
  const content = strval(fields.content).replace(/\s+/g, '');
  if (!name || !content) fail('FILE_EMPTY', 'File name or content is empty');
  if (!BASE64.test(content) || content.length % 4 !== 0)
    fail('FILE_INVALID_CONTENT', 'File content is not valid base64');
  const size = Buffer.from(content, 'base64').length;
  if (size > MAX_FILE_BYTES) fail('FILE_TOO_LARGE', 'File is too large');
  const chat = chatFor(ctx.state, dialogId);
  const file = { id: ++fileSeq, name, size, content };
  const message = postMessage(ctx.state, chat, {
    text: strval(fields.message),
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

function reaction(add: boolean): MethodHandler {
  return (params, ctx) => {
    ownedBot(params, ctx);
    const id = intval(params.messageId);
    if (id <= 0) fail('MESSAGE_ID_REQUIRED', 'messageId is required');
    const code = strval(params.reaction);
    if (!isReactionCode(code)) fail('REACTION_NOT_FOUND', 'Reaction not found');
    // The client's messages of a testBot chat are not stored here: an unknown id is accepted.
    const message = findMessage(ctx.state, id);
    if (message) {
      const set = new Set(message.reactions ?? []);
      if (add && set.has(code)) fail('REACTION_ALREADY_SET', 'Reaction already set');
      if (add) set.add(code);
      else set.delete(code);
      message.reactions = [...set];
    }
    return true;
  };
}

const commandAnswer: MethodHandler = (params, ctx) => {
  const bot = ownedBot(params, ctx);
  const commandId = intval(params.commandId);
  if (commandId <= 0 || !bot.commands.some((c) => c.id === commandId))
    fail('COMMAND_NOT_FOUND', 'Command not found');
  const messageId = intval(params.messageId);
  if (messageId <= 0) fail('MESSAGE_ID_REQUIRED', 'messageId is required');
  const dialogId = strval(params.dialogId);
  if (!dialogId) fail('DIALOG_ID_REQUIRED', 'dialogId is required');
  const fields = objval(params.fields) ?? {};
  const text = strval(fields.message).trim();
  if (!text && fields.attach === undefined) fail('COMMAND_ANSWER_FAILED', 'Message is empty');
  postMessage(ctx.state, chatFor(ctx.state, dialogId), {
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
const likeV1: MethodHandler = (params, ctx) => {
  const bot = ctx.state.bots.get(intval(params.BOT_ID));
  if (!bot || bot.apiVersion !== 1) fail('BOT_ID_ERROR', 'Bot not found');
  const id = intval(params.MESSAGE_ID);
  if (id <= 0) fail('MESSAGE_ID_ERROR', "Message ID can't be empty");
  const action = strval(params.ACTION || 'auto').toLowerCase();
  if (!['plus', 'minus', 'auto'].includes(action)) fail('ACTION_ERROR', 'Incorrect action');
  const message = findMessage(ctx.state, id);
  if (message) {
    const liked = (message.reactions ?? []).includes('like');
    const want = action === 'auto' ? !liked : action === 'plus';
    if (want === liked) fail('WITHOUT_CHANGES', 'Action completed without changes');
    message.reactions = want
      ? [...(message.reactions ?? []), 'like']
      : (message.reactions ?? []).filter((r) => r !== 'like');
  }
  return true;
};

/** Handlers keyed by lower-case method name. */
export const imbotV2MoreMethods: Record<string, MethodHandler> = {
  'imbot.v2.file.upload': fileUpload,
  'imbot.v2.chat.message.reaction.add': reaction(true),
  'imbot.v2.chat.message.reaction.delete': reaction(false),
  'imbot.v2.command.answer': commandAnswer,
  'imbot.message.like': likeV1,
  'imbot.v2.revision.get': () => ({ rest: 36, web: 36, mobile: 36, desktop: 36 }),
};
