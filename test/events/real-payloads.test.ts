/**
 * The bodies of `test/fixtures/real/`, captured on real portals by other people's bots (see the
 * README there), parsed to the events they must become (#8).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePhpForm } from '../../src/events/php-form';
import { parseEventBody } from '../../src/events/parse-event-body';
import { FIXTURES } from './fixture-files';

const REAL = join(FIXTURES, 'real');

interface Capture {
  source: { repo: string; path: string; commit: string; kind: string; note: string };
  form: string;
  payload: Record<string, unknown>;
}

function capture(name: string): Capture {
  return JSON.parse(readFileSync(join(REAL, `${name}.json`), 'utf8')) as Capture;
}

function wire(name: string): string {
  return readFileSync(join(REAL, `${name}.wire.txt`), 'utf8');
}

/** The flat `a[b][c]` keys of the 05 capture, as nested objects. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node = out;
    parts.slice(0, -1).forEach((p) => {
      node[p] ??= {};
      node = node[p] as Record<string, unknown>;
    });
    node[parts[parts.length - 1] as string] = value;
  }
  return out;
}

const IRISHOME = {
  memberId: '64ea9379ae7561fa43f20cd21a49a520',
  domain: 'irishome.bitrix24.ru',
  clientEndpoint: 'https://irishome.bitrix24.ru/rest/',
  serverEndpoint: 'https://oauth.bitrix.info/rest/',
};
const UCHET_BOT = { id: 15010, code: 'uchet_bot', apiVersion: 1 };
const WHATSAPP_CHAT = {
  chatId: 16684,
  dialogId: 'chat16684',
  isOpenLine: true,
  connector: 'wz_whatsapp_c64ea9379ae7561fa43f20cd21a49a520',
  lineId: 14,
  connectorChatId: 'aa89d99f-71b2-4aa3-a04f-7a8d1aeed05a',
  connectorUserId: '13520',
};
const DARIA = { id: 13520, name: 'Дарья', firstName: 'Дарья', isConnector: true, isBot: false };

/** Key fields each captured body must parse to. */
const expected: Record<string, Record<string, unknown>> = {
  '01-irishome-v1-joinchat-openline-whatsapp': {
    kind: 'join',
    rawType: 'ONIMBOTJOINCHAT',
    apiVersion: 1,
    delivery: 'webhook',
    portal: IRISHOME,
    bot: UCHET_BOT,
    ...WHATSAPP_CHAT,
    // No data[USER] and USER_ID=0: the client comes from CHAT_ENTITY_ID.
    client: { id: 13520, isConnector: true },
    crm: {},
    language: 'ru',
    ts: 1691226895,
    applicationToken: 'f3f0d0c5-redacted-application-token',
    dedupeKey: `v1:${IRISHOME.memberId}:15010:ONIMBOTJOINCHAT:16684:1691226895`,
  },
  '02-irishome-v1-messageadd-openline-client': {
    kind: 'message',
    portal: IRISHOME,
    bot: UCHET_BOT,
    ...WHATSAPP_CHAT,
    sessionId: 23666,
    crm: { contact: 2528, deal: 27224 },
    client: DARIA,
    author: DARIA,
    messageId: 3357284,
    text: '=== Исходящее сообщение, автор: Телефон ===\nПриношу извиения, трек номер не тот Вам отправили',
    isSystem: false,
    // The top-level auth belongs to someone else (13128), neither the client nor the bot.
    auth: { userId: 13128 },
    botAuth: { userId: 15010 },
  },
  '03-irishome-v1-messageadd-openline-operator': {
    kind: 'message',
    portal: IRISHOME,
    bot: UCHET_BOT,
    chatId: 19318,
    dialogId: 'chat19318',
    isOpenLine: true,
    connector: 'telegrambot',
    lineId: 26,
    connectorUserId: '15008',
    sessionId: 23540,
    crm: { contact: 23478, deal: 27200 },
    // An employee wrote it: the author is not the line's client.
    author: { id: 13128, firstName: 'Альфа', isConnector: false, isBot: false },
    messageId: 3355770,
    text: '12323',
    isSystem: false,
  },
  '05-avatarex-v1-messageadd-openline-webhookbot': {
    kind: 'message',
    portal: {
      memberId: 'd03787b18442c698df6be629654747c0',
      domain: 'b24-diyu7k.bitrix24.ru',
      clientEndpoint: 'https://b24-diyu7k.bitrix24.ru/rest/',
    },
    bot: { id: 10, code: 'Avatarex AI Assistant', apiVersion: 1 },
    chatId: 6,
    dialogId: 'chat6',
    isOpenLine: true,
    connector: 'telegrambot',
    lineId: 2,
    connectorUserId: '12',
    sessionId: 2,
    client: { id: 12, isConnector: true, isExtranet: true },
    text: 'sdfdsf',
    messageId: 34,
    // A webhook bot: the application token is the CLIENT_ID it was registered with.
    applicationToken: '952734',
  },
  '09a-irishome-race-first-message': {
    kind: 'message',
    bot: UCHET_BOT,
    ...WHATSAPP_CHAT,
    sessionId: 23654,
    client: DARIA,
    messageId: 3357152,
    text: 'Добрый день\nПриблизительная дата доставки?',
    ts: 1691224487,
  },
  '09b-irishome-race-join-after-message': {
    kind: 'join',
    bot: UCHET_BOT,
    ...WHATSAPP_CHAT,
    client: { id: 13520, isConnector: true },
    ts: 1691224486,
  },
};

describe('test/fixtures/real', () => {
  it('has a .json capture, a .wire.txt body and an expectation for every file', () => {
    const files = readdirSync(REAL).filter((f) => f !== 'README.md');
    const names = Object.keys(expected);
    expect(files.sort()).toEqual(names.flatMap((n) => [`${n}.json`, `${n}.wire.txt`]).sort());
    for (const n of names) expect(capture(n).source.note.length).toBeGreaterThan(20);
  });

  it.each(Object.keys(expected))('%s: the wire body is the captured request', (name) => {
    const { payload, form } = capture(name);
    const decoded = decodePhpForm(wire(name));
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(
      form === 'flat-form-keys' ? nest(payload) : payload,
    );
  });

  it.each(Object.entries(expected))('%s parses to the expected event', (name, fields) => {
    const event = parseEventBody({
      body: wire(name),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(event).toMatchObject(fields);
    const auth = capture(name).payload.auth as { application_token?: string } | undefined;
    const token = auth?.application_token ?? capture(name).payload['auth[application_token]'];
    expect(event.applicationToken).toBe(token);
  });

  it('01: a join with USER_ID=0 names no user, only the client', () => {
    const event = parseEventBody({ body: wire('01-irishome-v1-joinchat-openline-whatsapp') });
    expect(event.kind).toBe('join');
    expect((event as { userId?: number }).userId).toBeUndefined();
  });

  it('03: the operator is the author, not the client', () => {
    const event = parseEventBody({ body: wire('03-irishome-v1-messageadd-openline-operator') });
    expect(event).toMatchObject({ author: { id: 13128, isConnector: false } });
    expect((event as { client?: unknown }).client).toBeUndefined();
  });
});
