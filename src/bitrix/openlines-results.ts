/**
 * Result schemas of the `imopenlines.*` methods whose answer is more than `true` or an id: line
 * settings, the dialog, the session history, CRM chats. Field names stay as Bitrix24 spells
 * them; values are typed (numbers, flags as booleans, dates as `Date`); unknown fields pass
 * through unchanged.
 */
import { z } from 'zod';
import {
  rFlag,
  rMap,
  rNum,
  rNumList,
  rOptDate,
  rOptFlag,
  rOptNum,
  rOptStr,
} from './openlines-wire';

/** One open line's settings (`imopenlines.config.get`, items of `config.list.get`). */
export const lineSettingsResult = z.looseObject({
  ID: rNum,
  LINE_NAME: rOptStr,
  ACTIVE: rOptFlag,
  CRM: rOptFlag,
  QUEUE_TYPE: rOptStr,
  QUEUE_TIME: rOptNum,
  /** Operator user ids; present when asked for (`WITH_QUEUE`, `OPTIONS.QUEUE`). */
  QUEUE: rNumList.optional(),
  WELCOME_MESSAGE: rOptFlag,
  WELCOME_MESSAGE_TEXT: rOptStr,
  WELCOME_BOT_ENABLE: rOptFlag,
  /** `first`: only the first session of a client; `always`: every session. */
  WELCOME_BOT_JOIN: rOptStr,
  /** Bot user id; 0 or absent when none is attached. */
  WELCOME_BOT_ID: rOptNum,
  /** Seconds without an answer after which the bot hands over (0 = never). */
  WELCOME_BOT_TIME: rOptNum,
  /** `queue`: hand to the operators' queue; `close`: close the dialog. */
  WELCOME_BOT_LEFT: rOptStr,
  WORKTIME_ENABLE: rOptFlag,
  DATE_CREATE: rOptDate,
  DATE_MODIFY: rOptDate,
});

/** `imopenlines.dialog.get`: the open-line chat. */
export const dialogResult = z.looseObject({
  id: rNum,
  dialog_id: z.string(),
  name: rOptStr,
  type: rOptStr,
  owner: rOptNum,
  entity_type: rOptStr,
  entity_id: rOptStr,
  entity_data_1: rOptStr,
  entity_data_2: rOptStr,
  entity_data_3: rOptStr,
  manager_list: rNumList.optional(),
  message_type: rOptStr,
  date_create: rOptDate,
});

const historyMessage = z
  .looseObject({
    id: rNum,
    chatid: rNum,
    senderid: rNum,
    date: rOptDate,
    text: z.string().catch(''),
    params: z.unknown().optional(),
  })
  .transform((m) => ({ ...m, chatId: m.chatid, authorId: m.senderid }));

const historyUser = z.looseObject({
  id: rNum,
  name: rOptStr,
  firstName: rOptStr,
  lastName: rOptStr,
  bot: rOptFlag,
  connector: rOptFlag,
  extranet: rOptFlag,
});

/** `imopenlines.session.history.get`. `messages` is `message` as a list, oldest first. */
export const sessionHistoryResult = z
  .looseObject({
    chatId: rNum,
    canJoin: rOptFlag,
    canVoteHead: rOptFlag,
    sessionId: rNum,
    sessionVoteHead: rOptNum,
    sessionCommentHead: z.string().nullish(),
    userId: rOptStr,
    message: rMap(historyMessage),
    usersMessage: rMap(z.array(z.union([z.string(), z.number()]))).optional(),
    users: rMap(historyUser).optional(),
    chat: rMap(z.looseObject({ id: rNum, entityId: rOptStr, dateCreate: rOptDate })).optional(),
    files: z.unknown().optional(),
  })
  .transform((h) => ({
    ...h,
    messages: Object.values(h.message).sort((a, b) => a.id - b.id),
  }));

/** `imopenlines.crm.chat.get`: the chats bound to a CRM object. */
export const crmChatsResult = z.array(
  z.looseObject({ CHAT_ID: rNum, CONNECTOR_ID: rOptStr, CONNECTOR_TITLE: rOptStr }),
);

/** `imopenlines.revision.get`. */
export const revisionResult = z.looseObject({ rest: rNum, web: rOptNum, mobile: rOptNum });

/** `imopenlines.config.path.get`. */
export const pathResult = z.looseObject({ SERVER_ADDRESS: z.string(), PUBLIC_PATH: z.string() });

/** `imopenlines.session.open`. */
export const sessionOpenResult = z.looseObject({ chatId: rNum });

/** A flag result that must be `true`-like or `false`-like. */
export const okResult = rFlag;
