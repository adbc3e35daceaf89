/**
 * Normalized dialog events (`InboundEvent`s as the events layer produces them) for runtime tests.
 */
import type {
  DialogEventBase,
  JoinEvent,
  MessageEvent,
  CommandEvent,
} from '../../src/events/inbound-event';

export interface ChatRef {
  memberId?: string;
  botId?: number;
  botCode?: string;
  chatId: number;
}

function base(chat: ChatRef, rawType: string, dedupeKey: string): DialogEventBase {
  const memberId = chat.memberId ?? 'member-1';
  return {
    rawType,
    apiVersion: 2,
    delivery: 'webhook',
    dedupeKey,
    portal: { memberId, domain: `${memberId}.bitrix24.com` },
    bot: { id: chat.botId ?? 571, apiVersion: 2, ...(chat.botCode ? { code: chat.botCode } : {}) },
    chatId: chat.chatId,
    dialogId: `chat${chat.chatId}`,
    isOpenLine: true,
    connector: 'telegrambot',
    lineId: 3,
    sessionId: 900 + chat.chatId,
    crm: {},
    client: { id: 10_000 + chat.chatId, name: 'Client', isConnector: true },
  };
}

/** A `join` of the bot to the chat (a new open-line session). */
export function joinEvent(chat: ChatRef, session = 1): JoinEvent {
  return {
    ...base(
      chat,
      'ONIMBOTV2JOINCHAT',
      `join:${chat.memberId ?? 'member-1'}:${chat.chatId}:${session}`,
    ),
    kind: 'join',
  };
}

/** A client message; `messageId` is also the dedupe key. */
export function messageEvent(
  chat: ChatRef,
  messageId: number,
  text = `m${messageId}`,
): MessageEvent {
  return {
    ...base(chat, 'ONIMBOTV2MESSAGEADD', `msg:${chat.memberId ?? 'member-1'}:${messageId}`),
    kind: 'message',
    messageId,
    text,
    files: [],
    isSystem: false,
  };
}

/** A keyboard button press. */
export function commandEvent(chat: ChatRef, command: string, id: number): CommandEvent {
  return {
    ...base(chat, 'ONIMBOTV2COMMANDADD', `cmd:${chat.memberId ?? 'member-1'}:${id}`),
    kind: 'command',
    command,
    params: '',
    context: 'keyboard',
  };
}
