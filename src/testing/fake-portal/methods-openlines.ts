/**
 * Open Lines methods of the fake portal: the four `imopenlines.bot.session.*` hand-off methods
 * (numeric `CHAT_ID`, `CLIENT_ID` for transfer/finish through a webhook, `WRONG_CHAT` once a
 * human has the dialog), line configs, `imopenlines.dialog.get` and `crm.lead.add`.
 */
import type { ChatState } from './types';
import { boolval, fail, intval, objval, strval, type Params } from './fault';
import { chatFor, postMessage, setSession, type MethodContext, type MethodHandler } from './portal-state';
import { sameOwner } from './methods-imbot-v1';

function chatOf(params: Params, ctx: MethodContext): ChatState {
  // PHP intval: "chat1777" is 0, so passing a dialog id here fails like on a real portal.
  const chatId = intval(params.CHAT_ID);
  if (chatId <= 0) fail('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
  return chatFor(ctx.state, chatId);
}

/** transfer/finish act for "the app's bot": CLIENT_ID (v1 client id or v2 botToken) through a webhook. */
function requireAppBot(params: Params, ctx: MethodContext): void {
  const bots = [...ctx.state.bots.values()];
  if (ctx.auth === 'oauth') {
    if (!bots.some((b) => b.owner.kind === 'app')) fail('BOT_ID_ERROR', 'Bot not found');
    return;
  }
  const key = strval(params.CLIENT_ID);
  if (!key) fail('ACCESS_DENIED', 'Client ID not specified');
  if (!bots.some((b) => sameOwner(b.owner, { kind: 'webhook', key }))) fail('BOT_ID_ERROR', 'Bot not found');
}

function withHuman(chat: ChatState): boolean {
  return chat.session === 'operator' || chat.session === 'transferred' || chat.session === 'finished';
}

const messageSend: MethodHandler = (params, ctx) => {
  const chat = chatOf(params, ctx);
  const name = strval(params.NAME).toUpperCase() === 'WELCOME' ? 'WELCOME' : 'DEFAULT';
  const line = ctx.state.lines.find((l) => l.ID === chat.lineId);
  const text = name === 'WELCOME' ? strval(line?.WELCOME_MESSAGE_TEXT) : strval(params.MESSAGE).trim();
  // `true` only means "accepted": DEFAULT with an empty text posts nothing.
  if (text) postMessage(ctx.state, chat, { text, via: ctx.method, author: 'bot', name, at: ctx.now });
  return true;
};

const operator: MethodHandler = (params, ctx) => {
  const chat = chatOf(params, ctx);
  if (withHuman(chat)) fail('WRONG_CHAT', 'Operator is not a bot');
  setSession(chat, 'operator', ctx.state);
  const queue = ctx.state.lines.find((l) => l.ID === chat.lineId)?.QUEUE;
  const first = Array.isArray(queue) ? queue[0] : undefined;
  if (first !== undefined) chat.operatorId = first;
  return true;
};

const transfer: MethodHandler = (params, ctx) => {
  const chat = chatOf(params, ctx);
  requireAppBot(params, ctx);
  if (chat.session === 'operator' || chat.session === 'finished') fail('WRONG_CHAT', 'Operator is not a bot');
  const userId = intval(params.USER_ID);
  const lineId = intval(params.QUEUE_ID);
  const transferId = strval(params.TRANSFER_ID);
  const leave = boolval(params.LEAVE);
  if (userId > 0) {
    if (ctx.state.bots.has(userId)) fail('OPERATOR_WRONG', 'You cannot redirect to this operator');
    chat.transfers.push({ userId, leave, at: ctx.now });
    chat.operatorId = userId;
  } else if (lineId > 0) {
    if (!ctx.state.lines.some((l) => l.ID === lineId)) fail('OPERATOR_WRONG', 'You cannot redirect to this operator');
    chat.transfers.push({ lineId, leave, at: ctx.now });
  } else if (transferId) {
    chat.transfers.push({ transferId, leave, at: ctx.now });
  } else if (params.USER_ID !== undefined) {
    fail('USER_ID_EMPTY', 'User ID can\'t be empty');
  } else if (params.QUEUE_ID !== undefined) {
    fail('QUEUE_ID_EMPTY', 'Queue ID can\'t be empty');
  } else {
    fail('TRANSFER_ID_EMPTY', 'Transfer ID can\'t be empty');
  }
  setSession(chat, 'transferred', ctx.state);
  return true;
};

const finish: MethodHandler = (params, ctx) => {
  const chat = chatOf(params, ctx);
  requireAppBot(params, ctx);
  setSession(chat, 'finished', ctx.state);
  return true;
};

const configListGet: MethodHandler = (params, ctx) => {
  const options = objval(params.OPTIONS) ?? {};
  const withQueue = boolval(options.QUEUE);
  return ctx.state.lines.map((line) => {
    const { QUEUE, ...rest } = line;
    return withQueue ? { ...rest, QUEUE: (QUEUE ?? []).map(String) } : rest;
  });
};

const dialogGet: MethodHandler = (params, ctx) => {
  let chat: ChatState | undefined;
  if (intval(params.CHAT_ID) > 0) chat = chatFor(ctx.state, intval(params.CHAT_ID));
  else if (strval(params.DIALOG_ID)) chat = chatFor(ctx.state, strval(params.DIALOG_ID));
  else if (strval(params.USER_CODE)) chat = [...ctx.state.chats.values()].find((c) => c.userCode === strval(params.USER_CODE));
  else if (intval(params.SESSION_ID) > 0) chat = [...ctx.state.chats.values()].find((c) => c.sessionId === intval(params.SESSION_ID));
  if (!chat || chat.chatId === null) return fail('ACCESS_ERROR', 'You do not have access to the specified dialog');
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

const leadAdd: MethodHandler = (params, ctx) => {
  const fields = objval(params.FIELDS ?? params.fields) ?? {};
  const id = ++ctx.state.seq.lead;
  ctx.state.leads.push({ id, fields });
  return id;
};

/** Handlers keyed by lower-case method name. */
export const openlinesMethods: Record<string, MethodHandler> = {
  'imopenlines.bot.session.message.send': messageSend,
  'imopenlines.bot.session.operator': operator,
  'imopenlines.bot.session.transfer': transfer,
  'imopenlines.bot.session.finish': finish,
  'imopenlines.config.list.get': configListGet,
  'imopenlines.dialog.get': dialogGet,
  'crm.lead.add': leadAdd,
};
