/**
 * Public types of the fake Bitrix24 portal (`createFakePortal`, `mockPortal`).
 */

/** Where an open-line dialog stands, as the portal sees it. */
export type SessionState = 'bot' | 'operator' | 'transferred' | 'finished';

/** One REST call the portal received (batch sub-calls are logged one by one). */
export interface CallRecord {
  /** Method name as the client wrote it, without `.json`. */
  method: string;
  /** Decoded parameters (JSON, PHP-bracket form or query), `auth` removed, PHP lists as arrays. */
  params: Record<string, unknown>;
  auth: 'webhook' | 'oauth';
  /** True for a sub-call of `batch`; the `batch` request itself is logged too, with `viaBatch: false`. */
  viaBatch: boolean;
  /** The `cmd` key of a batch sub-call. */
  batchKey?: string;
  /** Clock time (ms) when the portal received the call. */
  at: number;
  /** Sequence number (1-based) of the HTTP request that carried the call. */
  httpRequest: number;
  /** The Bitrix24 error code the call was answered with; absent on success. */
  error?: string;
}

/** A message that ended up in a chat. */
export interface ChatMessage {
  id: number;
  dialogId: string;
  text: string;
  /** Normalised `{ BUTTONS: [...] }`, or undefined. */
  keyboard?: { BUTTONS: unknown[]; [key: string]: unknown };
  attach?: unknown;
  /** The REST method that posted it (`imbot.message.add`, `imopenlines.bot.session.message.send`, ...). */
  via: string;
  author: 'bot' | 'client';
  botId?: number;
  /** `NAME` of `imopenlines.bot.session.message.send` (`WELCOME` posts the line greeting). */
  name?: 'WELCOME' | 'DEFAULT';
  /** The answered command message, for `imbot.command.answer` / `imbot.v2.Command.answer`. */
  answerTo?: number;
  /** Files uploaded with the message (`imbot.v2.File.upload`): decoded size and base64 content. */
  files?: Array<{ id: number; name: string; size: number; content: string }>;
  /** Reaction codes the bot set on the message (`imbot.v2.Chat.Message.Reaction.add`). */
  reactions?: string[];
  edited: boolean;
  deleted: boolean;
  at: number;
}

/** A hand-off recorded by `imopenlines.bot.session.transfer`. */
export interface TransferRecord {
  userId?: number;
  lineId?: number;
  transferId?: string;
  leave: boolean;
  at: number;
}

/** Everything the portal knows about one chat (keyed by dialog id, e.g. `chat1777`). */
export interface ChatState {
  dialogId: string;
  /** Numeric chat id, or null for a private dialog with a user. */
  chatId: number | null;
  lineId: number;
  /** `connector|lineId|connectorChatId|connectorUserId`. */
  userCode: string;
  session: SessionState;
  sessionId: number;
  messages: ChatMessage[];
  transfers: TransferRecord[];
  /** How many typing notifications the chat got. */
  typing: number;
  /** Operator the dialog went to by `operator`/`transfer` (user id), if any. */
  operatorId?: number;
}

/** A bot registered on the portal through v1 or v2 methods. */
export interface BotState {
  id: number;
  code: string;
  apiVersion: 1 | 2;
  /** v1 TYPE (`B`, `O`, `H`, `S`) or v2 type (`bot`, `openline`, ...). */
  type: string;
  openline: boolean;
  /** `app` = registered through OAuth; `webhook` = through an incoming webhook with `key` (CLIENT_ID / botToken). */
  owner: { kind: 'app' } | { kind: 'webhook'; key: string };
  properties: Record<string, unknown>;
  eventMode?: 'fetch' | 'webhook';
  webhookUrl?: string;
  /** v1 handler URLs (`EVENT_MESSAGE_ADD`, ...). */
  handlers: Record<string, string>;
  commands: CommandState[];
}

export interface CommandState {
  id: number;
  botId: number;
  command: string;
  handler?: string;
  common: boolean;
  hidden: boolean;
}

/** An open line (`imopenlines.config.list.get` item). */
export interface LineConfig {
  ID: number;
  LINE_NAME: string;
  ACTIVE?: 'Y' | 'N';
  WELCOME_MESSAGE_TEXT?: string;
  QUEUE?: number[];
  [key: string]: unknown;
}

/** One item of the v2 fetch queue, as `imbot.v2.Event.get` returns it. */
export interface QueuedEvent {
  eventId: number;
  type: string;
  date: string;
  data: Record<string, unknown>;
}

/** What `queueEvent` accepts: an item with or without `eventId` / `date` (e.g. `events.v2.fetchItem(...)`). */
export interface QueueEventInput {
  type: string;
  /** Any object: builder payload interfaces need no index signature. */
  data: object;
  eventId?: number;
  date?: string;
}

/** Options of `failNext`. */
export interface FailNextOptions {
  /** HTTP status; default by code (503 limits, 500 server errors, 401 auth, 403 access, else 400). */
  status?: number;
  /** How many calls fail in a row (default 1). */
  times?: number;
  /** Fail starting at the n-th matching call from now (1-based, default 1). */
  nth?: number;
  description?: string;
  /** Destroy the socket instead of answering (the client sees a network error). */
  network?: boolean;
  /** Execute the method first, then fail: the state changes but the client never learns it (lost answer). */
  afterEffect?: boolean;
  /**
   * Execute the method, then never answer (the connection stays open until the client gives up
   * or the portal closes): a request that reached the portal and timed out. `error` is only logged.
   */
  stall?: boolean;
}

/** OAuth tokens of the installation, in the shape the REST client takes. */
export interface FakePortalTokens {
  memberId: string;
  domain: string;
  clientEndpoint: string;
  serverEndpoint: string;
  accessToken: string;
  refreshToken: string;
  /** Expiry of `accessToken`, ms since the epoch (clock time). */
  expiresAt: number;
}

/** Options of `createFakePortal` / `mockPortal`. */
export interface FakePortalOptions {
  /** Time source for the leaky bucket, token expiry and the call log; default real time. */
  clock?: { now(): number };
  /** Leaky bucket; default burst 50, drain 2/s. `false` disables it. */
  rateLimit?: { burst?: number; drainPerSecond?: number } | false;
  memberId?: string;
  domain?: string;
  applicationToken?: string;
  clientId?: string;
  clientSecret?: string;
  webhookSecret?: string;
  /** User id in the webhook URL (default 1). */
  webhookUserId?: number;
  /** Open lines of the portal; default one line `ID 1`. */
  lines?: LineConfig[];
  /** Id of the first bot registered (default 7: small on purpose, see README trap 1). */
  firstBotId?: number;
  /** Access-token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /**
   * Least time between two `imbot.v2.Event.get` requests of one bot, on the portal's clock; a
   * faster request is answered 429 (README trap 16). Default 2000; 0 turns the check off.
   */
  eventGetMinIntervalMs?: number;
  /** What the `scope` method answers (the webhook's or app's scopes); default `imbot, imopenlines, im, crm`. */
  scopes?: string[];
}
