/**
 * v2 events (`ONIMBOTV2*`), from a webhook body or a fetch item → {@link InboundEvent}.
 */
import type { DialogEventBase, EventBase, InboundEvent } from './inbound-event';
import {
  clientOf,
  commandContextOf,
  compact,
  filesOf,
  personOf,
  portalOf,
  shortHash,
  toPlain,
  tokensOf,
  type MapContext,
} from './map-common';
import { parseOpenLineFields } from './open-line-fields';
import { v2Schemas, type V2Chat, type V2EventType, type V2User } from './v2-schemas';
import { check, type WireAuth } from './wire-schema';

interface Envelope {
  ts?: number;
  auth?: WireAuth;
  data: unknown;
}

function dialogOf(
  base: Omit<EventBase, 'dedupeKey'> & {
    bot: DialogEventBase['bot'];
    botAuth?: DialogEventBase['botAuth'];
  },
  chat: V2Chat,
  user: V2User | undefined,
  language: string | undefined,
  dialogId: string | undefined,
) {
  const ol = parseOpenLineFields({
    entityType: chat.entityType,
    entityId: chat.entityId,
    entityData1: chat.entityData1,
    entityData2: chat.entityData2,
    messageType: chat.messageType,
    chatType: chat.type,
  });
  const person = personOf(
    user && {
      id: user.id,
      name: user.name,
      firstName: user.firstName,
      lastName: user.lastName,
      gender: user.gender,
      isBot: user.bot,
      isConnector: user.connector,
      isExtranet: user.extranet,
    },
    ol,
  );
  const dialog = compact<Omit<DialogEventBase, 'dedupeKey'>>(base, ol, {
    chatId: chat.id,
    dialogId: chat.dialogId || dialogId || `chat${chat.id}`,
    client: clientOf(person, ol),
    language: language || undefined,
  });
  return { dialog, person };
}

type Prelude = ReturnType<typeof preludeOf>;

/** What every v2 event shares: bot, portal, base fields and the dedupe key builder. */
function preludeOf(
  type: V2EventType,
  env: Envelope,
  ctx: MapContext,
  bot: { id: number; code?: string; auth?: WireAuth },
) {
  const botAuth = tokensOf(bot.auth);
  const portal = portalOf(env.auth, [botAuth], ctx, type);
  const ts = env.ts ?? ctx.ts;
  const base = compact({
    rawType: type,
    apiVersion: 2 as const,
    delivery: ctx.delivery,
    ts,
    eventId: ctx.eventId,
    portal,
    applicationToken: env.auth?.application_token,
    auth: tokensOf(env.auth),
    bot: compact({ id: bot.id, code: bot.code, apiVersion: 2 as const }),
    botAuth,
  });
  // Fetch items carry a unique, increasing eventId; webhook bodies only their content.
  const key = (...rest: (string | number | undefined)[]) =>
    ctx.delivery === 'fetch' && ctx.eventId !== undefined
      ? `v2f:${portal.memberId}:${bot.id}:${ctx.eventId}`
      : [`v2:${portal.memberId}:${bot.id}:${type}`, ...rest.map((r) => r ?? '-')].join(':');
  return { base, key, ts };
}

function dialogFor(
  pre: Prelude,
  data: { chat: V2Chat; user?: V2User; language?: string; dialogId?: string },
) {
  return dialogOf(pre.base, data.chat, data.user, data.language, data.dialogId);
}

/**
 * Maps a v2 event to its {@link InboundEvent}; `env.auth` is the top-level `auth` (webhook only).
 * Throws {@link EventValidationError}.
 */
export function mapV2(type: V2EventType, env: Envelope, ctx: MapContext): InboundEvent {
  const opts = { path: ['data'], eventType: type };
  switch (type) {
    case 'ONIMBOTV2MESSAGEADD':
    case 'ONIMBOTV2MESSAGEUPDATE': {
      const data = check(v2Schemas[type], env.data, opts);
      const pre = preludeOf(type, env, ctx, data.bot);
      const { dialog, person } = dialogFor(pre, data);
      const { message } = data;
      const text = message.text ?? '';
      if (type === 'ONIMBOTV2MESSAGEUPDATE') {
        // An edit repeats the message id: the text tells two edits apart.
        const dedupeKey = pre.key(message.id, shortHash(text));
        return compact<InboundEvent>(dialog, {
          kind: 'message.edit',
          messageId: message.id,
          text,
          author: person,
          dedupeKey,
        });
      }
      const params = (message.params ?? {}) as Record<string, unknown>;
      return compact<InboundEvent>(dialog, {
        kind: 'message',
        messageId: message.id,
        text,
        files: filesOf(params.files, params.FILES, params.FILE_ID),
        author: person,
        isSystem: message.isSystem ?? false,
        dedupeKey: pre.key(message.id),
      });
    }
    case 'ONIMBOTV2MESSAGEDELETE': {
      const data = check(v2Schemas[type], env.data, opts);
      const pre = preludeOf(type, env, ctx, data.bot);
      const { dialog } = dialogFor(pre, data);
      return compact<InboundEvent>(dialog, {
        kind: 'message.delete',
        messageId: data.messageId,
        dedupeKey: pre.key(data.messageId),
      });
    }
    case 'ONIMBOTV2JOINCHAT': {
      const data = check(v2Schemas[type], env.data, opts);
      const pre = preludeOf(type, env, ctx, data.bot);
      const { dialog, person } = dialogFor(pre, data);
      return compact<InboundEvent>(dialog, {
        kind: 'join',
        userId: person?.id,
        dedupeKey: pre.key(dialog.chatId, pre.ts),
      });
    }
    case 'ONIMBOTV2COMMANDADD': {
      const data = check(v2Schemas[type], env.data, opts);
      const pre = preludeOf(type, env, ctx, data.bot);
      const { dialog } = dialogFor(pre, data);
      const { command } = data;
      const params = command.params ?? '';
      const context = commandContextOf(command.context);
      const messageId = data.message?.id;
      // One message may carry several commands, and a keyboard message can be pressed again.
      const when = context === 'textarea' ? [] : [pre.ts];
      return compact<InboundEvent>(dialog, {
        kind: 'command',
        command: command.command.replace(/^\//, ''),
        params,
        commandId: command.id,
        context,
        messageId,
        dedupeKey: pre.key(messageId, command.id, shortHash(params), ...when),
      });
    }
    case 'ONIMBOTV2REACTIONCHANGE': {
      const data = check(v2Schemas[type], env.data, opts);
      const pre = preludeOf(type, env, ctx, data.bot);
      const { dialog, person } = dialogFor(pre, data);
      const { reaction, action, message } = data;
      const dedupeKey = pre.key(message.id, person?.id, reaction, action, pre.ts);
      return compact<InboundEvent>(dialog, {
        kind: 'reaction',
        messageId: message.id,
        reaction,
        action,
        dedupeKey,
      });
    }
    case 'ONIMBOTV2CONTEXTGET': {
      const data = check(v2Schemas[type], env.data, opts);
      const pre = preludeOf(type, env, ctx, data.bot);
      const { dialog } = dialogFor(pre, data);
      const dedupeKey = pre.key(dialog.dialogId, pre.ts);
      return compact<InboundEvent>(dialog, {
        kind: 'context',
        context: toPlain(data.context),
        dedupeKey,
      });
    }
    case 'ONIMBOTV2DELETE': {
      const data = check(v2Schemas[type], env.data, opts);
      const pre = preludeOf(type, env, ctx, data.bot);
      const { botAuth: _auth, ...base } = pre.base;
      return compact<InboundEvent>(base, { kind: 'bot.delete', dedupeKey: pre.key() });
    }
  }
}
