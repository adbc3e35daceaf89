/**
 * zod schemas of the `data` of every v1 event (`ONIMBOT*`, `ONIMCOMMANDADD`, `ONAPP*`), as in
 * CONTRACT-v1-and-common.md §2. Unknown fields are tolerated and dropped (zod strip mode, the
 * fast path); only what the framework
 * reads is checked.
 */
import { z } from 'zod';
import { authShape, optId, optStr, optText, reqStr, wireFlag, wireId } from './wire-schema';

const idKey = z.string().regex(/^\d{1,15}$/, 'expected a numeric key');

/** `data[BOT][<BOT_ID>]`: the bot's own auth keys, a nested `AUTH`, `BOT_ID`, `BOT_CODE`. */
export const v1BotEntry = z.object({
  ...authShape,
  AUTH: z.object(authShape).optional(),
  BOT_ID: optId,
  BOT_CODE: optStr(128),
});
export type V1BotEntry = z.output<typeof v1BotEntry>;

/** The `data[BOT]` map keyed by bot id (several bots of one app may be listed). */
export const v1BotMap = z
  .record(idKey, v1BotEntry)
  .refine((m) => Object.keys(m).length > 0, 'expected at least one bot');

/** `data[USER]`: the author / the user who added the bot. Vanishes when empty. */
export const v1User = z.object({
  ID: optId,
  NAME: optStr(512),
  FIRST_NAME: optStr(256),
  LAST_NAME: optStr(256),
  GENDER: optStr(8),
  IS_BOT: wireFlag,
  IS_CONNECTOR: wireFlag,
  IS_NETWORK: wireFlag,
  IS_EXTRANET: wireFlag,
});
export type V1User = z.output<typeof v1User>;

/** Chat fields shared by the message, join and command `PARAMS`. */
const chatShape = {
  DIALOG_ID: reqStr(64),
  CHAT_ID: optId,
  TO_CHAT_ID: optId,
  MESSAGE_TYPE: optStr(8),
  CHAT_TYPE: optStr(8),
  CHAT_ENTITY_TYPE: optStr(64),
  CHAT_ENTITY_ID: optStr(512),
  CHAT_ENTITY_DATA_1: optStr(1024),
  CHAT_ENTITY_DATA_2: optStr(1024),
  CHAT_ENTITY_DATA_3: optStr(1024),
  FROM_USER_ID: optId,
  AUTHOR_ID: optId,
  LANGUAGE: optStr(16),
};
export type V1ChatParams = z.output<z.ZodObject<typeof chatShape>>;

const messageParams = z.object({
  ...chatShape,
  MESSAGE_ID: wireId,
  MESSAGE: optText,
  SYSTEM: wireFlag,
  FILES: z.unknown().optional(),
  FILE_ID: z.unknown().optional(),
});

const editParams = z
  .object({ ...chatShape, ID: optId, MESSAGE_ID: optId, MESSAGE: optText })
  .refine((p) => p.MESSAGE_ID !== undefined || p.ID !== undefined, {
    message: 'expected MESSAGE_ID or ID',
    path: ['MESSAGE_ID'],
  });

/** `data[COMMAND][<COMMAND_ID>]`: bot auth keys plus the command that was run. */
export const v1CommandEntry = z.object({
  ...authShape,
  AUTH: z.object(authShape).optional(),
  BOT_ID: wireId,
  BOT_CODE: optStr(128),
  COMMAND: reqStr(128),
  COMMAND_ID: optId,
  COMMAND_PARAMS: optStr(10_000),
  COMMAND_CONTEXT: optStr(32),
  MESSAGE_ID: optId,
});
export type V1CommandEntry = z.output<typeof v1CommandEntry>;

/** The `data[COMMAND]` map keyed by command id. */
export const v1CommandMap = z
  .record(idKey, v1CommandEntry)
  .refine((m) => Object.keys(m).length > 0, 'expected at least one command');

export const v1Schemas = {
  ONIMBOTMESSAGEADD: z.object({
    BOT: v1BotMap,
    PARAMS: messageParams,
    USER: v1User.optional(),
  }),
  ONIMBOTMESSAGEUPDATE: z.object({
    BOT: v1BotMap,
    PARAMS: editParams,
    USER: v1User.optional(),
  }),
  ONIMBOTMESSAGEDELETE: z.object({
    BOT: v1BotMap,
    PARAMS: editParams,
    USER: v1User.optional(),
  }),
  ONIMBOTJOINCHAT: z.object({
    BOT: v1BotMap,
    PARAMS: z.object({
      ...chatShape,
      BOT_ID: optId,
      USER_ID: optId,
      ACCESS_HISTORY: wireFlag,
    }),
    USER: v1User.optional(),
  }),
  ONIMCOMMANDADD: z.object({
    COMMAND: v1CommandMap,
    PARAMS: z.object({ ...chatShape, MESSAGE_ID: optId, MESSAGE: optText }),
    USER: v1User.optional(),
  }),
  ONIMBOTDELETE: z.object({ BOT_ID: wireId, BOT_CODE: optStr(128) }),
  // An empty `data` vanishes from a form body, hence optional.
  ONAPPINSTALL: z
    .object({
      VERSION: optStr(32),
      ACTIVE: wireFlag,
      INSTALLED: wireFlag,
      LANGUAGE_ID: optStr(16),
    })
    .optional(),
  ONAPPUNINSTALL: z.object({ LANGUAGE_ID: optStr(16), CLEAN: wireFlag }).optional(),
} as const;

export type V1EventType = keyof typeof v1Schemas;
