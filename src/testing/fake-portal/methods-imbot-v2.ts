/**
 * Chatbots 2.0 methods (`imbot.v2.*`) of the fake portal: bot lifecycle (register is idempotent
 * on `code`; `botToken` inside `fields` through a webhook), messages, typing, commands and the
 * `Event.get` fetch queue (offset acknowledges every event with a smaller id).
 */
import type { BotState } from './types';
import { boolval, fail, intval, objval, strval, type Params } from './fault';
import {
  chatFor,
  findMessage,
  normalizeKeyboard,
  postMessage,
  type MethodContext,
  type MethodHandler,
} from './portal-state';
import { sameOwner } from './methods-imbot-v1';

const BOT_TYPES = new Set(['bot', 'supervisor', 'personal', 'openline', 'network']);
const MAX_TEXT = 20_000;

function tokenOf(value: unknown, ctx: MethodContext): BotState['owner'] {
  if (ctx.auth === 'oauth') return { kind: 'app' };
  const key = strval(value);
  if (!key) fail('BOT_TOKEN_NOT_SPECIFIED', 'Bot token is not specified');
  return { kind: 'webhook', key };
}

/** Resolves `botId` and checks that the caller (OAuth app, or webhook + `botToken`) owns the bot. */
export function ownedBot(params: Params, ctx: MethodContext): BotState {
  const owner = tokenOf(params.botToken, ctx);
  const id = intval(params.botId);
  if (id <= 0) fail('BOT_ID_REQUIRED', 'Bot ID is required');
  const bot = ctx.state.bots.get(id) ?? fail('BOT_NOT_FOUND', 'Bot not found');
  if (!sameOwner(bot.owner, owner)) fail('BOT_OWNERSHIP_ERROR', 'The bot belongs to another application', 403);
  return bot;
}

function botView(bot: BotState) {
  return {
    bot: {
      id: bot.id,
      code: bot.code,
      type: bot.type,
      isHidden: boolval(bot.properties.isHidden),
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
    users: [{ id: bot.id, active: true, name: strval(bot.properties.name ?? bot.properties.NAME), bot: true, type: 'bot' }],
  };
}

function checkDelivery(fields: Params, fallback: BotState['eventMode']): Pick<BotState, 'eventMode' | 'webhookUrl'> {
  const eventMode = fields.eventMode === undefined ? (fallback ?? 'fetch') : strval(fields.eventMode);
  if (eventMode !== 'fetch' && eventMode !== 'webhook') fail('BOT_INVALID_EVENT_MODE', 'Invalid event mode');
  const url = strval(fields.webhookUrl);
  if (eventMode === 'webhook' && !url && fields.webhookUrl === undefined && fallback !== 'webhook') {
    fail('BOT_WEBHOOK_URL_REQUIRED', 'webhookUrl is required for the webhook event mode');
  }
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) fail('BOT_INVALID_CALLBACK', 'Invalid webhook URL');
  return { eventMode, ...(url ? { webhookUrl: url } : {}) };
}

function checkToken(token: string): void {
  if (token.length > 40) fail('BOT_TOKEN_INVALID_LENGTH', 'Bot token must not be longer than 40 characters');
}

const register: MethodHandler = (params, ctx) => {
  const fields = objval(params.fields) ?? {};
  const owner = tokenOf(fields.botToken, ctx);
  if (owner.kind === 'webhook') checkToken(owner.key);
  const code = strval(fields.code);
  if (!code) fail('BOT_CODE_REQUIRED', 'Bot code is required');
  const properties = objval(fields.properties);
  if (!properties || !strval(properties.name)) fail('BOT_PROPERTIES_REQUIRED', 'Bot properties are required');
  const type = fields.type === undefined ? 'bot' : strval(fields.type);
  if (!BOT_TYPES.has(type)) fail('BOT_INVALID_TYPE', 'Invalid bot type');
  const delivery = checkDelivery(fields, undefined);
  const existing = [...ctx.state.bots.values()].find((b) => b.code === code);
  if (existing) {
    if (!sameOwner(existing.owner, owner)) fail('BOT_CODE_ALREADY_TAKEN', 'Bot code is already taken');
    return botView(existing);
  }
  if ([...ctx.state.bots.values()].filter((b) => sameOwner(b.owner, owner)).length >= 100) {
    fail('BOT_LIMIT_EXCEEDED', 'Bot limit exceeded');
  }
  const bot: BotState = {
    id: ++ctx.state.seq.bot,
    code,
    apiVersion: 2,
    type,
    openline: type === 'openline' || boolval(fields.isSupportOpenline),
    owner,
    properties: { ...properties, ...(fields.isHidden !== undefined ? { isHidden: fields.isHidden } : {}) },
    ...delivery,
    handlers: {},
    commands: [],
  };
  ctx.state.bots.set(bot.id, bot);
  return botView(bot);
};

const update: MethodHandler = (params, ctx) => {
  const bot = ownedBot(params, ctx);
  const fields = objval(params.fields) ?? {};
  Object.assign(bot, checkDelivery(fields, bot.eventMode));
  if (fields.eventMode === 'fetch') delete bot.webhookUrl;
  const props = objval(fields.properties);
  if (props) bot.properties = { ...bot.properties, ...props };
  if (fields.isSupportOpenline !== undefined) bot.openline = boolval(fields.isSupportOpenline);
  const newToken = strval(fields.botToken);
  if (newToken && bot.owner.kind === 'webhook') {
    checkToken(newToken);
    bot.owner = { kind: 'webhook', key: newToken };
  }
  return botView(bot);
};

const unregister: MethodHandler = (params, ctx) => {
  const bot = ownedBot(params, ctx);
  ctx.state.bots.delete(bot.id);
  ctx.state.events.delete(bot.id);
  ctx.state.acked.delete(bot.id);
  return true;
};

const get: MethodHandler = (params, ctx) => {
  tokenOf(params.botToken, ctx);
  const id = intval(params.botId);
  const code = strval(params.code);
  if (id <= 0 && !code) fail('PARAMS_REQUIRED', 'botId or code is required');
  const bot = id > 0 ? ctx.state.bots.get(id) : [...ctx.state.bots.values()].find((b) => b.code === code);
  return botView(bot ?? fail('BOT_NOT_FOUND', 'Bot not found'));
};

const list: MethodHandler = (params, ctx) => {
  tokenOf(params.botToken, ctx);
  const type = strval(objval(params.filter)?.type);
  const limit = intval(params.limit) > 0 ? intval(params.limit) : 50;
  const offset = Math.max(0, intval(params.offset));
  const all = [...ctx.state.bots.values()].filter((b) => !type || b.type === type);
  const page = all.slice(offset, offset + limit).map(botView);
  return { bots: page.map((p) => p.bot), users: page.flatMap((p) => p.users), hasNextPage: offset + limit < all.length };
};

const messageSend: MethodHandler = (params, ctx) => {
  const bot = ownedBot(params, ctx);
  const dialogId = strval(params.dialogId);
  // [inference] the method page names no code for a missing dialogId; v2 uses *_REQUIRED codes.
  if (!dialogId) fail('DIALOG_ID_REQUIRED', 'dialogId is required');
  const fields = objval(params.fields) ?? {};
  let text = strval(fields.message).trim();
  if (!text && fields.attach === undefined) fail('EMPTY_MESSAGE', 'Message is empty');
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)} (...)`;
  const keyboard = normalizeKeyboard(fields.keyboard);
  const message = postMessage(ctx.state, chatFor(ctx.state, dialogId), {
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

function ownMessage(params: Params, ctx: MethodContext) {
  const bot = ownedBot(params, ctx);
  const id = intval(params.messageId);
  if (id <= 0) fail('MESSAGE_ID_REQUIRED', 'messageId is required');
  const message = findMessage(ctx.state, id);
  if (!message || message.botId !== bot.id || message.deleted) fail('ACCESS_DENIED', 'Access denied', 403);
  return message;
}

const messageUpdate: MethodHandler = (params, ctx) => {
  const message = ownMessage(params, ctx);
  const fields = objval(params.fields) ?? {};
  if (fields.message !== undefined) message.text = strval(fields.message).trim();
  if (fields.keyboard !== undefined) {
    const keyboard = normalizeKeyboard(fields.keyboard);
    if (keyboard) message.keyboard = keyboard;
    else delete message.keyboard;
  }
  if (fields.attach !== undefined) message.attach = fields.attach;
  message.edited = true;
  return true;
};

const messageDelete: MethodHandler = (params, ctx) => {
  ownMessage(params, ctx).deleted = true;
  return true;
};

const inputAction: MethodHandler = (params, ctx) => {
  ownedBot(params, ctx);
  const dialogId = strval(params.dialogId);
  if (!dialogId) fail('DIALOG_ID_REQUIRED', 'dialogId is required');
  chatFor(ctx.state, dialogId).typing += 1;
  return true;
};

const commandRegister: MethodHandler = (params, ctx) => {
  const bot = ownedBot(params, ctx);
  // Flat top-level parameters are the legacy form, still accepted until 30.09.2026.
  const fields = objval(params.fields) ?? params;
  const raw = strval(fields.command);
  if (!raw) fail('COMMAND_REQUIRED', 'Command is required');
  const command = raw.replace(/^\//, '');
  if (!/^[a-z0-9_-]+$/i.test(command)) fail('COMMAND_NAME_INVALID', 'Invalid command name');
  const hidden = boolval(fields.hidden);
  if (!hidden && !objval(fields.title) && !strval(fields.title)) fail('COMMAND_TITLE_REQUIRED', 'Command title is required');
  let found = bot.commands.find((c) => c.command === command);
  if (!found) {
    found = { id: ++ctx.state.seq.command, botId: bot.id, command, common: boolval(fields.common), hidden };
    bot.commands.push(found);
  }
  const view = { id: found.id, botId: bot.id, command: `/${found.command}`, common: found.common, hidden: found.hidden };
  return { command: { ...view, extranetSupport: boolval(fields.extranetSupport) } };
};

/** Handlers keyed by lower-case method name. */
export const imbotV2Methods: Record<string, MethodHandler> = {
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
