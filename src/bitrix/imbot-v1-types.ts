/**
 * Parameters and results of the v1 `imbot.*` methods (CONTRACT-v1-and-common.md §3).
 * Bot credentials (`CLIENT_ID`, `botToken`) are optional: the client adds them in webhook mode.
 * Objects are open (`[key: string]: unknown`) where Bitrix24 returns more than we read.
 */

export type YN = 'Y' | 'N';
/** Ids arrive as numbers in JSON answers and as strings in some older methods. */
export type Id = number | string;

export interface ImbotProperties {
  NAME?: string;
  LAST_NAME?: string;
  COLOR?: string;
  EMAIL?: string;
  PERSONAL_BIRTHDAY?: string;
  WORK_POSITION?: string;
  PERSONAL_WWW?: string;
  PERSONAL_GENDER?: 'M' | 'F';
  /** Base64 image. */
  PERSONAL_PHOTO?: string;
}

export interface ImbotHandlers {
  /** One URL for all five handlers below. */
  EVENT_HANDLER?: string;
  EVENT_MESSAGE_ADD?: string;
  EVENT_MESSAGE_UPDATE?: string;
  EVENT_MESSAGE_DELETE?: string;
  EVENT_WELCOME_MESSAGE?: string;
  EVENT_BOT_DELETE?: string;
}

export interface ImbotRegisterParams extends ImbotHandlers {
  CODE: string;
  /** `B` standard, `O` Open Lines, `H` human-like, `S` supervisor. Immutable after registration. */
  TYPE?: 'B' | 'O' | 'H' | 'S';
  /** Immutable after registration; forced to `Y` for `TYPE=O`. */
  OPENLINE?: YN;
  CLIENT_ID?: string;
  PROPERTIES: ImbotProperties;
}

export interface ImbotUnregisterParams {
  BOT_ID: number;
  CLIENT_ID?: string;
}

export interface ImbotUpdateParams {
  BOT_ID: number;
  FIELDS: ImbotHandlers & { CODE?: string; PROPERTIES?: ImbotProperties };
  CLIENT_ID?: string;
}

export interface ImbotListedBot {
  ID: Id;
  NAME: string;
  CODE: string;
  OPENLINE: YN;
  [key: string]: unknown;
}

/** `imbot.bot.list`: bots keyed by BOT_ID (`[]` when there are none). */
export type ImbotBotListResult = Record<string, ImbotListedBot> | ImbotListedBot[];

export interface ImbotMessageAddParams {
  BOT_ID?: number;
  /** `chat<ID>` (open lines) or a user id. */
  DIALOG_ID?: string;
  FROM_USER_ID?: number;
  TO_USER_ID?: number;
  MESSAGE: string;
  ATTACH?: unknown;
  KEYBOARD?: unknown;
  MENU?: unknown;
  SYSTEM?: YN;
  URL_PREVIEW?: YN;
  SKIP_CONNECTOR?: YN;
  CLIENT_ID?: string;
}

export interface ImbotMessageUpdateParams {
  BOT_ID?: number;
  MESSAGE_ID: number;
  /** An empty string deletes the message. */
  MESSAGE?: string;
  ATTACH?: unknown;
  KEYBOARD?: unknown;
  MENU?: unknown;
  URL_PREVIEW?: YN;
  SKIP_CONNECTOR?: YN;
  CLIENT_ID?: string;
}

export interface ImbotMessageDeleteParams {
  BOT_ID?: number;
  MESSAGE_ID: number;
  COMPLETE?: YN;
  CLIENT_ID?: string;
}

export interface ImbotChatSendTypingParams {
  BOT_ID?: number;
  DIALOG_ID: string;
  CLIENT_ID?: string;
}

export interface ImbotCommandRegisterParams {
  BOT_ID: number;
  COMMAND: string;
  EVENT_COMMAND_ADD: string;
  LANG: { LANGUAGE_ID: string; TITLE: string; PARAMS?: string }[];
  COMMON?: YN;
  HIDDEN?: YN;
  EXTRANET_SUPPORT?: YN;
  CLIENT_ID?: string;
}

export interface ImbotCommandAnswerParams {
  COMMAND_ID?: number;
  COMMAND?: string;
  MESSAGE_ID: number;
  MESSAGE?: string;
  ATTACH?: unknown;
  KEYBOARD?: unknown;
  MENU?: unknown;
  SYSTEM?: YN;
  URL_PREVIEW?: YN;
  CLIENT_ID?: string;
}
