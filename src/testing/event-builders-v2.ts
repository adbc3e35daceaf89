/**
 * v2 events (CONTRACT-v2.md §3) as JSON-typed `data` objects: sent as they are in a fetch item,
 * or form-encoded (all strings) in a webhook body.
 */
import {
  personOf,
  type ChatOptions,
  type Resolved,
  type WireFile,
  type WirePerson,
} from './event-builders-shared';

export interface V2MessageOptions extends ChatOptions {
  text: string;
  messageId?: number;
  author?: WirePerson;
  files?: WireFile[];
}
export type V2JoinOptions = ChatOptions;
export interface V2CommandOptions extends ChatOptions {
  /** Without the slash (sent as `/command`). */
  command: string;
  params?: string;
  /** Default `keyboard`. */
  context?: 'textarea' | 'keyboard' | 'menu';
  commandId?: number;
  messageId?: number;
}
export interface V2ReactionOptions extends ChatOptions {
  /** The bot's message that got the reaction. */
  messageId?: number;
  reaction?: string;
  action?: 'add' | 'delete';
}
export interface V2MessageUpdateOptions extends ChatOptions {
  messageId: number;
  text: string;
  author?: WirePerson;
}
export interface V2MessageDeleteOptions extends ChatOptions {
  messageId: number;
  author?: WirePerson;
}
export interface V2ContextGetOptions extends ChatOptions {
  context?: Record<string, unknown>;
}
export type V2BotDeleteOptions = ChatOptions;

type Data = Record<string, unknown>;

/** ISO 8601 with an offset, as the v2 docs show dates. */
export function iso(ts: number): string {
  return new Date(ts * 1000).toISOString().replace('.000Z', '+00:00');
}

/** Fetch mode: the full Bot object, no auth. Webhook mode: `{id, code, auth}`. */
export function v2Bot(r: Resolved, mode: 'fetch' | 'webhook'): Data {
  const { w } = r;
  if (mode === 'webhook') {
    const auth = {
      access_token: w.botAccessToken,
      expires: r.ts + 3600,
      expires_in: 3600,
      scope: w.scope,
      domain: w.domain,
      server_endpoint: w.serverEndpoint,
      status: 'L',
      client_endpoint: w.clientEndpoint,
      member_id: w.memberId,
      refresh_token: w.botRefreshToken,
      user_id: w.botId,
      client_id: w.appClientId,
      application_token: w.applicationToken,
    };
    return { id: w.botId, code: w.botCode, auth };
  }
  return {
    id: w.botId,
    code: w.botCode,
    type: 'openline',
    isHidden: false,
    isSupportOpenline: true,
    isReactionsEnabled: true,
    backgroundId: null,
    language: w.language,
    moduleId: 'rest',
    eventMode: 'fetch',
    countMessage: 150,
    countCommand: 3,
    countChat: 12,
    countUser: 45,
  };
}

function chat(r: Resolved): Data {
  if (!r.openLine) {
    return {
      id: r.chatId,
      dialogId: r.dialogId,
      type: 'private',
      messageType: 'P',
      name: '',
      entityType: '',
      owner: 0,
    };
  }
  return {
    id: r.chatId,
    dialogId: r.dialogId,
    type: 'lines',
    messageType: 'L',
    name: `${r.client.name} - ${r.w.lineName}`,
    entityType: 'LINES',
    entityId: r.entityId,
    entityLink: { type: 'LINES', url: '', id: r.entityId },
    entityData1: r.entityData1,
    entityData2: r.entityData2,
    entityData3: '',
    owner: 0,
    avatar: '',
    color: '#ab7761',
    extranet: true,
    textFieldEnabled: true,
  };
}

function user(p: Resolved['client']): Data {
  return {
    id: p.id,
    active: true,
    name: p.name,
    firstName: p.firstName,
    lastName: p.lastName,
    workPosition: '',
    avatar: '',
    gender: p.gender,
    extranet: p.isConnector,
    bot: p.isBot,
    connector: p.isConnector,
    externalAuthId: p.isConnector ? 'imconnector' : 'default',
    status: 'online',
    idle: false,
    absent: false,
    departments: [],
    phones: false,
    type: p.isBot ? 'bot' : p.isConnector ? 'extranet' : 'employee',
  };
}

function message(
  r: Resolved,
  id: number,
  authorId: number,
  text: string,
  files?: WireFile[],
): Data {
  const params = files?.length ? { files: files.map((f) => ({ ...f })) } : {};
  return {
    id,
    chatId: r.chatId,
    authorId,
    date: iso(r.ts),
    text,
    isSystem: false,
    uuid: '',
    forward: null,
    params,
    viewedByOthers: false,
  };
}

function dialog(r: Resolved, mode: 'fetch' | 'webhook', who: Resolved['client']): Data {
  return { bot: v2Bot(r, mode), chat: chat(r), user: user(who) };
}

export function v2MessageData(
  r: Resolved,
  mode: 'fetch' | 'webhook',
  o: V2MessageOptions,
  id: number,
): Data {
  const author = personOf(r, o.author);
  return {
    ...dialog(r, mode, author),
    message: message(r, id, author.id, o.text, o.files),
    language: r.w.language,
  };
}

export function v2MessageUpdateData(
  r: Resolved,
  mode: 'fetch' | 'webhook',
  o: V2MessageUpdateOptions,
): Data {
  const author = personOf(r, o.author);
  return {
    ...dialog(r, mode, author),
    message: message(r, o.messageId, author.id, o.text),
    language: r.w.language,
  };
}

export function v2MessageDeleteData(
  r: Resolved,
  mode: 'fetch' | 'webhook',
  o: V2MessageDeleteOptions,
): Data {
  return {
    ...dialog(r, mode, personOf(r, o.author)),
    messageId: o.messageId,
    language: r.w.language,
  };
}

export function v2JoinData(r: Resolved, mode: 'fetch' | 'webhook'): Data {
  return {
    bot: v2Bot(r, mode),
    dialogId: r.dialogId,
    chat: chat(r),
    user: user(r.client),
    language: r.w.language,
  };
}

export function v2CommandData(
  r: Resolved,
  mode: 'fetch' | 'webhook',
  o: V2CommandOptions,
  id: number,
): Data {
  const context = o.context ?? 'keyboard';
  const params = o.params ?? '';
  const typed = context === 'textarea';
  const text = typed ? `/${o.command}${params ? ` ${params}` : ''}` : 'Choose an option';
  // A button press refers to the bot's keyboard message; a typed command to the client's one.
  const msg = message(r, id, typed ? r.client.id : r.w.botId, text);
  return {
    ...dialog(r, mode, r.client),
    command: { id: o.commandId ?? r.w.commandId, command: `/${o.command}`, params, context },
    message: msg,
    language: r.w.language,
  };
}

export function v2ReactionData(
  r: Resolved,
  mode: 'fetch' | 'webhook',
  o: V2ReactionOptions,
  id: number,
): Data {
  return {
    ...dialog(r, mode, r.client),
    reaction: o.reaction ?? 'like',
    action: o.action ?? 'add',
    message: message(r, id, r.w.botId, 'How did we do?'),
    language: r.w.language,
  };
}

export function v2ContextGetData(
  r: Resolved,
  mode: 'fetch' | 'webhook',
  o: V2ContextGetOptions,
): Data {
  const context = o.context ?? { entityId: 164, entityType: 'task', source: 'link' };
  return {
    bot: v2Bot(r, mode),
    dialogId: r.dialogId,
    context,
    chat: chat(r),
    user: user(r.client),
    language: r.w.language,
  };
}

export function v2BotDeleteData(r: Resolved, mode: 'fetch' | 'webhook'): Data {
  return { bot: v2Bot(r, mode) };
}
