import history from './fixtures/openlines-history.json';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { createOpenlinesApi } from '../../src/bitrix/openlines-api';
import {
  OpenlinesParamsError,
  UnexpectedResultError,
  openlinesCall,
} from '../../src/bitrix/openlines-call';
import { OPENLINES_METHODS, type OpenlinesMethod } from '../../src/bitrix/openlines-methods';
import type { RestClient } from '../../src/bitrix/types';
import { bodyOf, useNock } from './helpers/use-nock';

const nock = useNock();

const PORTAL = 'https://acme.bitrix24.com';
const WEBHOOK = `${PORTAL}/rest/1/whsecret-openlines-1/`;
const BOT_TOKEN = 'bot-token-openlines';
const ACCESS = 'access-token-openlines';
const CODE = 'ab12cd34ef56ab12cd34ef56ab12cd34';

interface Case {
  method: OpenlinesMethod;
  /** Documented parameters, as a caller writes them. */
  params: Record<string, unknown>;
  /** What reaches the portal when it differs from `params` (normalised ids and flags). */
  wire?: Record<string, unknown>;
  /** A documented result, as Bitrix24 sends it. */
  result: unknown;
  /** The typed value (matched with toEqual, or toMatchObject when `partial`). */
  parsed: unknown;
  partial?: boolean;
  /** Parameters that must fail before any request. */
  bad: unknown;
}

// One row per method of OPENLINES-API.md, parameters and results as the docs show them.
const CASES: Case[] = [
  {
    method: 'imopenlines.config.add',
    params: {
      PARAMS: { LINE_NAME: 'Docs line', ACTIVE: true, QUEUE: [27, 103], WELCOME_BOT_ENABLE: 'Y' },
    },
    wire: {
      PARAMS: { LINE_NAME: 'Docs line', ACTIVE: 'Y', QUEUE: [27, 103], WELCOME_BOT_ENABLE: 'Y' },
    },
    result: '22',
    parsed: 22,
    bad: { PARAMS: { WELCOME_BOT_JOIN: 'sometimes' } },
  },
  {
    method: 'imopenlines.config.delete',
    params: { CONFIG_ID: 22 },
    result: true,
    parsed: true,
    bad: {},
  },
  {
    method: 'imopenlines.config.get',
    params: { CONFIG_ID: 15, WITH_QUEUE: 'Y', SHOW_OFFLINE: 'Y' },
    result: {
      ID: '22',
      ACTIVE: 'Y',
      LINE_NAME: 'Bitrix24 Documentation',
      CRM: 'N',
      QUEUE_TYPE: 'evenly',
      QUEUE_TIME: '60',
      WELCOME_BOT_ENABLE: 'Y',
      WELCOME_BOT_JOIN: 'always',
      WELCOME_BOT_ID: '597',
      WELCOME_BOT_TIME: '180',
      WELCOME_BOT_LEFT: 'close',
      WORKTIME_TIMEZONE: 'Europe/Berlin',
      DATE_CREATE: {},
      QUEUE: ['27', '103'],
      QUEUE_ONLINE: 'Y',
    },
    parsed: {
      ID: 22,
      ACTIVE: true,
      LINE_NAME: 'Bitrix24 Documentation',
      CRM: false,
      QUEUE_TIME: 60,
      WELCOME_BOT_ENABLE: true,
      WELCOME_BOT_JOIN: 'always',
      WELCOME_BOT_ID: 597,
      WELCOME_BOT_TIME: 180,
      WELCOME_BOT_LEFT: 'close',
      WORKTIME_TIMEZONE: 'Europe/Berlin',
      QUEUE: [27, 103],
      QUEUE_ONLINE: 'Y',
    },
    partial: true,
    bad: { CONFIG_ID: 'line-15' },
  },
  {
    method: 'imopenlines.config.list.get',
    params: {
      PARAMS: {
        select: ['ID', 'LINE_NAME'],
        order: { ID: 'ASC' },
        filter: { ACTIVE: 'Y' },
        limit: 50,
      },
      OPTIONS: { QUEUE: 'Y', CHECK_PERMISSION: 'view' },
    },
    result: [
      { ID: '1', LINE_NAME: 'Support', ACTIVE: 'Y', QUEUE: ['1'] },
      { ID: '3', LINE_NAME: 'Sales', ACTIVE: 'N', QUEUE: [] },
    ],
    parsed: [
      { ID: 1, LINE_NAME: 'Support', ACTIVE: true, QUEUE: [1] },
      { ID: 3, LINE_NAME: 'Sales', ACTIVE: false, QUEUE: [] },
    ],
    bad: { PARAMS: { limit: 500 } },
  },
  {
    method: 'imopenlines.config.path.get',
    params: {},
    result: { SERVER_ADDRESS: 'https://acme.bitrix24.com', PUBLIC_PATH: '/online/' },
    parsed: { SERVER_ADDRESS: 'https://acme.bitrix24.com', PUBLIC_PATH: '/online/' },
    bad: { CONFIG_ID: 1 },
  },
  {
    method: 'imopenlines.config.update',
    params: {
      CONFIG_ID: '15',
      PARAMS: { WELCOME_BOT_ENABLE: true, WELCOME_BOT_ID: 597, WELCOME_BOT_JOIN: 'first' },
    },
    wire: {
      CONFIG_ID: 15,
      PARAMS: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: 597, WELCOME_BOT_JOIN: 'first' },
    },
    result: true,
    parsed: true,
    bad: { CONFIG_ID: 15 },
  },
  {
    method: 'imopenlines.network.join',
    params: { CODE },
    result: '1009',
    parsed: 1009,
    bad: { CODE: 'short' },
  },
  {
    method: 'imopenlines.network.message.add',
    params: { CODE, USER_ID: 2, MESSAGE: 'News of the week', URL_PREVIEW: 'N' },
    result: true,
    parsed: true,
    bad: { CODE, USER_ID: 2 },
  },
  {
    method: 'imopenlines.revision.get',
    params: {},
    result: { rest: 2, web: 1, mobile: 1 },
    parsed: { rest: 2, web: 1, mobile: 1 },
    bad: { rest: 2 },
  },
  {
    method: 'imopenlines.bot.session.finish',
    params: { CHAT_ID: 1777 },
    wire: { CHAT_ID: 1777, CLIENT_ID: BOT_TOKEN },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 'chat1777' },
  },
  {
    method: 'imopenlines.bot.session.message.send',
    params: { CHAT_ID: 1777, MESSAGE: 'One moment', NAME: 'DEFAULT' },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1777, NAME: 'DEFAULT' },
  },
  {
    method: 'imopenlines.bot.session.operator',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 0 },
  },
  {
    method: 'imopenlines.bot.session.transfer',
    params: { CHAT_ID: 1777, QUEUE_ID: 3, LEAVE: 'Y' },
    wire: { CHAT_ID: 1777, QUEUE_ID: 3, LEAVE: 'Y', CLIENT_ID: BOT_TOKEN },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1777, LEAVE: 'Y' },
  },
  {
    method: 'imopenlines.crm.chat.getLastId',
    params: { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 },
    result: '9852',
    parsed: 9852,
    bad: { CRM_ENTITY_TYPE: 'invoice', CRM_ENTITY: 288 },
  },
  {
    method: 'imopenlines.crm.chat.get',
    params: { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288, ACTIVE_ONLY: 'N' },
    result: [{ CHAT_ID: '9852', CONNECTOR_ID: 'livechat', CONNECTOR_TITLE: 'Live Chat' }],
    parsed: [{ CHAT_ID: 9852, CONNECTOR_ID: 'livechat', CONNECTOR_TITLE: 'Live Chat' }],
    bad: { CRM_ENTITY_TYPE: 'deal' },
  },
  {
    method: 'imopenlines.crm.chat.user.add',
    params: { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1, USER_ID: 571, CHAT_ID: 9852 },
    result: 9852,
    parsed: 9852,
    bad: { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1 },
  },
  {
    method: 'imopenlines.crm.chat.user.delete',
    params: { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1, USER_ID: 571 },
    result: '9852',
    parsed: 9852,
    bad: { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1, USER_ID: -3 },
  },
  {
    method: 'imopenlines.crm.message.add',
    params: {
      CRM_ENTITY_TYPE: 'deal',
      CRM_ENTITY: 288,
      USER_ID: 571,
      CHAT_ID: 9852,
      MESSAGE: 'Your invoice is ready',
    },
    result: 20011,
    parsed: 20011,
    bad: { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288, USER_ID: 571, CHAT_ID: 9852, MESSAGE: '' },
  },
  {
    method: 'imopenlines.message.quick.save',
    params: { CHAT_ID: 1777, MESSAGE_ID: 19009 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1777 },
  },
  {
    method: 'imopenlines.operator.another.finish',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1777, USER_ID: 2 },
  },
  {
    method: 'imopenlines.operator.answer',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: {},
  },
  {
    method: 'imopenlines.operator.finish',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: '' },
  },
  {
    method: 'imopenlines.operator.skip',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1.5 },
  },
  {
    method: 'imopenlines.operator.spam',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: null },
  },
  {
    method: 'imopenlines.operator.transfer',
    params: { CHAT_ID: 1777, TRANSFER_ID: 'queue3' },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1777, TRANSFER_ID: 'line3' },
  },
  {
    method: 'imopenlines.crm.lead.create',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 'chat1777' },
  },
  {
    method: 'imopenlines.dialog.get',
    params: { DIALOG_ID: 'chat1777' },
    result: {
      id: '1777',
      dialog_id: 'chat1777',
      type: 'lines',
      owner: '0',
      entity_type: 'LINES',
      entity_id: 'telegrambot|3|1775|1775',
      entity_data_1: 'N|NONE|0|N|N|469|1684478426|0|0|0',
      manager_list: ['27'],
      message_type: 'L',
      date_create: '2023-05-19T08:40:26+02:00',
    },
    parsed: {
      id: 1777,
      dialog_id: 'chat1777',
      type: 'lines',
      owner: 0,
      entity_type: 'LINES',
      entity_id: 'telegrambot|3|1775|1775',
      entity_data_1: 'N|NONE|0|N|N|469|1684478426|0|0|0',
      manager_list: [27],
      message_type: 'L',
      date_create: new Date('2023-05-19T06:40:26Z'),
    },
    partial: true,
    bad: {},
  },
  {
    method: 'imopenlines.message.session.start',
    params: { CHAT_ID: 1777, MESSAGE_ID: 19009 },
    result: true,
    parsed: true,
    bad: { MESSAGE_ID: 19009 },
  },
  {
    method: 'imopenlines.session.head.vote',
    params: { SESSION_ID: 469, RATING: 5, COMMENT: 'Well done' },
    result: true,
    parsed: true,
    bad: { SESSION_ID: 469, RATING: 7 },
  },
  {
    method: 'imopenlines.session.history.get',
    params: { CHAT_ID: 1982, SESSION_ID: 469 },
    result: history,
    parsed: {
      chatId: 1982,
      canJoin: true,
      sessionId: 469,
      userId: 'chat1982',
      users: { '450': { id: 450, name: 'Guest', connector: true, bot: false } },
      messages: [
        { id: 18115, chatId: 1982, authorId: 0, text: 'Address directed' },
        {
          id: 18116,
          chatId: 1982,
          authorId: 450,
          text: 'sdfsdfsdfsdfdff',
          date: new Date('2023-05-18T23:40:26Z'),
        },
        { id: 19009, authorId: 0, text: 'Dialogue completed.' },
      ],
    },
    partial: true,
    bad: {},
  },
  {
    method: 'imopenlines.session.intercept',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT: 1777 },
  },
  {
    method: 'imopenlines.session.join',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: [1777] },
  },
  {
    method: 'imopenlines.session.mode.pin',
    params: { CHAT_ID: 1777, ACTIVATE: true },
    wire: { CHAT_ID: 1777, ACTIVATE: 'Y' },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1777 },
  },
  {
    method: 'imopenlines.session.mode.pinAll',
    params: {},
    result: ['1777', '1779'],
    parsed: [1777, 1779],
    bad: { CHAT_ID: 1777 },
  },
  {
    method: 'imopenlines.session.mode.silent',
    params: { CHAT_ID: 1777, ACTIVATE: 'N' },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 1777, ACTIVATE: 'maybe' },
  },
  {
    method: 'imopenlines.session.mode.unpinAll',
    params: {},
    result: [1777],
    parsed: [1777],
    bad: { ACTIVATE: 'N' },
  },
  {
    method: 'imopenlines.session.open',
    params: { USER_CODE: 'livechat|58|1981|450' },
    result: { chatId: '1982' },
    parsed: { chatId: 1982 },
    bad: { USER_CODE: 'livechat' },
  },
  {
    method: 'imopenlines.session.start',
    params: { CHAT_ID: 1777 },
    result: true,
    parsed: true,
    bad: { CHAT_ID: 'x' },
  },
];

function methodOf(api: unknown, method: string): (p: unknown) => Promise<unknown> {
  const fn = method
    .split('.')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], api);
  if (typeof fn !== 'function') throw new Error(`api has no ${method}`);
  return fn as (p: unknown) => Promise<unknown>;
}

function record(): {
  calls: { path: string; body: Record<string, unknown> }[];
  reply: (r: unknown) => void;
} {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  return {
    calls,
    reply(result) {
      nock(PORTAL)
        .post(/.*/)
        .reply(200, (path, body) => {
          calls.push({ path, body: bodyOf(body) });
          return { result, time: { start: 1, finish: 1.1 } };
        });
    },
  };
}

const webhookClient = (): RestClient =>
  createRestClient({ auth: { type: 'webhook', url: WEBHOOK, botToken: BOT_TOKEN } });

const oauthClient = (): RestClient =>
  createRestClient({
    auth: {
      type: 'oauth',
      clientId: 'local.app.openlines',
      clientSecret: 'client-secret-openlines',
      tokens: {
        memberId: 'm1',
        clientEndpoint: `${PORTAL}/rest/`,
        accessToken: ACCESS,
        refreshToken: 'refresh-openlines-1',
      },
      onTokens: async () => undefined,
    },
  });

function expectParsed(c: Case, value: unknown): void {
  if (c.partial) expect(value).toMatchObject(c.parsed as object);
  else expect(value).toEqual(c.parsed);
}

describe('createOpenlinesApi', () => {
  it('has one case per method of the catalogue, 38 in all', () => {
    expect(Object.keys(OPENLINES_METHODS)).toHaveLength(38);
    expect(CASES.map((c) => c.method).sort()).toEqual(Object.keys(OPENLINES_METHODS).sort());
  });

  it.each(CASES.map((c) => [c.method, c] as const))(
    '%s: documented parameters reach the webhook URL, the documented result parses',
    async (_m, c) => {
      const rec = record();
      rec.reply(c.result);
      const api = createOpenlinesApi(webhookClient());
      expectParsed(c, await methodOf(api, c.method)(c.params));
      // Only transfer/finish carry the bot credential (CLIENT_ID = the v2 bot token).
      expect(rec.calls).toEqual([
        { path: `/rest/1/whsecret-openlines-1/${c.method}`, body: c.wire ?? c.params },
      ]);
    },
  );

  it.each(CASES.map((c) => [c.method, c] as const))(
    '%s: documented parameters reach the OAuth URL with the access token',
    async (_m, c) => {
      const rec = record();
      rec.reply(c.result);
      const api = createOpenlinesApi(oauthClient());
      expectParsed(c, await methodOf(api, c.method)(c.params));
      const { CLIENT_ID: _dropped, ...wire } = c.wire ?? c.params;
      expect(rec.calls).toEqual([{ path: `/rest/${c.method}`, body: { ...wire, auth: ACCESS } }]);
    },
  );

  it.each(CASES.map((c) => [c.method, c] as const))(
    '%s: a wrong parameter fails with OpenlinesParamsError before any request',
    async (_m, c) => {
      const client = { portalId: 'p', call: jest.fn(), batch: jest.fn() };
      const api = createOpenlinesApi(client);
      const err = await methodOf(api, c.method)(c.bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenlinesParamsError);
      expect((err as OpenlinesParamsError).code).toBe('CONFIG');
      expect((err as OpenlinesParamsError).method).toBe(c.method);
      expect(client.call).not.toHaveBeenCalled();
    },
  );

  it('refuses a result of the wrong shape with UnexpectedResultError', async () => {
    const rec = record();
    rec.reply({ chatId: 'not a number' });
    const api = createOpenlinesApi(webhookClient());
    const err = await api.session
      .open({ USER_CODE: 'livechat|58|1981|450' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResultError);
    expect((err as UnexpectedResultError).code).toBe('UNEXPECTED_RESULT');
  });

  it('answers null for config.get of a line that does not exist (result false)', async () => {
    const rec = record();
    rec.reply(false);
    await expect(
      createOpenlinesApi(webhookClient()).config.get({ CONFIG_ID: 99 }),
    ).resolves.toBeNull();
  });

  it('batches checked calls and parses each result', async () => {
    const rec = record();
    rec.reply({
      result: {
        c0: [{ CHAT_ID: '9852', CONNECTOR_ID: 'livechat' }],
        c1: '9852',
        c2: { chatId: 'x' },
      },
      result_error: [],
    });
    const api = createOpenlinesApi(webhookClient());
    const out = await api.batch([
      openlinesCall('imopenlines.crm.chat.get', { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 }),
      openlinesCall('imopenlines.crm.chat.getLastId', {
        CRM_ENTITY_TYPE: 'deal',
        CRM_ENTITY: '288',
      }),
      openlinesCall('imopenlines.session.open', { USER_CODE: 'livechat|58|1981|450' }),
    ]);
    expect(out[0]).toEqual({ status: 'ok', result: [{ CHAT_ID: 9852, CONNECTOR_ID: 'livechat' }] });
    expect(out[1]).toEqual({ status: 'ok', result: 9852 });
    expect(out[2]).toMatchObject({ status: 'error', error: 'UNEXPECTED_RESULT' });
    expect(rec.calls[0]?.body.cmd).toEqual({
      c0: 'imopenlines.crm.chat.get?CRM_ENTITY_TYPE=deal&CRM_ENTITY=288',
      c1: 'imopenlines.crm.chat.getLastId?CRM_ENTITY_TYPE=deal&CRM_ENTITY=288',
      c2: 'imopenlines.session.open?USER_CODE=livechat%7C58%7C1981%7C450',
    });
  });

  it('refuses a wrong batch entry when it is built, before any request', () => {
    expect(() => openlinesCall('imopenlines.session.start', { CHAT_ID: 'chat1777' })).toThrow(
      OpenlinesParamsError,
    );
  });
});
