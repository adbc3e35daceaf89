/**
 * v1 chat-bot methods (`imbot.*`) of the fake portal, with the checks Bitrix24 makes:
 * `CLIENT_ID` through an incoming webhook, bot ownership, required fields.
 */
import type { BotState } from './types';
import { boolval, fail, intval, objval, strval, type Params } from './fault';
import {
  chatFor,
  findMessage,
  normalizeKeyboard,
  postMessage,
  requireId,
  type MethodContext,
  type MethodHandler,
} from './portal-state';

const MAX_BOTS_PER_APP = 5;
const HANDLER_KEYS = ['EVENT_MESSAGE_ADD', 'EVENT_MESSAGE_UPDATE', 'EVENT_MESSAGE_DELETE', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE'];
const REQUIRED_HANDLERS = ['EVENT_MESSAGE_ADD', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE'];

/** Who is calling: the OAuth app, or the webhook caller identified by CLIENT_ID (v1) / botToken (v2). */
export function ownerOf(ctx: MethodContext, key: string | undefined): BotState['owner'] {
  if (ctx.auth === 'oauth') return { kind: 'app' };
  if (!key) fail('ACCESS_DENIED', 'Client ID not specified');
  return { kind: 'webhook', key };
}

export function sameOwner(a: BotState['owner'], b: BotState['owner']): boolean {
  return a.kind === b.kind && (a.kind === 'app' || a.key === (b as { key: string }).key);
}

function callerOf(params: Params, ctx: MethodContext): BotState['owner'] {
  return ownerOf(ctx, strval(params.CLIENT_ID) || undefined);
}

/** Resolves `BOT_ID` (or the caller's first bot when omitted) and checks that the caller owns it. */
export function resolveBot(params: Params, ctx: MethodContext, required = false): BotState {
  const owner = callerOf(params, ctx);
  const id = intval(params.BOT_ID);
  if (id <= 0) {
    if (required) fail('BOT_ID_ERROR', 'Bot not found');
    const first = [...ctx.state.bots.values()].find((b) => sameOwner(b.owner, owner));
    return first ?? fail('BOT_ID_ERROR', 'Bot not found');
  }
  const bot = ctx.state.bots.get(id) ?? fail('BOT_ID_ERROR', 'Bot not found');
  if (!sameOwner(bot.owner, owner)) fail('APP_ID_ERROR', 'Bot was installed by another REST application');
  return bot;
}

function isHandlerUrl(value: unknown): boolean {
  const s = strval(value);
  return /^https?:\/\/[^\s/]+/i.test(s);
}

function handlersOf(params: Params, partial: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const common = params.EVENT_HANDLER;
  if (common !== undefined && !isHandlerUrl(common)) fail('EVENT_MESSAGE_ADD_ERROR', 'Wrong handler URL');
  for (const key of HANDLER_KEYS) {
    const value = params[key] ?? common;
    if (value === undefined) {
      if (!partial && REQUIRED_HANDLERS.includes(key)) fail(`${key}_ERROR`, 'Wrong handler URL');
      continue;
    }
    if (!isHandlerUrl(value)) fail(`${key}_ERROR`, 'Wrong handler URL');
    out[key] = strval(value);
  }
  return out;
}

const register: MethodHandler = (params, ctx) => {
  const owner = callerOf(params, ctx);
  const code = strval(params.CODE);
  if (!code) fail('CODE_ERROR', 'Bot code is not specified');
  const props = objval(params.PROPERTIES) ?? {};
  if (!strval(props.NAME) && !strval(props.LAST_NAME)) fail('NAME_ERROR', 'Bot name is not specified');
  const handlers = handlersOf(params, false);
  const existing = [...ctx.state.bots.values()].find((b) => b.code === code);
  if (existing) {
    // The portal answers a repeated registration of the same code with the existing bot.
    if (!sameOwner(existing.owner, owner)) fail('CODE_ERROR', 'Bot with this code is already registered');
    return existing.id;
  }
  const owned = [...ctx.state.bots.values()].filter((b) => sameOwner(b.owner, owner)).length;
  if (owned >= MAX_BOTS_PER_APP) fail('MAX_COUNT_ERROR', 'Has reached the maximum number of bots for application');
  const type = strval(params.TYPE) || 'B';
  const bot: BotState = {
    id: ++ctx.state.seq.bot,
    code,
    apiVersion: 1,
    type,
    openline: type === 'O' || boolval(params.OPENLINE),
    owner,
    properties: { ...props },
    handlers,
    commands: [],
  };
  ctx.state.bots.set(bot.id, bot);
  return bot.id;
};

const unregister: MethodHandler = (params, ctx) => {
  const bot = resolveBot(params, ctx, true);
  ctx.state.bots.delete(bot.id);
  ctx.state.events.delete(bot.id);
  return true;
};

const update: MethodHandler = (params, ctx) => {
  const bot = resolveBot(params, ctx, true);
  const fields = objval(params.FIELDS);
  if (!fields || Object.keys(fields).length === 0) fail('WRONG_REQUEST', "Update fields can't be empty");
  Object.assign(bot.handlers, handlersOf(fields, true));
  if (fields.CODE !== undefined) bot.code = strval(fields.CODE);
  const props = objval(fields.PROPERTIES);
  if (props) {
    const merged = { ...bot.properties, ...props };
    if (!strval(merged.NAME) && !strval(merged.LAST_NAME)) fail('NAME_ERROR', 'Bot name is not specified');
    bot.properties = merged;
  }
  return true;
};

const botList: MethodHandler = (_params, ctx) => {
  const out: Record<string, unknown> = {};
  for (const bot of ctx.state.bots.values()) {
    out[String(bot.id)] = { ID: bot.id, NAME: strval(bot.properties.NAME ?? bot.properties.name), CODE: bot.code, OPENLINE: bot.openline ? 'Y' : 'N' };
  }
  // PHP encodes an empty array as [], not {}.
  return Object.keys(out).length === 0 ? [] : out;
};

const messageAdd: MethodHandler = (params, ctx) => {
  const bot = resolveBot(params, ctx);
  const dialogId = strval(params.DIALOG_ID);
  if (!dialogId) fail('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
  const text = strval(params.MESSAGE).trim();
  if (!text && params.ATTACH === undefined) fail('MESSAGE_EMPTY', "Message can't be empty");
  // An attachment does not excuse an empty MESSAGE that is sent anyway (#8).
  if (params.MESSAGE !== undefined && !text) fail('MESSAGE_EMPTY', "Message can't be empty");
  const keyboard = normalizeKeyboard(params.KEYBOARD);
  const message = postMessage(ctx.state, chatFor(ctx.state, dialogId), {
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

function ownMessage(params: Params, ctx: MethodContext) {
  const bot = resolveBot(params, ctx);
  const id = requireId(params, 'MESSAGE_ID', 'MESSAGE_ID_ERROR', 'Message not found');
  const message = findMessage(ctx.state, id) ?? fail('MESSAGE_ID_ERROR', 'Message not found');
  if (message.botId !== bot.id || message.deleted) fail('CANT_EDIT_MESSAGE', 'Time has expired for modification or you don\'t have access');
  return message;
}

const messageUpdate: MethodHandler = (params, ctx) => {
  const message = ownMessage(params, ctx);
  if (params.MESSAGE !== undefined) {
    const text = strval(params.MESSAGE).trim();
    if (!text) message.deleted = true;
    else message.text = text;
  }
  if (params.KEYBOARD !== undefined) {
    const keyboard = normalizeKeyboard(params.KEYBOARD);
    if (keyboard) message.keyboard = keyboard;
    else delete message.keyboard;
  }
  if (params.ATTACH !== undefined) message.attach = params.ATTACH;
  message.edited = true;
  return true;
};

const messageDelete: MethodHandler = (params, ctx) => {
  ownMessage(params, ctx).deleted = true;
  return true;
};

const sendTyping: MethodHandler = (params, ctx) => {
  resolveBot(params, ctx);
  const dialogId = strval(params.DIALOG_ID);
  if (!dialogId) fail('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
  chatFor(ctx.state, dialogId).typing += 1;
  return true;
};

const commandRegister: MethodHandler = (params, ctx) => {
  const bot = resolveBot(params, ctx, true);
  const command = strval(params.COMMAND);
  if (!/^[a-z0-9_-]+$/i.test(command)) fail('COMMAND_ERROR', 'Command text is not specified or invalid');
  const handler = strval(params.EVENT_COMMAND_ADD);
  if (!isHandlerUrl(handler)) fail('EVENT_COMMAND_ADD_ERROR', 'Wrong handler URL');
  const lang = params.LANG;
  const langs = Array.isArray(lang) ? lang : [];
  if (langs.length === 0 || langs.some((l) => !strval(objval(l)?.LANGUAGE_ID) || !strval(objval(l)?.TITLE))) {
    fail('LANG_ERROR', 'Lang set is not specified');
  }
  const existing = bot.commands.find((c) => c.command === command);
  if (existing) return existing.id;
  const id = ++ctx.state.seq.command;
  bot.commands.push({ id, botId: bot.id, command, handler, common: boolval(params.COMMON), hidden: boolval(params.HIDDEN) });
  return id;
};

const commandAnswer: MethodHandler = (params, ctx) => {
  const owner = callerOf(params, ctx);
  const id = intval(params.COMMAND_ID);
  const name = strval(params.COMMAND);
  const all = [...ctx.state.bots.values()].flatMap((b) => b.commands.map((c) => ({ bot: b, c })));
  const hit = all.find(({ c }) => (id > 0 ? c.id === id : name !== '' && c.command === name));
  if (!hit) fail('COMMAND_ID_ERROR', 'Command not found');
  if (!sameOwner(hit.bot.owner, owner)) fail('APP_ID_ERROR', 'Command was installed by another REST application');
  const messageId = intval(params.MESSAGE_ID);
  if (messageId <= 0) fail('MESSAGE_ID_EMPTY', 'Message ID can\'t be empty');
  const text = strval(params.MESSAGE).trim();
  if (!text && params.ATTACH === undefined) fail('MESSAGE_EMPTY', "Message can't be empty");
  const dialogId = findMessage(ctx.state, messageId)?.dialogId ?? (strval(params.DIALOG_ID) || 'unknown');
  const keyboard = normalizeKeyboard(params.KEYBOARD);
  const message = postMessage(ctx.state, chatFor(ctx.state, dialogId), {
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
export const imbotV1Methods: Record<string, MethodHandler> = {
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
