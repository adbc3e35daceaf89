/**
 * Real wire bodies for server tests: v2 open-line events as Bitrix24's queue server POSTs them
 * (PHP `http_build_query` form, every scalar a string), and v2 fetch items (JSON types).
 * Shapes follow CONTRACT-v2.md §3.3.
 */
import { encodePhpForm } from '../../src/events/php-form';

export interface WireChat {
  memberId: string;
  domain?: string;
  applicationToken?: string;
  botId: number;
  botCode?: string;
  chatId: number;
  lineId?: number;
}

function chatData(c: WireChat): Record<string, unknown> {
  return {
    id: String(c.chatId),
    dialogId: `chat${c.chatId}`,
    type: 'lines',
    messageType: 'L',
    entityType: 'LINES',
    entityId: `telegrambot|${c.lineId ?? 3}|${c.chatId + 100}|${c.chatId + 200}`,
    entityData1: `N|NONE|0|N|N|${c.chatId + 300}|1789465580|0|0|0`,
    entityData2: '',
    entityData3: '',
    name: 'Guest - Line',
  };
}

function userData(c: WireChat): Record<string, unknown> {
  return {
    id: String(c.chatId + 200),
    name: 'Ann Client',
    firstName: 'Ann',
    connector: '1',
    extranet: '1',
    bot: '0',
    type: 'extranet',
  };
}

function envelope(c: WireChat, event: string, data: Record<string, unknown>): string {
  const domain = c.domain ?? `${c.memberId}.bitrix24.test`;
  const auth: Record<string, string> = {
    domain,
    member_id: c.memberId,
    client_endpoint: `https://${domain}/rest/`,
    server_endpoint: 'https://oauth.bitrix.info/rest/',
    status: 'L',
  };
  if (c.applicationToken !== undefined) auth.application_token = c.applicationToken;
  return encodePhpForm({ event, event_handler_id: '111', data, ts: '1789545901', auth });
}

/** `ONIMBOTV2MESSAGEADD` of an open-line client, form-encoded. */
export function v2MessageBody(c: WireChat & { messageId: number; text: string }): string {
  return envelope(c, 'ONIMBOTV2MESSAGEADD', {
    bot: { id: String(c.botId), code: c.botCode ?? 'echo_bot' },
    message: {
      id: String(c.messageId),
      chatId: String(c.chatId),
      authorId: String(c.chatId + 200),
      text: c.text,
      isSystem: '0',
    },
    chat: chatData(c),
    user: userData(c),
    language: 'en',
  });
}

/** `ONIMBOTV2JOINCHAT`, form-encoded. */
export function v2JoinBody(c: WireChat): string {
  return envelope(c, 'ONIMBOTV2JOINCHAT', {
    bot: { id: String(c.botId), code: c.botCode ?? 'echo_bot' },
    dialogId: `chat${c.chatId}`,
    chat: chatData(c),
    user: userData(c),
    language: 'en',
  });
}

/** `ONIMBOTV2DELETE`, form-encoded. */
export function v2BotDeleteBody(
  c: Pick<WireChat, 'memberId' | 'domain' | 'applicationToken' | 'botId' | 'botCode'>,
): string {
  return envelope({ ...c, chatId: 0 }, 'ONIMBOTV2DELETE', {
    bot: { id: String(c.botId), code: c.botCode ?? 'echo_bot' },
  });
}

/** `ONAPPUNINSTALL`: only the application token proves it. */
export function appUninstallBody(c: {
  memberId: string;
  domain?: string;
  applicationToken?: string;
}): string {
  return envelope({ ...c, botId: 0, chatId: 0 }, 'ONAPPUNINSTALL', {
    LANGUAGE_ID: 'en',
    CLEAN: '0',
  });
}

/** One `imbot.v2.Event.get` item (JSON types, full bot object, no auth), without `eventId`. */
export function v2FetchItem(c: Omit<WireChat, 'memberId'> & { messageId: number; text: string }): {
  type: string;
  data: Record<string, unknown>;
} {
  return {
    type: 'ONIMBOTV2MESSAGEADD',
    data: {
      bot: { id: c.botId, code: c.botCode ?? 'echo_bot', type: 'openline', eventMode: 'fetch' },
      message: {
        id: c.messageId,
        chatId: c.chatId,
        authorId: c.chatId + 200,
        text: c.text,
        isSystem: false,
        uuid: '',
        params: {},
      },
      chat: { ...chatData({ ...c, memberId: 'x' }), id: c.chatId },
      user: {
        id: c.chatId + 200,
        name: 'Ann Client',
        firstName: 'Ann',
        connector: true,
        extranet: true,
        bot: false,
        type: 'extranet',
      },
      language: 'en',
    },
  };
}
