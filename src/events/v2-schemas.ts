/**
 * zod schemas of the `data` of every v2 event (`ONIMBOTV2*`), CONTRACT-v2.md §3. The same schema
 * serves form bodies (all strings), JSON bodies and fetch items (JSON types).
 */
import { z } from 'zod';
import { authBlock, optId, optStr, optText, reqStr, wireFlag, wireId } from './wire-schema';

/** Webhook: `{id, code, auth}`; fetch: the full Bot object without `auth`. */
export const v2Bot = z.object({ id: wireId, code: optStr(128), auth: authBlock.optional() });

export const v2Message = z.object({
  id: wireId,
  chatId: optId,
  authorId: optId,
  date: optStr(64),
  text: optText,
  isSystem: wireFlag,
  params: z.unknown().optional(),
});
export type V2Message = z.output<typeof v2Message>;

export const v2Chat = z.object({
  id: wireId,
  dialogId: optStr(64),
  type: optStr(32),
  messageType: optStr(8),
  entityType: optStr(64),
  entityId: optStr(512),
  entityData1: optStr(1024),
  entityData2: optStr(1024),
  entityData3: optStr(1024),
});
export type V2Chat = z.output<typeof v2Chat>;

export const v2User = z.object({
  id: wireId,
  name: optStr(512),
  firstName: optStr(256),
  lastName: optStr(256),
  gender: optStr(8),
  bot: wireFlag,
  connector: wireFlag,
  extranet: wireFlag,
  type: optStr(32),
});
export type V2User = z.output<typeof v2User>;

const dialogShape = { bot: v2Bot, chat: v2Chat, user: v2User.optional(), language: optStr(16) };
const messageEvent = z.object({ ...dialogShape, message: v2Message });

export const v2Schemas = {
  ONIMBOTV2MESSAGEADD: messageEvent,
  ONIMBOTV2MESSAGEUPDATE: messageEvent,
  ONIMBOTV2MESSAGEDELETE: z.object({ ...dialogShape, messageId: wireId }),
  ONIMBOTV2JOINCHAT: z.object({ ...dialogShape, dialogId: optStr(64) }),
  ONIMBOTV2DELETE: z.object({ bot: v2Bot }),
  ONIMBOTV2COMMANDADD: z.object({
    ...dialogShape,
    command: z.object({
      id: optId,
      command: reqStr(128),
      params: optStr(10_000),
      context: optStr(32),
    }),
    message: v2Message.optional(),
  }),
  ONIMBOTV2REACTIONCHANGE: z.object({
    ...dialogShape,
    reaction: reqStr(64),
    action: z.enum(['add', 'delete']),
    message: v2Message,
  }),
  ONIMBOTV2CONTEXTGET: z.object({
    ...dialogShape,
    dialogId: optStr(64),
    context: z.unknown(),
  }),
} as const;

export type V2EventType = keyof typeof v2Schemas;
