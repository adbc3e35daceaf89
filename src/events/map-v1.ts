/**
 * v1 events (`ONIMBOT*`, `ONIMCOMMANDADD`, `ONAPP*`) → {@link InboundEvent}.
 */
import { EventValidationError, eventIssue } from './event-validation-error';
import type { DialogEventBase, EventBase, EventTokens, InboundEvent } from './inbound-event';
import {
  chatIdOfDialog,
  clientOf,
  clientOfEntity,
  commandContextOf,
  compact,
  filesOf,
  mergeTokens,
  personOf,
  portalOf,
  shortHash,
  tokensOf,
  type MapContext,
} from './map-common';
import { parseOpenLineFields } from './open-line-fields';
import {
  v1Schemas,
  type V1BotEntry,
  type V1ChatParams,
  type V1CommandEntry,
  type V1EventType,
  type V1User,
} from './v1-schemas';
import type { WireAuth } from './wire-schema';
import { checkFast, fastV1 } from './fast-check';
import type { z } from 'zod';

interface Envelope {
  event: string;
  ts?: number;
  auth?: WireAuth;
  data: unknown;
}

/** `data` of a v1 event, validated (the fast path first, zod when in doubt). */
function checkV1<T extends V1EventType>(
  type: T,
  data: unknown,
  opts: { path: PropertyKey[]; eventType: string },
): z.output<(typeof v1Schemas)[T]> {
  return checkFast(fastV1[type], v1Schemas[type], data, opts) as z.output<(typeof v1Schemas)[T]>;
}

function entryTokens(entry: V1BotEntry) {
  return mergeTokens(tokensOf(entry), tokensOf(entry.AUTH));
}

function baseOf(type: V1EventType, env: Envelope, ctx: MapContext, portal: EventBase['portal']) {
  return {
    rawType: type,
    apiVersion: 1 as const,
    delivery: ctx.delivery,
    ts: env.ts ?? ctx.ts,
    portal,
    applicationToken: env.auth?.application_token,
    auth: tokensOf(env.auth),
  };
}

/** `data[BOT]` is keyed by bot id; the lowest id wins when several bots are listed. */
function firstBot(map: Record<string, V1BotEntry>): { id: number; entry: V1BotEntry } {
  // The first key only (integer keys come in ascending order): no entries array of them all.
  let key = '';
  for (const k in map) {
    key = k;
    break;
  }
  const entry = map[key] as V1BotEntry;
  return { id: entry.BOT_ID ?? Number(key), entry };
}

interface DialogParts {
  dialog: Omit<DialogEventBase, 'dedupeKey'>;
  /** The user of `data[USER]`: the message author, or who added the bot. */
  person?: DialogEventBase['client'];
}

function dialogOf(
  type: V1EventType,
  env: Envelope,
  ctx: MapContext,
  bot: { id: number; code?: string; tokens: EventTokens | undefined },
  params: V1ChatParams,
  user: V1User | undefined,
  /** A join may carry no `data[USER]` (real-payloads 01): its client is then named by `CHAT_ENTITY_ID`. */
  clientFromEntity = false,
): DialogParts {
  const chatId = params.CHAT_ID || params.TO_CHAT_ID || chatIdOfDialog(params.DIALOG_ID);
  if (!chatId) {
    const issue = eventIssue('expected CHAT_ID, TO_CHAT_ID or a chat<ID> DIALOG_ID', [
      'data',
      'PARAMS',
      'CHAT_ID',
    ]);
    throw new EventValidationError([issue], { eventType: type });
  }
  const ol = parseOpenLineFields({
    entityType: params.CHAT_ENTITY_TYPE,
    entityId: params.CHAT_ENTITY_ID,
    entityData1: params.CHAT_ENTITY_DATA_1,
    entityData2: params.CHAT_ENTITY_DATA_2,
    messageType: params.MESSAGE_TYPE,
    chatType: params.CHAT_TYPE,
  });
  const person = personOf(
    user && {
      id: user.ID,
      name: user.NAME,
      firstName: user.FIRST_NAME,
      lastName: user.LAST_NAME,
      gender: user.GENDER,
      isBot: user.IS_BOT,
      isConnector: user.IS_CONNECTOR,
      isExtranet: user.IS_EXTRANET,
    },
    ol,
  );
  const portal = portalOf(env.auth, [bot.tokens], ctx, type);
  // Built by name in `compact`'s key order (the base, the open-line fields, the chat): this runs
  // for every event, and stores by constant name are the cheap ones.
  const d: Record<string, unknown> = {};
  d.rawType = type;
  d.apiVersion = 1;
  d.delivery = ctx.delivery;
  const ts = env.ts ?? ctx.ts;
  if (ts !== undefined) d.ts = ts;
  d.portal = portal;
  const applicationToken = env.auth?.application_token;
  if (applicationToken !== undefined) d.applicationToken = applicationToken;
  const auth = tokensOf(env.auth);
  if (auth !== undefined) d.auth = auth;
  d.isOpenLine = ol.isOpenLine;
  d.crm = ol.crm;
  if (ol.connector !== undefined) d.connector = ol.connector;
  if (ol.lineId !== undefined) d.lineId = ol.lineId;
  if (ol.connectorChatId !== undefined) d.connectorChatId = ol.connectorChatId;
  if (ol.connectorUserId !== undefined) d.connectorUserId = ol.connectorUserId;
  if (ol.sessionId !== undefined) d.sessionId = ol.sessionId;
  const botRef: Record<string, unknown> = { id: bot.id };
  if (bot.code !== undefined) botRef.code = bot.code;
  botRef.apiVersion = 1;
  d.bot = botRef;
  if (bot.tokens !== undefined) d.botAuth = bot.tokens;
  d.chatId = chatId;
  d.dialogId = params.DIALOG_ID;
  const client = !person && clientFromEntity ? clientOfEntity(ol) : clientOf(person, ol);
  if (client !== undefined) d.client = client;
  const language = params.LANGUAGE || undefined;
  if (language !== undefined) d.language = language;
  const dialog = d as unknown as DialogParts['dialog'];
  return { dialog, person };
}

function botOf(map: Record<string, V1BotEntry>) {
  const { id, entry } = firstBot(map);
  return { id, code: entry.BOT_CODE, tokens: entryTokens(entry) };
}

/**
 * Maps a validated v1 envelope to its {@link InboundEvent}. Throws {@link EventValidationError}.
 */
export function mapV1(type: V1EventType, env: Envelope, ctx: MapContext): InboundEvent {
  const opts = { path: ['data'], eventType: type };
  const key = (botId: number, memberId: string, ...rest: (string | number | undefined)[]) => {
    let text = `v1:${memberId}:${botId}:${type}`;
    for (let i = 0; i < rest.length; i++) text += `:${rest[i] ?? '-'}`;
    return text;
  };
  switch (type) {
    case 'ONIMBOTMESSAGEADD': {
      const data = checkV1(type, env.data, opts);
      const p = data.PARAMS;
      const bot = botOf(data.BOT);
      const { dialog, person } = dialogOf(type, env, ctx, bot, p, data.USER);
      // The dialog was built for this event alone: completed in place, in `compact`'s key order.
      const ev = dialog as unknown as Record<string, unknown>;
      ev.kind = 'message';
      ev.messageId = p.MESSAGE_ID;
      ev.text = p.MESSAGE ?? '';
      ev.files = filesOf(p.FILES, p.FILE_ID);
      if (person !== undefined) ev.author = person;
      ev.isSystem = p.SYSTEM ?? false;
      ev.dedupeKey = key(bot.id, dialog.portal.memberId, p.MESSAGE_ID);
      return ev as unknown as InboundEvent;
    }
    case 'ONIMBOTMESSAGEUPDATE':
    case 'ONIMBOTMESSAGEDELETE': {
      const data = checkV1(type, env.data, opts);
      const p = data.PARAMS;
      const bot = botOf(data.BOT);
      const { dialog, person } = dialogOf(type, env, ctx, bot, p, data.USER);
      const messageId = (p.MESSAGE_ID ?? p.ID) as number;
      const m = dialog.portal.memberId;
      if (type === 'ONIMBOTMESSAGEDELETE') {
        return compact<InboundEvent>(dialog, {
          kind: 'message.delete',
          messageId,
          dedupeKey: key(bot.id, m, messageId),
        });
      }
      const text = p.MESSAGE ?? '';
      // An edit repeats the message id: the text tells two edits apart.
      const dedupeKey = key(bot.id, m, messageId, shortHash(text));
      return compact<InboundEvent>(dialog, {
        kind: 'message.edit',
        messageId,
        text,
        author: person,
        dedupeKey,
      });
    }
    case 'ONIMBOTJOINCHAT': {
      const data = checkV1(type, env.data, opts);
      const bot = botOf(data.BOT);
      const p = data.PARAMS;
      if (!p.CHAT_ID && !p.TO_CHAT_ID && /^\d+$/.test(p.DIALOG_ID)) {
        // A private dialog names only the user (`DIALOG_ID=27`): no chat id to key a dialog on.
        const portal = portalOf(env.auth, [bot.tokens], ctx, type);
        const user = personOf(
          data.USER && {
            id: data.USER.ID,
            name: data.USER.NAME,
            firstName: data.USER.FIRST_NAME,
            lastName: data.USER.LAST_NAME,
            gender: data.USER.GENDER,
            isBot: data.USER.IS_BOT,
            isConnector: data.USER.IS_CONNECTOR ?? false,
            isExtranet: data.USER.IS_EXTRANET,
          },
          { isOpenLine: false, crm: {} },
        );
        return compact<InboundEvent>(baseOf(type, env, ctx, portal), {
          kind: 'join.private',
          bot: compact({ id: bot.id, code: bot.code, apiVersion: 1 as const }),
          dialogId: p.DIALOG_ID,
          userId: p.USER_ID || user?.id,
          user,
          language: p.LANGUAGE || undefined,
          dedupeKey: key(bot.id, portal.memberId, `u${p.DIALOG_ID}`, env.ts ?? ctx.ts),
        });
      }
      const { dialog, person } = dialogOf(type, env, ctx, bot, p, data.USER, true);
      const ev = dialog as unknown as Record<string, unknown>;
      ev.kind = 'join';
      // `USER_ID=0` (a line that put the bot in by itself) names nobody.
      const userId = data.PARAMS.USER_ID || person?.id;
      if (userId !== undefined) ev.userId = userId;
      ev.dedupeKey = key(bot.id, dialog.portal.memberId, dialog.chatId, dialog.ts);
      return ev as unknown as InboundEvent;
    }
    case 'ONIMCOMMANDADD': {
      const data = checkV1(type, env.data, opts);
      const [cmdKey, entry] = Object.entries(data.COMMAND)[0] as [string, V1CommandEntry];
      const tokens = mergeTokens(tokensOf(entry), tokensOf(entry.AUTH));
      const bot = { id: entry.BOT_ID, code: entry.BOT_CODE, tokens };
      const { dialog } = dialogOf(type, env, ctx, bot, data.PARAMS, data.USER);
      const commandId = entry.COMMAND_ID ?? Number(cmdKey);
      const messageId = entry.MESSAGE_ID ?? data.PARAMS.MESSAGE_ID;
      const params = entry.COMMAND_PARAMS ?? '';
      const context = commandContextOf(entry.COMMAND_CONTEXT);
      // A keyboard message can be pressed many times: its message id alone is not unique.
      const when = context === 'textarea' ? [] : [dialog.ts];
      const ev = dialog as unknown as Record<string, unknown>;
      ev.kind = 'command';
      ev.command = entry.COMMAND.replace(/^\//, '');
      ev.params = params;
      ev.commandId = commandId;
      ev.context = context;
      if (messageId !== undefined) ev.messageId = messageId;
      ev.dedupeKey = key(
        bot.id,
        dialog.portal.memberId,
        commandId,
        messageId,
        shortHash(params),
        ...when,
      );
      return ev as unknown as InboundEvent;
    }
    case 'ONIMBOTDELETE': {
      const data = checkV1('ONIMBOTDELETE', env.data, opts);
      const portal = portalOf(env.auth, [], ctx, type);
      return compact<InboundEvent>(baseOf(type, env, ctx, portal), {
        kind: 'bot.delete',
        bot: compact({ id: data.BOT_ID, code: data.BOT_CODE, apiVersion: 1 as const }),
        dedupeKey: key(data.BOT_ID, portal.memberId),
      });
    }
    case 'ONAPPINSTALL': {
      const data = checkV1('ONAPPINSTALL', env.data, opts);
      const portal = portalOf(env.auth, [], ctx, type);
      return compact<InboundEvent>(baseOf(type, env, ctx, portal), {
        kind: 'app.install',
        version: data?.VERSION,
        language: data?.LANGUAGE_ID,
        dedupeKey: key(0, portal.memberId, env.ts),
      });
    }
    case 'ONAPPUNINSTALL': {
      const data = checkV1('ONAPPUNINSTALL', env.data, opts);
      const portal = portalOf(env.auth, [], ctx, type);
      return compact<InboundEvent>(baseOf(type, env, ctx, portal), {
        kind: 'app.uninstall',
        clean: data?.CLEAN ?? false,
        dedupeKey: key(0, portal.memberId, env.ts),
      });
    }
  }
}
