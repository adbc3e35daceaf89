/**
 * The one normalized event type the runtime consumes, whatever the wire format (v1 or v2,
 * form-encoded webhook, JSON webhook, or a v2 fetch item). Produced by `parseEvent*` in this folder.
 */
import type { OpenLineEvent } from './map-openline';

/** Which generation of the Bitrix24 bot API the bot was registered with. */
export type ApiVersion = 1 | 2;

/** How the event reached us. */
export type Delivery = 'webhook' | 'fetch';

/** The portal an event came from. `memberId` is the stable key (the domain can change). */
export interface PortalRef {
  memberId: string;
  domain: string;
  /** `https://<portal>/rest/` (from `auth[client_endpoint]`), when the event carries it. */
  clientEndpoint?: string;
  /** `https://oauth.bitrix.info/rest/` (from `auth[server_endpoint]`), when the event carries it. */
  serverEndpoint?: string;
}

/** The bot the event is addressed to. */
export interface BotRef {
  id: number;
  code?: string;
  apiVersion: ApiVersion;
}

/** OAuth tokens as they arrive in an event (`auth` block or the bot's `data[BOT][id]` block). */
export interface EventTokens {
  accessToken?: string;
  refreshToken?: string;
  /** Unix seconds. */
  expires?: number;
  expiresIn?: number;
  scope?: string;
  userId?: number;
  clientId?: string;
  applicationToken?: string;
  domain?: string;
  memberId?: string;
  clientEndpoint?: string;
  serverEndpoint?: string;
  status?: string;
}

/** CRM bindings of an open-line chat (`CHAT_ENTITY_DATA_2`); ids of 0 are left out. */
export interface CrmBindings {
  lead?: number;
  company?: number;
  contact?: number;
  deal?: number;
}

/** The author of a message / the client of an open line. */
export interface ClientRef {
  id: number;
  name?: string;
  firstName?: string;
  lastName?: string;
  gender?: string;
  /** True for an open-line client (a connector user: Telegram, WhatsApp, web chat...). */
  isConnector: boolean;
  isBot?: boolean;
  isExtranet?: boolean;
}

/** A file attached to an incoming message (shape not documented by Bitrix24; best effort). */
export interface InboundFile {
  id: string;
  name?: string;
  type?: string;
  size?: number;
  extension?: string;
  urlDownload?: string;
}

/** Fields every event has. */
export interface EventBase {
  /** The Bitrix24 event code as sent, e.g. `ONIMBOTMESSAGEADD`. */
  rawType: string;
  apiVersion: ApiVersion;
  delivery: Delivery;
  /** Stable key: the same event delivered twice has the same key. */
  dedupeKey: string;
  /** Unix seconds from `ts` (webhook) or the fetch item's date, when present. */
  ts?: number;
  /** v2 fetch only. */
  eventId?: number;
  portal: PortalRef;
  /** The top-level `auth[application_token]`: the only one to verify against. */
  applicationToken?: string;
  /**
   * Top-level `auth` tokens: they belong to whoever triggered the event (in an open line, the
   * external client). Never act with them; kept for install events and diagnostics.
   */
  auth?: EventTokens;
}

/** Fields of every event that belongs to a bot dialog. */
export interface DialogEventBase extends EventBase {
  bot: BotRef;
  /** The bot's own tokens (`data[BOT][id]` / `data.bot.auth`), when the event carries them. */
  botAuth?: EventTokens;
  /** Numeric chat id: `CHAT_ID` of `imopenlines.bot.session.*`. */
  chatId: number;
  /** `chat<ID>` (or a user id for private dialogs): `DIALOG_ID` of `imbot.message.add`. */
  dialogId: string;
  /** True when the chat is an open-line chat (`CHAT_ENTITY_TYPE=LINES`). */
  isOpenLine: boolean;
  /** From `CHAT_ENTITY_ID` = `<connector>|<lineId>|<connectorChatId>|<connectorUserId>`. */
  connector?: string;
  lineId?: number;
  connectorChatId?: string;
  connectorUserId?: string;
  /** 6th field of `CHAT_ENTITY_DATA_1`. */
  sessionId?: number;
  crm: CrmBindings;
  client?: ClientRef;
  language?: string;
}

export interface MessageEvent extends DialogEventBase {
  kind: 'message';
  messageId: number;
  text: string;
  files: InboundFile[];
  author?: ClientRef;
  isSystem: boolean;
}

export interface MessageEditEvent extends DialogEventBase {
  kind: 'message.edit';
  messageId: number;
  text: string;
  author?: ClientRef;
}

export interface MessageDeleteEvent extends DialogEventBase {
  kind: 'message.delete';
  messageId: number;
}

export interface JoinEvent extends DialogEventBase {
  kind: 'join';
  /** Who added the bot / opened the dialog. */
  userId?: number;
}

export interface CommandEvent extends DialogEventBase {
  kind: 'command';
  /** Command code without the slash, e.g. `order`. */
  command: string;
  params: string;
  commandId?: number;
  /** `keyboard` for a button press, `textarea` for a typed `/command`, `menu` for a context menu. */
  context: 'keyboard' | 'textarea' | 'menu';
  messageId?: number;
}

export interface ReactionEvent extends DialogEventBase {
  kind: 'reaction';
  messageId: number;
  reaction: string;
  action: 'add' | 'delete';
}

export interface ContextEvent extends DialogEventBase {
  kind: 'context';
  context: unknown;
}

/** The bot was deleted on the portal (`ONIMBOTDELETE`, `ONIMBOTV2DELETE`). Not a dialog event. */
export interface BotDeleteEvent extends EventBase {
  kind: 'bot.delete';
  bot: BotRef;
}

/**
 * A user opened a private dialog with the bot (v1 `ONIMBOTJOINCHAT` whose `DIALOG_ID` is a user id
 * and that names no `CHAT_ID`). Without a chat id there is no dialog to key it on: it does not
 * reach machines, and the user's first message (which names its chat) starts the dialog.
 */
export interface PrivateJoinEvent extends EventBase {
  kind: 'join.private';
  bot: BotRef;
  /** The user id, as `DIALOG_ID` of `imbot.message.add`. */
  dialogId: string;
  userId?: number;
  user?: ClientRef;
  language?: string;
}

/** `ONAPPINSTALL`: `auth` carries the installing admin's tokens and the application token. */
export interface AppInstallEvent extends EventBase {
  kind: 'app.install';
  version?: string;
  language?: string;
}

/** `ONAPPUNINSTALL`: only the application token proves it. */
export interface AppUninstallEvent extends EventBase {
  kind: 'app.uninstall';
  clean: boolean;
}

/** Events that belong to a dialog (portal + bot + chat) and reach a bot's machine. */
export type DialogEvent =
  | MessageEvent
  | MessageEditEvent
  | MessageDeleteEvent
  | JoinEvent
  | CommandEvent
  | ReactionEvent
  | ContextEvent;

/** Every event the framework understands. Discriminated by `kind`. */
export type InboundEvent =
  | DialogEvent
  | BotDeleteEvent
  | PrivateJoinEvent
  | AppInstallEvent
  | AppUninstallEvent
  | OpenLineEvent;

/** True when the event belongs to a dialog. */
export function isDialogEvent(e: InboundEvent): e is DialogEvent {
  return 'chatId' in e;
}
