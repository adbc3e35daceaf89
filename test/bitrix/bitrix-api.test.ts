import type { BitrixApi } from '../../src/bitrix/bitrix-api';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { bodyOf, useNock } from './helpers/use-nock';

const nock = useNock();

const PORTAL = 'https://acme.bitrix24.com';
const WEBHOOK = `${PORTAL}/rest/1/whsecret-table-123/`;
const CLIENT_ID = 'app-client-v1-table';
const BOT_TOKEN = 'bot-token-v2-table';
const ACCESS = 'access-token-table-1';

type Extra = 'sessionClientId' | 'clientId' | 'botToken' | 'botTokenInFields' | 'none';

interface Case {
  method: string;
  invoke: (api: BitrixApi, params: never) => Promise<unknown>;
  params: Record<string, unknown>;
  extra: Extra;
  result: unknown;
  /** The typed value the call resolves with, when it differs from the wire result. */
  parsed?: unknown;
}

const kb = {
  BUTTONS: [{ TEXT: 'Human', COMMAND: 'operator', COMMAND_PARAMS: '' }, { TYPE: 'NEWLINE' }],
};

// One row per typed method: documented parameters in, documented result out.
const CASES: Case[] = [
  {
    method: 'imbot.register',
    invoke: (api, p) => api.imbot.register(p),
    params: {
      CODE: 'ol_bot',
      TYPE: 'O',
      OPENLINE: 'Y',
      EVENT_HANDLER: 'https://bot.example.com/ev',
      PROPERTIES: { NAME: 'Support', COLOR: 'GREEN' },
    },
    extra: 'clientId',
    result: 571,
  },
  {
    method: 'imbot.unregister',
    invoke: (api, p) => api.imbot.unregister(p),
    params: { BOT_ID: 571 },
    extra: 'clientId',
    result: true,
  },
  {
    method: 'imbot.update',
    invoke: (api, p) => api.imbot.update(p),
    params: {
      BOT_ID: 571,
      FIELDS: { EVENT_HANDLER: 'https://bot.example.com/ev2', PROPERTIES: { NAME: 'Support 2' } },
    },
    extra: 'clientId',
    result: true,
  },
  {
    method: 'imbot.bot.list',
    invoke: (api, p) => api.imbot.bot.list(p),
    params: {},
    extra: 'clientId',
    result: { '571': { ID: 571, NAME: 'Support', CODE: 'ol_bot', OPENLINE: 'Y' } },
  },
  {
    method: 'imbot.message.add',
    invoke: (api, p) => api.imbot.message.add(p),
    params: {
      BOT_ID: 571,
      DIALOG_ID: 'chat1777',
      MESSAGE: 'Hello [b]there[/b]',
      KEYBOARD: kb,
      SKIP_CONNECTOR: 'N',
    },
    extra: 'clientId',
    result: 9001,
  },
  {
    method: 'imbot.message.update',
    invoke: (api, p) => api.imbot.message.update(p),
    params: { BOT_ID: 571, MESSAGE_ID: 9001, MESSAGE: 'edited', KEYBOARD: 'N' },
    extra: 'clientId',
    result: true,
  },
  {
    method: 'imbot.message.delete',
    invoke: (api, p) => api.imbot.message.delete(p),
    params: { BOT_ID: 571, MESSAGE_ID: 9001, COMPLETE: 'Y' },
    extra: 'clientId',
    result: true,
  },
  {
    method: 'imbot.chat.sendTyping',
    invoke: (api, p) => api.imbot.chat.sendTyping(p),
    params: { BOT_ID: 571, DIALOG_ID: 'chat1777' },
    extra: 'clientId',
    result: true,
  },
  {
    method: 'imbot.command.register',
    invoke: (api, p) => api.imbot.command.register(p),
    params: {
      BOT_ID: 571,
      COMMAND: 'operator',
      EVENT_COMMAND_ADD: 'https://bot.example.com/ev',
      LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Talk to a human' }],
      HIDDEN: 'Y',
      EXTRANET_SUPPORT: 'Y',
    },
    extra: 'clientId',
    result: 12,
  },
  {
    method: 'imbot.command.answer',
    invoke: (api, p) => api.imbot.command.answer(p),
    params: { COMMAND_ID: 12, MESSAGE_ID: 9002, MESSAGE: 'Connecting…' },
    extra: 'clientId',
    result: 9003,
  },
  {
    method: 'imbot.v2.Bot.register',
    invoke: (api, p) => api.imbot.v2.Bot.register(p),
    params: {
      fields: {
        code: 'ol_bot',
        type: 'openline',
        isSupportOpenline: true,
        eventMode: 'fetch',
        properties: { name: 'Support line' },
      },
    },
    extra: 'botTokenInFields',
    result: {
      bot: { id: 456, code: 'ol_bot', type: 'openline', eventMode: 'fetch' },
      users: [{ id: 456, name: 'Support line' }],
    },
  },
  {
    method: 'imbot.v2.Bot.update',
    invoke: (api, p) => api.imbot.v2.Bot.update(p),
    params: {
      botId: 456,
      fields: { eventMode: 'webhook', webhookUrl: 'https://bot.example.com/v2' },
    },
    extra: 'botToken',
    result: { bot: { id: 456, code: 'ol_bot', type: 'openline', eventMode: 'webhook' }, users: [] },
  },
  {
    method: 'imbot.v2.Bot.unregister',
    invoke: (api, p) => api.imbot.v2.Bot.unregister(p),
    params: { botId: 456 },
    extra: 'botToken',
    result: true,
  },
  {
    method: 'imbot.v2.Bot.get',
    invoke: (api, p) => api.imbot.v2.Bot.get(p),
    params: { code: 'ol_bot' },
    extra: 'botToken',
    result: { bot: { id: 456, code: 'ol_bot', type: 'openline' }, users: [] },
  },
  {
    method: 'imbot.v2.Chat.Message.send',
    invoke: (api, p) => api.imbot.v2.Chat.Message.send(p),
    params: {
      botId: 456,
      dialogId: 'chat1777',
      fields: { message: 'Hi', keyboard: kb, urlPreview: false },
    },
    extra: 'botToken',
    result: { id: 789, uuidMap: {} },
  },
  {
    method: 'imbot.v2.Chat.Message.update',
    invoke: (api, p) => api.imbot.v2.Chat.Message.update(p),
    params: { botId: 456, messageId: 789, fields: { message: 'Hi again', keyboard: 'N' } },
    extra: 'botToken',
    result: true,
  },
  {
    method: 'imbot.v2.Chat.Message.delete',
    invoke: (api, p) => api.imbot.v2.Chat.Message.delete(p),
    params: { botId: 456, messageId: 789, complete: true },
    extra: 'botToken',
    result: true,
  },
  {
    method: 'imbot.v2.Chat.InputAction.notify',
    invoke: (api, p) => api.imbot.v2.Chat.InputAction.notify(p),
    params: { botId: 456, dialogId: 'chat1777', duration: 5 },
    extra: 'botToken',
    result: true,
  },
  {
    method: 'imbot.v2.Event.get',
    invoke: (api, p) => api.imbot.v2.Event.get(p),
    params: { botId: 456, offset: 1001, limit: 100 },
    extra: 'botToken',
    result: {
      events: [
        { eventId: 1001, type: 'ONIMBOTV2JOINCHAT', date: '2026-01-01T00:00:00+00:00', data: {} },
      ],
      nextOffset: 1002,
      hasMore: false,
    },
  },
  {
    method: 'imopenlines.bot.session.message.send',
    invoke: (api, p) => api.imopenlines.bot.session.message.send(p),
    params: { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: 'One moment' },
    extra: 'none',
    result: true,
  },
  {
    method: 'imopenlines.bot.session.operator',
    invoke: (api, p) => api.imopenlines.bot.session.operator(p),
    params: { CHAT_ID: 1777 },
    extra: 'none',
    result: true,
  },
  {
    method: 'imopenlines.bot.session.transfer',
    invoke: (api, p) => api.imopenlines.bot.session.transfer(p),
    params: { CHAT_ID: 1777, QUEUE_ID: 3, LEAVE: 'Y' },
    extra: 'sessionClientId',
    result: true,
  },
  {
    method: 'imopenlines.bot.session.finish',
    invoke: (api, p) => api.imopenlines.bot.session.finish(p),
    params: { CHAT_ID: 1777 },
    extra: 'sessionClientId',
    result: true,
  },
  {
    method: 'imopenlines.config.list.get',
    invoke: (api, p) => api.imopenlines.config.list.get(p),
    params: {
      PARAMS: { select: ['ID', 'LINE_NAME'], filter: { ACTIVE: 'Y' } },
      OPTIONS: { QUEUE: 'Y' },
    },
    extra: 'none',
    result: [{ ID: '3', LINE_NAME: 'Support', QUEUE: ['1', '7'] }],
    parsed: [{ ID: 3, LINE_NAME: 'Support', QUEUE: [1, 7] }],
  },
  {
    method: 'imopenlines.dialog.get',
    invoke: (api, p) => api.imopenlines.dialog.get(p),
    params: { CHAT_ID: 1777 },
    extra: 'none',
    result: {
      id: 1777,
      dialog_id: 'chat1777',
      entity_type: 'LINES',
      entity_id: 'telegrambot|3|1775|1775',
    },
  },
];

function expectedWebhookBody(c: Case): Record<string, unknown> {
  switch (c.extra) {
    case 'clientId':
      return { ...c.params, CLIENT_ID: CLIENT_ID };
    case 'botToken':
      return { ...c.params, botToken: BOT_TOKEN };
    case 'sessionClientId':
      // transfer/finish take CLIENT_ID; with both credentials set the v2 bot token wins.
      return { ...c.params, CLIENT_ID: BOT_TOKEN };
    case 'botTokenInFields':
      return { ...c.params, fields: { ...(c.params.fields as object), botToken: BOT_TOKEN } };
    case 'none':
      return c.params;
  }
}

function recordOne(origin: string): {
  calls: { path: string; body: Record<string, unknown> }[];
  reply: (result: unknown) => void;
} {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  return {
    calls,
    reply(result) {
      nock(origin)
        .post(/.*/)
        .reply(200, (path, body) => {
          calls.push({ path, body: bodyOf(body) });
          return { result, time: { start: 1, finish: 1.1 } };
        });
    },
  };
}

describe('createBitrixApi', () => {
  it('covers every method named in issue 2', () => {
    const named = [
      'imbot.register',
      'imbot.unregister',
      'imbot.update',
      'imbot.bot.list',
      'imbot.message.add',
      'imbot.message.update',
      'imbot.message.delete',
      'imbot.chat.sendTyping',
      'imbot.command.register',
      'imbot.command.answer',
      'imbot.v2.Bot.register',
      'imbot.v2.Bot.update',
      'imbot.v2.Bot.unregister',
      'imbot.v2.Bot.get',
      'imbot.v2.Chat.Message.send',
      'imbot.v2.Chat.Message.update',
      'imbot.v2.Chat.Message.delete',
      'imbot.v2.Chat.InputAction.notify',
      'imbot.v2.Event.get',
      'imopenlines.bot.session.message.send',
      'imopenlines.bot.session.operator',
      'imopenlines.bot.session.transfer',
      'imopenlines.bot.session.finish',
      'imopenlines.config.list.get',
      'imopenlines.dialog.get',
    ];
    expect(CASES.map((c) => c.method).sort()).toEqual(named.sort());
  });

  it.each(CASES.map((c) => [c.method, c] as const))(
    '%s sends the documented parameters through a webhook',
    async (_m, c) => {
      const client = createRestClient({
        auth: { type: 'webhook', url: WEBHOOK, clientId: CLIENT_ID, botToken: BOT_TOKEN },
      });
      const rec = recordOne(PORTAL);
      rec.reply(c.result);
      await expect(c.invoke(client.api, c.params as never)).resolves.toEqual(c.parsed ?? c.result);
      expect(rec.calls).toEqual([
        { path: `/rest/1/whsecret-table-123/${c.method}`, body: expectedWebhookBody(c) },
      ]);
    },
  );

  it.each(CASES.map((c) => [c.method, c] as const))(
    '%s sends the documented parameters with OAuth',
    async (_m, c) => {
      const client = createRestClient({
        auth: {
          type: 'oauth',
          clientId: 'local.app.table',
          clientSecret: 'client-secret-table',
          tokens: {
            memberId: 'm1',
            clientEndpoint: `${PORTAL}/rest/`,
            accessToken: ACCESS,
            refreshToken: 'refresh-table-1',
          },
          onTokens: async () => undefined,
        },
      });
      const rec = recordOne(PORTAL);
      rec.reply(c.result);
      await expect(c.invoke(client.api, c.params as never)).resolves.toEqual(c.parsed ?? c.result);
      // OAuth apps identify the bot through their client_id: no CLIENT_ID / botToken on the wire.
      expect(rec.calls).toEqual([
        { path: `/rest/${c.method}`, body: { ...c.params, auth: ACCESS } },
      ]);
    },
  );

  it('adds the bot credential inside batch sub-calls too', async () => {
    const client = createRestClient({
      auth: { type: 'webhook', url: WEBHOOK, clientId: CLIENT_ID, botToken: BOT_TOKEN },
    });
    const rec = recordOne(PORTAL);
    rec.reply({ result: { c0: 1, c1: { id: 2 }, c2: true }, result_error: [] });
    const out = await client.api.batch([
      {
        method: 'imbot.message.add',
        params: { BOT_ID: 571, DIALOG_ID: 'chat1777', MESSAGE: 'a b&c' },
      },
      {
        method: 'imbot.v2.Chat.Message.send',
        params: { botId: 456, dialogId: 'chat1777', fields: { message: 'x', urlPreview: false } },
      },
      { method: 'imopenlines.bot.session.finish', params: { CHAT_ID: 1777 } },
    ]);
    expect(out).toEqual([
      { status: 'ok', result: 1 },
      { status: 'ok', result: { id: 2 } },
      { status: 'ok', result: true },
    ]);
    expect(rec.calls).toEqual([
      {
        path: '/rest/1/whsecret-table-123/batch',
        body: {
          halt: 0,
          cmd: {
            c0: `imbot.message.add?BOT_ID=571&DIALOG_ID=chat1777&MESSAGE=a%20b%26c&CLIENT_ID=${CLIENT_ID}`,
            c1: `imbot.v2.Chat.Message.send?botId=456&dialogId=chat1777&fields[message]=x&fields[urlPreview]=N&botToken=${BOT_TOKEN}`,
            c2: `imopenlines.bot.session.finish?CHAT_ID=1777&CLIENT_ID=${BOT_TOKEN}`,
          },
        },
      },
    ]);
  });

  it('uses the v2 bot token as CLIENT_ID of transfer and finish when no v1 client id is set', async () => {
    const client = createRestClient({
      auth: { type: 'webhook', url: WEBHOOK, botToken: BOT_TOKEN },
    });
    const rec = recordOne(PORTAL);
    rec.reply(true);
    rec.reply(true);
    await client.api.imopenlines.bot.session.transfer({ CHAT_ID: 1777, USER_ID: 7 });
    await client.api.imopenlines.bot.session.transfer({
      CHAT_ID: 1777,
      USER_ID: 7,
      CLIENT_ID: 'explicit-id',
    });
    expect(rec.calls.map((c) => c.body.CLIENT_ID)).toEqual([BOT_TOKEN, 'explicit-id']);
  });
});
