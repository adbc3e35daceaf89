import { decodePhpForm } from '../../src/events/php-form';
import { parseEventBody } from '../../src/events/parse-event-body';
import { parseFetchItem } from '../../src/events/parse-fetch-item';
import type { InboundEvent } from '../../src/events/inbound-event';
import { listFixtures, readFixture, wireFixture } from './fixture-files';

// The made-up portal of the generated fixtures (the contract example has its own).
const A = { memberId: 'a3f9c27e5d1b4086b2e7d4c1f0a9e8b7', domain: 'acme-support.bitrix24.com' };
const A_TOKEN = '4c8e1a7f0b2d9e3c6a5f8b1d7e0c2a9f';
const IVAN = { id: 1775, firstName: 'Ivan', lastName: 'Petrov', isConnector: true };
const ANNA = { id: 13, firstName: 'Anna', lastName: 'Smirnova', isConnector: true };
const OL_LARGE = {
  chatId: 1777,
  dialogId: 'chat1777',
  isOpenLine: true,
  lineId: 3,
  connector: 'telegrambot',
  connectorChatId: '786792821',
  connectorUserId: '1775',
};
const OL_SMALL = {
  chatId: 12,
  dialogId: 'chat12',
  isOpenLine: true,
  lineId: 1,
  connector: 'telegrambot',
  connectorChatId: '786792821',
  connectorUserId: '13',
};
const BOT571 = { id: 571, code: 'support_ol_bot' };
const BOT7 = { id: 7, code: 'ol_helper' };

/** Key fields of the event each webhook fixture must parse to. */
const webhook: Record<string, Record<string, unknown>> = {
  'v1/contract-2.2-message-add.txt': {
    kind: 'message',
    apiVersion: 1,
    delivery: 'webhook',
    portal: {
      memberId: 'bac1cd5c8940947a75e0d71b1a84e348',
      domain: 'example.bitrix24.com',
      clientEndpoint: 'https://example.bitrix24.com/rest/',
      serverEndpoint: 'https://oauth.bitrix.info/rest/',
    },
    bot: { id: 571, code: 'support_ol_bot', apiVersion: 1 },
    ...OL_LARGE,
    sessionId: 343,
    crm: { lead: 1209 },
    client: { ...IVAN, name: 'Ivan Petrov', isExtranet: true, isBot: false },
    messageId: 86313,
    text: 'Hello, where is my order #1042?',
    files: [],
    isSystem: false,
    language: 'en',
    ts: 1771928985,
    applicationToken: '831c76b092f9f135d9b6b36c3a720757',
    auth: { userId: 1775, accessToken: 'b27004640061cf480061cf440000000d000007218ed656fb' },
    botAuth: { userId: 571, accessToken: 'a98b9d690000071b0000084400000237f0f107589d1e' },
    dedupeKey: 'v1:bac1cd5c8940947a75e0d71b1a84e348:571:ONIMBOTMESSAGEADD:86313',
  },
  'v1/message-add-bot7.txt': {
    kind: 'message',
    portal: A,
    // As in the 2023 capture the block has no BOT_ID: the id is the map key, 7.
    bot: { id: 7, apiVersion: 1 },
    ...OL_SMALL,
    sessionId: 3,
    crm: { contact: 3, deal: 3 },
    client: ANNA,
    messageId: 41,
    text: 'Hi! My parcel has not arrived',
    applicationToken: A_TOKEN,
    // As in the 2023 capture: no tokens in the bot block.
    botAuth: { domain: A.domain, memberId: A.memberId, applicationToken: A_TOKEN },
    dedupeKey: `v1:${A.memberId}:7:ONIMBOTMESSAGEADD:41`,
  },
  'v1/message-add-files.txt': {
    kind: 'message',
    bot: BOT571,
    ...OL_LARGE,
    text: 'Here is the photo',
    files: [
      {
        id: '9012',
        name: 'parcel.jpg',
        type: 'image',
        size: 48213,
        extension: 'jpg',
        urlDownload: 'https://acme-support.bitrix24.com/disk/downloadFile/9012/',
      },
    ],
  },
  'v1/message-add-private.txt': {
    kind: 'message',
    bot: BOT7,
    chatId: 12,
    dialogId: '5',
    isOpenLine: false,
    crm: {},
    client: { id: 5, firstName: 'Oleg', isConnector: false },
    text: 'hello bot',
  },
  'v1/message-add-no-member-id.txt': {
    kind: 'message',
    portal: A,
    bot: BOT571,
    text: 'Is anyone there?',
    auth: { userId: 1775 },
  },
  'v1/join-chat.txt': {
    kind: 'join',
    bot: BOT571,
    ...OL_LARGE,
    userId: 1775,
    client: IVAN,
    crm: {},
    dedupeKey: `v1:${A.memberId}:571:ONIMBOTJOINCHAT:1777:1771928987`,
  },
  'v1/join-chat-bot7.txt': { kind: 'join', bot: BOT7, ...OL_SMALL, userId: 13, client: ANNA },
  'v1/message-update.txt': {
    kind: 'message.edit',
    bot: BOT571,
    ...OL_LARGE,
    sessionId: 343,
    messageId: 86313,
    text: 'Hello, where is my order #1043?',
  },
  'v1/message-delete-bot7.txt': {
    kind: 'message.delete',
    bot: BOT7,
    ...OL_SMALL,
    messageId: 40,
    dedupeKey: `v1:${A.memberId}:7:ONIMBOTMESSAGEDELETE:40`,
  },
  'v1/command-add-keyboard-bot7.txt': {
    kind: 'command',
    bot: BOT7,
    ...OL_SMALL,
    command: 'menu',
    params: 'delivery',
    commandId: 3,
    context: 'keyboard',
    messageId: 42,
    botAuth: { userId: 7, clientId: 'local.66a0b1c2d3e4f5.98765432' },
  },
  'v1/command-add-typed.txt': {
    kind: 'command',
    bot: BOT571,
    ...OL_LARGE,
    command: 'order',
    params: '1042',
    commandId: 12,
    context: 'textarea',
  },
  'v1/bot-delete-bot7.txt': {
    kind: 'bot.delete',
    bot: { ...BOT7, apiVersion: 1 },
    portal: A,
    dedupeKey: `v1:${A.memberId}:7:ONIMBOTDELETE`,
  },
  'v1/app-install.txt': {
    kind: 'app.install',
    portal: A,
    version: '1',
    language: 'en',
    applicationToken: A_TOKEN,
    auth: { userId: 1, refreshToken: 'f6a7b8c90061cf480061cf440000000d0000070f1afe5678' },
  },
  'v1/app-uninstall.txt': {
    kind: 'app.uninstall',
    portal: A,
    clean: true,
    applicationToken: A_TOKEN,
  },
  'v2-webhook/message-add-livechat.txt': {
    kind: 'message',
    apiVersion: 2,
    bot: { id: 511, code: 'ai_dc_bot', apiVersion: 2 },
    chatId: 19167,
    dialogId: 'chat19167',
    isOpenLine: true,
    connector: 'livechat',
    lineId: 13,
    connectorChatId: '19165',
    connectorUserId: '515',
    sessionId: 171,
    crm: {},
    client: { id: 515, name: 'Guest', isConnector: true, isExtranet: true, isBot: false },
    messageId: 1093189,
    text: 'Do you deliver on Sundays?',
    isSystem: false,
    dedupeKey: `v2:${A.memberId}:511:ONIMBOTV2MESSAGEADD:1093189`,
  },
  'v2-webhook/message-add-bot7.txt': {
    kind: 'message',
    bot: { ...BOT7, apiVersion: 2 },
    ...OL_SMALL,
    sessionId: 3,
    crm: { contact: 3, deal: 3 },
    client: ANNA,
    text: 'Hi from Telegram',
  },
  'v2-webhook/message-add-minimal-auth.txt': {
    kind: 'message',
    // member_id comes from data.bot.auth: the top-level auth has only domain + token.
    portal: { memberId: A.memberId, domain: A.domain },
    applicationToken: 'custommy_bot_token_0042',
    auth: { domain: A.domain, applicationToken: 'custommy_bot_token_0042' },
    botAuth: { applicationToken: A_TOKEN, memberId: A.memberId },
    text: 'token check',
  },
  'v2-webhook/message-update.txt': {
    kind: 'message.edit',
    bot: { ...BOT571, apiVersion: 2 },
    ...OL_LARGE,
    messageId: 86313,
    text: 'Where is order #1043?',
  },
  'v2-webhook/message-delete-bot7.txt': {
    kind: 'message.delete',
    bot: BOT7,
    ...OL_SMALL,
    messageId: 40,
    dedupeKey: `v2:${A.memberId}:7:ONIMBOTV2MESSAGEDELETE:40`,
  },
  'v2-webhook/join-chat.txt': {
    kind: 'join',
    bot: BOT571,
    ...OL_LARGE,
    userId: 1775,
    client: IVAN,
  },
  'v2-webhook/command-add-keyboard-bot7.txt': {
    kind: 'command',
    bot: BOT7,
    ...OL_SMALL,
    command: 'menu',
    params: 'delivery',
    commandId: 3,
    context: 'keyboard',
    messageId: 42,
  },
  'v2-webhook/command-add-typed.txt': {
    kind: 'command',
    bot: BOT571,
    ...OL_LARGE,
    command: 'help',
    params: 'topic',
    commandId: 78,
    context: 'textarea',
  },
  'v2-webhook/reaction-change.txt': {
    kind: 'reaction',
    bot: BOT571,
    ...OL_LARGE,
    messageId: 86320,
    reaction: 'like',
    action: 'add',
  },
  'v2-webhook/context-get.txt': {
    kind: 'context',
    bot: BOT571,
    ...OL_LARGE,
    // Form values are strings: the context object is what the form carried.
    context: { entityId: '164', entityType: 'task', source: 'link' },
  },
  'v2-webhook/bot-delete-bot7.txt': {
    kind: 'bot.delete',
    bot: { ...BOT7, apiVersion: 2 },
    portal: A,
  },
  'v2-webhook/message-add.json': {
    kind: 'message',
    apiVersion: 2,
    delivery: 'webhook',
    portal: A,
    bot: BOT571,
    ...OL_LARGE,
    sessionId: 343,
    crm: { lead: 1209 },
    client: { ...IVAN, isExtranet: true },
    messageId: 86400,
    text: 'JSON body',
    ts: 1771929100,
    applicationToken: A_TOKEN,
    dedupeKey: `v2:${A.memberId}:571:ONIMBOTV2MESSAGEADD:86400`,
  },
};

/** Key fields of each item of the fetch page, in order. */
const fetchPage: Record<string, unknown>[] = [
  { kind: 'join', eventId: 1002, bot: BOT571, ...OL_LARGE, userId: 1775 },
  {
    kind: 'message',
    eventId: 1003,
    bot: BOT571,
    ...OL_LARGE,
    sessionId: 343,
    text: 'Hello from fetch mode',
  },
  { kind: 'message.edit', eventId: 1004, messageId: 86314, text: 'Hello from fetch mode!' },
  {
    kind: 'command',
    eventId: 1005,
    command: 'order',
    params: '1042',
    commandId: 12,
    context: 'keyboard',
    messageId: 86310,
  },
  { kind: 'reaction', eventId: 1006, messageId: 86311, reaction: 'dislike', action: 'delete' },
  { kind: 'message.delete', eventId: 1007, messageId: 86314 },
  // JSON types are kept in fetch mode.
  {
    kind: 'context',
    eventId: 1008,
    context: { entityId: 164, entityType: 'task', source: 'link' },
  },
  { kind: 'message', eventId: 7, bot: BOT7, ...OL_SMALL, client: ANNA, text: 'small ids' },
  {
    kind: 'command',
    eventId: 8,
    bot: BOT7,
    ...OL_SMALL,
    command: 'menu',
    params: '',
    commandId: 3,
    context: 'menu',
  },
  { kind: 'bot.delete', eventId: 9, bot: { ...BOT7, apiVersion: 2 } },
];

describe('test/fixtures', () => {
  it('has an expectation for every fixture file and a file for every expectation', () => {
    const files = listFixtures();
    const expected = [
      ...Object.keys(webhook),
      'v2-fetch/page-all-types.json',
      'v2-fetch/page-empty.json',
    ];
    expect(files.sort()).toEqual(expected.sort());
  });

  it('covers every v1 and v2 event type', () => {
    const types = new Set<string>();
    for (const rel of Object.keys(webhook)) types.add(parseEventBody(wireFixture(rel)).rawType);
    const page = JSON.parse(readFixture('v2-fetch/page-all-types.json')) as {
      result: { events: { type: string }[] };
    };
    for (const item of page.result.events) types.add(item.type);
    expect([...types].sort()).toEqual(
      [
        'ONAPPINSTALL',
        'ONAPPUNINSTALL',
        'ONIMBOTDELETE',
        'ONIMBOTJOINCHAT',
        'ONIMBOTMESSAGEADD',
        'ONIMBOTMESSAGEDELETE',
        'ONIMBOTMESSAGEUPDATE',
        'ONIMCOMMANDADD',
        'ONIMBOTV2COMMANDADD',
        'ONIMBOTV2CONTEXTGET',
        'ONIMBOTV2DELETE',
        'ONIMBOTV2JOINCHAT',
        'ONIMBOTV2MESSAGEADD',
        'ONIMBOTV2MESSAGEDELETE',
        'ONIMBOTV2MESSAGEUPDATE',
        'ONIMBOTV2REACTIONCHANGE',
      ].sort(),
    );
  });

  it.each(Object.entries(webhook))('parses %s to the expected event', (rel, fields) => {
    const event = parseEventBody(wireFixture(rel));
    expect(event).toMatchObject(fields);
    // The application token to verify is the top-level one, never the bot block's.
    const { body } = wireFixture(rel);
    const raw = (rel.endsWith('.json') ? JSON.parse(body) : decodePhpForm(body)) as {
      auth: { application_token: string };
    };
    expect(event.applicationToken).toBe(raw.auth.application_token);
  });

  it('parses every item of the v2 fetch page to the expected event, keyed by eventId', () => {
    const page = JSON.parse(readFixture('v2-fetch/page-all-types.json')) as {
      result: { events: unknown[]; nextOffset: number };
    };
    const parsed: InboundEvent[] = page.result.events.map((item) =>
      parseFetchItem({ item, portal: A }),
    );
    expect(parsed).toHaveLength(fetchPage.length);
    parsed.forEach((event, i) => {
      expect(event).toMatchObject({ ...fetchPage[i], delivery: 'fetch', apiVersion: 2, portal: A });
      expect(event.dedupeKey).toBe(
        `v2f:${A.memberId}:${(event as { bot: { id: number } }).bot.id}:${event.eventId}`,
      );
      expect(event.applicationToken).toBeUndefined();
    });
    expect(page.result.nextOffset).toBe(1009);
  });

  it('reads an empty fetch page as no events', () => {
    const page = JSON.parse(readFixture('v2-fetch/page-empty.json')) as {
      result: { events: unknown[]; nextOffset: number };
    };
    expect(page.result).toEqual({ events: [], nextOffset: 0, hasMore: false });
  });
});

describe('parseEventBody (CONTRACT-v1-and-common.md §2.2)', () => {
  it('parses the contract raw body to line 3, telegrambot, session 343, chat 1777, client 1775, bot 571', () => {
    const event = parseEventBody(wireFixture('v1/contract-2.2-message-add.txt'));
    expect(event).toMatchObject({
      lineId: 3,
      connector: 'telegrambot',
      sessionId: 343,
      chatId: 1777,
      dialogId: 'chat1777',
      client: { id: 1775 },
      bot: { id: 571 },
    });
  });

  it('uses the exact wire string of the contract, one line, no trailing newline', () => {
    const body = readFixture('v1/contract-2.2-message-add.txt');
    expect(
      body.startsWith('event=ONIMBOTMESSAGEADD&event_handler_id=403&data%5BBOT%5D%5B571%5D'),
    ).toBe(true);
    expect(body.endsWith('auth%5Bapplication_token%5D=831c76b092f9f135d9b6b36c3a720757')).toBe(
      true,
    );
    expect(body).not.toMatch(/\s/);
    expect(body.split('&')).toHaveLength(96);
  });
});
