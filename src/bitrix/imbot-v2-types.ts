/**
 * Parameters and results of the v2 `imbot.v2.*` methods (CONTRACT-v2.md §1, §2.1, §4).
 * Bot credentials (`CLIENT_ID`, `botToken`) are optional: the client adds them in webhook mode.
 * Objects are open (`[key: string]: unknown`) where Bitrix24 returns more than we read.
 */
import type { YN } from './imbot-v1-types';

export type V2BotType = 'bot' | 'supervisor' | 'personal' | 'openline' | 'network';
export type V2EventMode = 'fetch' | 'webhook';

export interface V2BotProperties {
  name: string;
  lastName?: string;
  workPosition?: string;
  color?: string;
  gender?: 'M' | 'F';
  /** Base64 image without the `data:` prefix. */
  avatar?: string;
}

export interface V2BotRegisterParams {
  fields: {
    code: string;
    /** Webhook auth only; at most 40 characters. */
    botToken?: string;
    properties: V2BotProperties;
    type?: V2BotType;
    eventMode?: V2EventMode;
    webhookUrl?: string;
    isHidden?: boolean;
    isReactionsEnabled?: boolean;
    isSupportOpenline?: boolean;
    backgroundId?: string | null;
  };
}

export interface V2BotUpdateParams {
  botId: number;
  /** The current token (webhook auth). */
  botToken?: string;
  fields: {
    properties?: Partial<V2BotProperties>;
    isHidden?: boolean;
    isReactionsEnabled?: boolean;
    isSupportOpenline?: boolean;
    backgroundId?: string | null;
    eventMode?: V2EventMode;
    webhookUrl?: string;
    /** A new token (rotation); the old one dies immediately. */
    botToken?: string;
  };
}

export interface V2BotRefParams {
  botId: number;
  botToken?: string;
}

export interface V2BotGetParams {
  botId?: number;
  code?: string;
  botToken?: string;
}

export interface V2Bot {
  id: number;
  code: string;
  type: string;
  isHidden?: boolean;
  isSupportOpenline?: boolean;
  isReactionsEnabled?: boolean;
  backgroundId?: string | null;
  eventMode?: V2EventMode;
  /** Not documented in answers; compared when present. */
  webhookUrl?: string;
  [key: string]: unknown;
}

export interface V2User {
  id: number;
  name?: string;
  [key: string]: unknown;
}

export interface V2BotResult {
  bot: V2Bot;
  users: V2User[];
}

export interface V2MessageFields {
  message?: string;
  attach?: unknown;
  keyboard?: unknown;
  system?: boolean;
  urlPreview?: boolean;
  replyId?: number;
  templateId?: string;
  forwardIds?: Record<string, number>;
  skipConnector?: boolean;
  silentConnector?: boolean;
}

export interface V2MessageSendParams {
  botId: number;
  botToken?: string;
  /** `chat<ID>` or a user id. */
  dialogId: string;
  fields: V2MessageFields;
}

export interface V2MessageSendResult {
  id: number;
  uuidMap?: Record<string, number>;
}

export interface V2MessageUpdateParams {
  botId: number;
  botToken?: string;
  messageId: number;
  fields: Pick<V2MessageFields, 'message' | 'attach' | 'keyboard'> & { urlPreview?: boolean | YN };
}

export interface V2MessageDeleteParams {
  botId: number;
  botToken?: string;
  messageId: number;
  complete?: boolean;
}

export interface V2InputActionNotifyParams {
  botId: number;
  botToken?: string;
  dialogId: string;
  statusMessageCode?: string;
  /** Seconds, 1–600. */
  duration?: number;
}

export interface V2EventGetParams {
  botId: number;
  botToken?: string;
  /** Acknowledges every event with `eventId < offset`. */
  offset?: number;
  /** 1–1000, default 100. */
  limit?: number;
  withUserEvents?: boolean;
}

export interface V2EventItem {
  eventId: number;
  type: string;
  date: string;
  data: Record<string, unknown>;
}

export interface V2EventGetResult {
  events: V2EventItem[];
  /** Send as `offset` next time; an empty queue may answer 0 (never move a stored offset back). */
  nextOffset?: number | null;
  hasMore: boolean;
  [key: string]: unknown;
}

/** Texts per two-letter language code, e.g. `{ en: 'Order status' }`. */
export type V2LangTexts = Record<string, string>;

export interface V2CommandRegisterParams {
  botId: number;
  botToken?: string;
  fields: {
    /** Without the slash. */
    command: string;
    /** Required unless `hidden`. */
    title?: V2LangTexts;
    params?: V2LangTexts;
    /** Available in every chat, not only where the bot is. Default false. */
    common?: boolean;
    /** Left out of the command list. Default false. */
    hidden?: boolean;
    /** Usable by extranet users (open-line clients are). Default false. */
    extranetSupport?: boolean;
  };
}

export interface V2CommandUpdateParams {
  botId: number;
  botToken?: string;
  commandId: number;
  fields: {
    command?: string;
    /** `null` removes a translation; a missing language stays. */
    title?: Record<string, string | null>;
    params?: Record<string, string | null>;
    common?: YN;
    hidden?: YN;
    extranetSupport?: YN;
  };
}

export interface V2Command {
  id: number;
  botId: number;
  /** With the leading slash in answers (`/help`). */
  command: string;
  common?: boolean;
  hidden?: boolean;
  extranetSupport?: boolean;
  [key: string]: unknown;
}

export interface V2CommandResult {
  command: V2Command;
}

/** `imbot.v2.Revision.get`: API revisions (no bot parameters). */
export interface V2RevisionResult {
  rest: number;
  web?: number;
  mobile?: number;
  desktop?: number;
  [key: string]: unknown;
}

export interface V2FileUploadParams {
  botId: number;
  botToken?: string;
  /** `chat<ID>` or a user id. */
  dialogId: string;
  fields: {
    name: string;
    /** base64, at most 100 MB decoded. */
    content: string;
    /** Text of the message that carries the file. */
    message?: string;
  };
}

export interface V2FileUploadResult {
  file: {
    id: number;
    chatId?: number;
    name?: string;
    extension?: string;
    size?: number;
    [key: string]: unknown;
  };
  messageId: number;
  chatId?: number;
  dialogId?: string;
  [key: string]: unknown;
}

export interface V2FileDownloadParams {
  botId: number;
  botToken?: string;
  fileId: number;
}

export interface V2ReactionParams {
  botId: number;
  botToken?: string;
  messageId: number;
  /** A code of `REACTION_CODES` (`like`, `redHeart`, ...). */
  reaction: string;
}

export interface V2CommandAnswerParams {
  botId: number;
  botToken?: string;
  commandId: number;
  messageId: number;
  dialogId: string;
  fields: Pick<V2MessageFields, 'message' | 'attach' | 'keyboard' | 'system' | 'urlPreview'>;
}
