/**
 * The catalogue of the 38 `imopenlines.*` REST methods (OPENLINES-API.md; Bitrix24 docs folder
 * `api-reference/imopenlines/openlines/`): for each, the parameter schema (checked before any
 * request), the result schema (wire strings to typed values), who may call it and its docs page.
 */
import { z } from 'zod';
import {
  crmChatsResult,
  dialogResult,
  lineSettingsResult,
  okResult,
  pathResult,
  revisionResult,
  sessionHistoryResult,
  sessionOpenResult,
} from './openlines-results';
import { pCount, pCrmType, pFlag, pId, pText, rNum, rNumList } from './openlines-wire';

/** Who may call a method (Bitrix24 checks it; the client does not). */
export type OpenlinesCaller =
  /** The bot's own credentials (its app's OAuth token, or the webhook with `CLIENT_ID`/`botToken`). */
  | 'bot'
  /** Any authorised user, the bot's webhook user included. */
  | 'user'
  /** A user with CRM rights on the object (the bot may be named as `USER_ID`). */
  | 'crm'
  /** An operator or participant of the session. */
  | 'operator'
  /** The head of the operators. */
  | 'head'
  /** A user with the right to configure open lines. */
  | 'admin'
  /** An application (OAuth). */
  | 'app';

/** One catalogue entry. */
export interface OpenlinesMethodSpec<
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  params: P;
  result: R;
  who: OpenlinesCaller;
  /** True when a bot can call it with its own credentials (typed invoked call, fake portal). */
  bot: boolean;
  /** The docs group (`lines`, `network`, `revision`, `bot sessions`, ...). */
  group: string;
  /** Path of the docs page under `api-reference/imopenlines/openlines/`. */
  doc: string;
}

/** Base URL of the docs pages. */
export const OPENLINES_DOCS = 'https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/';

const none = z.strictObject({});
const chatOnly = z.strictObject({ CHAT_ID: pId });
const crmRef = { CRM_ENTITY_TYPE: pCrmType, CRM_ENTITY: pId };

/** Keys of a line's settings the framework knows; the rest of the ~80 keys pass through as given. */
const lineParams = z.looseObject({
  LINE_NAME: pText.optional(),
  ACTIVE: pFlag.optional(),
  QUEUE: z.array(pId).optional(),
  QUEUE_TYPE: z.enum(['evenly', 'strictly', 'all']).optional(),
  QUEUE_TIME: pCount.optional(),
  CRM: pFlag.optional(),
  WELCOME_MESSAGE: pFlag.optional(),
  WELCOME_MESSAGE_TEXT: z.string().optional(),
  WELCOME_BOT_ENABLE: pFlag.optional(),
  WELCOME_BOT_JOIN: z.enum(['first', 'always']).optional(),
  /** Bot user id; 0 detaches. */
  WELCOME_BOT_ID: pCount.optional(),
  WELCOME_BOT_TIME: pCount.optional(),
  WELCOME_BOT_LEFT: z.enum(['queue', 'close']).optional(),
  WORKTIME_ENABLE: pFlag.optional(),
  VOTE_MESSAGE: pFlag.optional(),
});

const TRANSFER_ID = z.union([
  z.number().int().positive().transform(String),
  z.string().regex(/^(\d+|queue\d+)$/, 'expected a user id or queue<ID>'),
]);

const oneOf =
  (keys: string[]) =>
  (p: Record<string, unknown>): boolean =>
    keys.some((k) => p[k] !== undefined);

function spec<P extends z.ZodType, R extends z.ZodType, B extends boolean>(
  s: OpenlinesMethodSpec<P, R> & { bot: B },
): OpenlinesMethodSpec<P, R> & { bot: B } {
  return s;
}

/** Every `imopenlines.*` method: `{ params, result, who, bot, group, doc }`. */
export const OPENLINES_METHODS = {
  // ---- lines ----
  'imopenlines.config.add': spec({
    params: z.strictObject({ PARAMS: lineParams.optional() }),
    result: rNum,
    who: 'admin',
    bot: false,
    group: 'lines',
    doc: 'imopenlines-config-add.html',
  }),
  'imopenlines.config.delete': spec({
    params: z.strictObject({ CONFIG_ID: pId }),
    result: okResult,
    who: 'admin',
    bot: false,
    group: 'lines',
    doc: 'imopenlines-config-delete.html',
  }),
  'imopenlines.config.get': spec({
    params: z.strictObject({
      CONFIG_ID: pId,
      WITH_QUEUE: pFlag.optional(),
      SHOW_OFFLINE: pFlag.optional(),
    }),
    // `false` when the line does not exist.
    result: z.union([z.literal(false).transform(() => null), lineSettingsResult]),
    who: 'user',
    bot: true,
    group: 'lines',
    doc: 'imopenlines-config-get.html',
  }),
  'imopenlines.config.list.get': spec({
    params: z.strictObject({
      PARAMS: z
        .strictObject({
          select: z.array(pText).optional(),
          order: z.record(z.string(), z.enum(['ASC', 'DESC', 'asc', 'desc'])).optional(),
          filter: z.record(z.string(), z.unknown()).optional(),
          limit: z.number().int().min(1).max(200).optional(),
          offset: z.number().int().nonnegative().optional(),
        })
        .optional(),
      OPTIONS: z
        .strictObject({
          QUEUE: pFlag.optional(),
          CONFIG_QUEUE: pFlag.optional(),
          /** A permission action such as `view` (the docs call it a string). */
          CHECK_PERMISSION: pText.optional(),
        })
        .optional(),
    }),
    result: z.preprocess(
      (v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.values(v) : v),
      z.array(lineSettingsResult),
    ),
    who: 'user',
    bot: true,
    group: 'lines',
    doc: 'imopenlines-config-list-get.html',
  }),
  'imopenlines.config.path.get': spec({
    params: none,
    result: pathResult,
    who: 'user',
    bot: true,
    group: 'lines',
    doc: 'imopenlines-config-path-get.html',
  }),
  'imopenlines.config.update': spec({
    params: z.strictObject({ CONFIG_ID: pId, PARAMS: lineParams }),
    result: okResult,
    who: 'admin',
    bot: false,
    group: 'lines',
    doc: 'imopenlines-config-update.html',
  }),
  // ---- network ----
  'imopenlines.network.join': spec({
    params: z.strictObject({
      CODE: z.string().regex(/^[0-9a-zA-Z]{32}$/, 'expected the 32-character line code'),
    }),
    result: rNum,
    who: 'admin',
    bot: false,
    group: 'network',
    doc: 'imopenlines-network-join.html',
  }),
  'imopenlines.network.message.add': spec({
    params: z.strictObject({
      CODE: z.string().regex(/^[0-9a-zA-Z]{32}$/, 'expected the 32-character line code'),
      USER_ID: pId,
      MESSAGE: pText,
      ATTACH: z.unknown().optional(),
      KEYBOARD: z.unknown().optional(),
      URL_PREVIEW: pFlag.optional(),
    }),
    result: okResult,
    who: 'app',
    bot: false,
    group: 'network',
    doc: 'imopenlines-network-message-add.html',
  }),
  // ---- revision ----
  'imopenlines.revision.get': spec({
    params: none,
    result: revisionResult,
    who: 'user',
    bot: true,
    group: 'revision',
    doc: 'imopenlines-revision-get.html',
  }),
  // ---- bot sessions ----
  'imopenlines.bot.session.finish': spec({
    params: z.strictObject({ CHAT_ID: pId, CLIENT_ID: pText.optional() }),
    result: okResult,
    who: 'bot',
    bot: true,
    group: 'bot sessions',
    doc: 'chat-bots/imopenlines-bot-session-finish.html',
  }),
  'imopenlines.bot.session.message.send': spec({
    params: z
      .strictObject({
        CHAT_ID: pId,
        MESSAGE: z.string().optional(),
        /** `DEFAULT` sends `MESSAGE`; `WELCOME` sends the line's greeting. */
        NAME: z.enum(['DEFAULT', 'WELCOME']).optional(),
      })
      .refine((p) => p.NAME === 'WELCOME' || (p.MESSAGE ?? '').trim() !== '', {
        message: 'MESSAGE is required unless NAME is WELCOME',
        path: ['MESSAGE'],
      }),
    result: okResult,
    who: 'bot',
    bot: true,
    group: 'bot sessions',
    doc: 'chat-bots/imopenlines-bot-session-message-send.html',
  }),
  'imopenlines.bot.session.operator': spec({
    params: chatOnly,
    result: okResult,
    who: 'bot',
    bot: true,
    group: 'bot sessions',
    doc: 'chat-bots/imopenlines-bot-session-operator.html',
  }),
  'imopenlines.bot.session.transfer': spec({
    params: z
      .strictObject({
        CHAT_ID: pId,
        USER_ID: pId.optional(),
        /** A line (config) id. */
        QUEUE_ID: pId.optional(),
        TRANSFER_ID: TRANSFER_ID.optional(),
        LEAVE: pFlag.optional(),
        CLIENT_ID: pText.optional(),
      })
      .refine(oneOf(['USER_ID', 'QUEUE_ID', 'TRANSFER_ID']), {
        message: 'one of USER_ID, QUEUE_ID or TRANSFER_ID is required',
      }),
    result: okResult,
    who: 'bot',
    bot: true,
    group: 'bot sessions',
    doc: 'chat-bots/imopenlines-bot-session-transfer.html',
  }),
  // ---- CRM chats ----
  'imopenlines.crm.chat.getLastId': spec({
    params: z.strictObject(crmRef),
    result: rNum,
    who: 'crm',
    bot: true,
    group: 'crm chats',
    doc: 'chats/imopenlines-crm-chat-get-last-id.html',
  }),
  'imopenlines.crm.chat.get': spec({
    params: z.strictObject({ ...crmRef, ACTIVE_ONLY: pFlag.optional() }),
    result: crmChatsResult,
    who: 'crm',
    bot: true,
    group: 'crm chats',
    doc: 'chats/imopenlines-crm-chat-get.html',
  }),
  'imopenlines.crm.chat.user.add': spec({
    params: z.strictObject({ ...crmRef, USER_ID: pId, CHAT_ID: pId.optional() }),
    result: rNum,
    who: 'crm',
    bot: true,
    group: 'crm chats',
    doc: 'chats/imopenlines-crm-chat-user-add.html',
  }),
  'imopenlines.crm.chat.user.delete': spec({
    params: z.strictObject({ ...crmRef, USER_ID: pId, CHAT_ID: pId.optional() }),
    result: rNum,
    who: 'crm',
    bot: true,
    group: 'crm chats',
    doc: 'chats/imopenlines-crm-chat-user-delete.html',
  }),
  // ---- messages ----
  'imopenlines.crm.message.add': spec({
    params: z.strictObject({ ...crmRef, USER_ID: pId, CHAT_ID: pId, MESSAGE: pText }),
    result: rNum,
    who: 'crm',
    bot: true,
    group: 'messages',
    doc: 'messages/imopenlines-crm-message-add.html',
  }),
  'imopenlines.message.quick.save': spec({
    params: z.strictObject({ CHAT_ID: pId, MESSAGE_ID: pId }),
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'quick answers',
    doc: 'messages/imopenlines-message-quick-save.html',
  }),
  // ---- operators ----
  'imopenlines.operator.another.finish': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'operators',
    doc: 'operators/imopenlines-operator-another-finish.html',
  }),
  'imopenlines.operator.answer': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'operators',
    doc: 'operators/imopenlines-operator-answer.html',
  }),
  'imopenlines.operator.finish': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'operators',
    doc: 'operators/imopenlines-operator-finish.html',
  }),
  'imopenlines.operator.skip': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'operators',
    doc: 'operators/imopenlines-operator-skip.html',
  }),
  'imopenlines.operator.spam': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'operators',
    doc: 'operators/imopenlines-operator-spam.html',
  }),
  'imopenlines.operator.transfer': spec({
    params: z
      .strictObject({
        CHAT_ID: pId,
        TRANSFER_ID: TRANSFER_ID.optional(),
        USER_ID: pId.optional(),
        QUEUE_ID: pId.optional(),
      })
      .refine(oneOf(['TRANSFER_ID', 'USER_ID', 'QUEUE_ID']), {
        message: 'one of TRANSFER_ID, USER_ID or QUEUE_ID is required',
      }),
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'operators',
    doc: 'operators/imopenlines-operator-transfer.html',
  }),
  // ---- sessions ----
  'imopenlines.crm.lead.create': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-crm-lead-create.html',
  }),
  'imopenlines.dialog.get': spec({
    params: z
      .strictObject({
        CHAT_ID: pId.optional(),
        DIALOG_ID: z
          .string()
          .regex(/^(chat)?\d+$/, 'expected chat<ID> or a user id')
          .optional(),
        SESSION_ID: pId.optional(),
        USER_CODE: pText.optional(),
      })
      .refine(oneOf(['CHAT_ID', 'DIALOG_ID', 'SESSION_ID', 'USER_CODE']), {
        message: 'one of CHAT_ID, DIALOG_ID, SESSION_ID or USER_CODE is required',
      }),
    result: dialogResult,
    who: 'user',
    bot: true,
    group: 'sessions',
    doc: 'sessions/imopenlines-dialog-get.html',
  }),
  'imopenlines.message.session.start': spec({
    params: z.strictObject({ CHAT_ID: pId, MESSAGE_ID: pId }),
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-message-session-start.html',
  }),
  'imopenlines.session.head.vote': spec({
    params: z.strictObject({
      SESSION_ID: pId,
      RATING: z
        .union([z.number(), z.string().regex(/^\d$/)])
        .transform(Number)
        .pipe(z.number().int().min(1).max(5)),
      COMMENT: z.string().optional(),
    }),
    result: okResult,
    who: 'head',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-head-vote.html',
  }),
  'imopenlines.session.history.get': spec({
    params: z
      .strictObject({ CHAT_ID: pId.optional(), SESSION_ID: pId.optional() })
      .refine(oneOf(['CHAT_ID', 'SESSION_ID']), { message: 'CHAT_ID or SESSION_ID is required' }),
    result: sessionHistoryResult,
    who: 'user',
    bot: true,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-history-get.html',
  }),
  'imopenlines.session.intercept': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-intercept.html',
  }),
  'imopenlines.session.join': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-join.html',
  }),
  'imopenlines.session.mode.pin': spec({
    params: z.strictObject({ CHAT_ID: pId, ACTIVATE: pFlag }),
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-mode-pin.html',
  }),
  'imopenlines.session.mode.pinAll': spec({
    params: none,
    result: rNumList,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-mode-pin-all.html',
  }),
  'imopenlines.session.mode.silent': spec({
    params: z.strictObject({ CHAT_ID: pId, ACTIVATE: pFlag }),
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-mode-silent.html',
  }),
  'imopenlines.session.mode.unpinAll': spec({
    params: none,
    result: rNumList,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-mode-unpin-all.html',
  }),
  'imopenlines.session.open': spec({
    params: z.strictObject({
      USER_CODE: z
        .string()
        .regex(/^[^|]+\|\d+\|[^|]+\|[^|]+$/, 'expected connector|line|chat|user'),
    }),
    result: sessionOpenResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-open.html',
  }),
  'imopenlines.session.start': spec({
    params: chatOnly,
    result: okResult,
    who: 'operator',
    bot: false,
    group: 'sessions',
    doc: 'sessions/imopenlines-session-start.html',
  }),
} as const;

type Catalogue = typeof OPENLINES_METHODS;

/** Every `imopenlines.*` method name. */
export type OpenlinesMethod = keyof Catalogue;

/** Parameters of a method, as the caller passes them. */
export type OpenlinesParams<M extends OpenlinesMethod> = z.input<Catalogue[M]['params']>;

/** The typed result of a method. */
export type OpenlinesResult<M extends OpenlinesMethod> = z.output<Catalogue[M]['result']>;

/** The methods a bot may call with its own credentials. */
export type BotOpenlinesMethod = {
  [M in OpenlinesMethod]: Catalogue[M]['bot'] extends true ? M : never;
}[OpenlinesMethod];

/** True for a method of the catalogue. */
export function isOpenlinesMethod(method: string): method is OpenlinesMethod {
  return Object.hasOwn(OPENLINES_METHODS, method);
}

/** The docs page of a method. */
export function openlinesDocUrl(method: OpenlinesMethod): string {
  return OPENLINES_DOCS + OPENLINES_METHODS[method].doc;
}

/** Line settings as `config.get` / `config.list.get` return them. */
export type OpenlineSettings = z.output<typeof lineSettingsResult>;
/** The session history (`session.history.get`). */
export type SessionHistory = z.output<typeof sessionHistoryResult>;
/** One message of {@link SessionHistory.messages}. */
export type SessionHistoryMessage = SessionHistory['messages'][number];
/** The open-line chat (`dialog.get`). */
export type OpenlineDialogInfo = z.output<typeof dialogResult>;
/** One chat of a CRM object (`crm.chat.get`). */
export type CrmChat = z.output<typeof crmChatsResult>[number];
