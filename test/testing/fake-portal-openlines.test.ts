/**
 * The fake portal serves every imopenlines.* method a bot may call with its own credentials,
 * with answers the typed client parses; operator/admin-only methods it does not serve.
 */
import { createRestClient, type BitrixRestClient } from '../../src/bitrix/create-rest-client';
import { isApiError } from '../../src/bitrix/rest-errors';
import {
  OPENLINES_METHODS,
  type BotOpenlinesMethod,
  type OpenlinesMethod,
} from '../../src/bitrix/openlines-methods';
import { callOpenlines } from '../../src/bitrix/openlines-api';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';

const TOKEN = 'fake_portal_ol_token';

describe('fake portal: Open Lines methods a bot may call', () => {
  let portal: FakePortal;
  let client: BitrixRestClient;
  let botId: number;
  beforeAll(async () => {
    portal = await createFakePortal({ rateLimit: false });
    client = createRestClient({
      auth: { type: 'webhook', url: portal.webhookUrl, botToken: TOKEN },
    });
    const reg = await client.api.imbot.v2.Bot.register({
      fields: {
        code: 'ol_methods',
        type: 'openline',
        isSupportOpenline: true,
        properties: { name: 'OL' },
      },
    });
    botId = reg.bot.id;
    portal.openChat({ chatId: 1777, lineId: 1, userCode: 'livechat|1|1776|450' });
    portal.bindCrmChat({ entityType: 'deal', entityId: 288, chatId: 1777 });
    portal.addClientMessage({ chat: 1777, text: 'Where is my invoice?' });
  });
  afterAll(async () => {
    await portal.close();
  });

  const CALLS: Record<BotOpenlinesMethod, () => Record<string, unknown>> = {
    'imopenlines.config.get': () => ({ CONFIG_ID: 1, WITH_QUEUE: 'Y' }),
    'imopenlines.config.list.get': () => ({}),
    'imopenlines.config.path.get': () => ({}),
    'imopenlines.revision.get': () => ({}),
    'imopenlines.bot.session.message.send': () => ({ CHAT_ID: 1777, MESSAGE: 'One moment' }),
    'imopenlines.bot.session.operator': () => ({ CHAT_ID: 1780 }),
    'imopenlines.bot.session.transfer': () => ({ CHAT_ID: 1778, QUEUE_ID: 1 }),
    'imopenlines.bot.session.finish': () => ({ CHAT_ID: 1779 }),
    'imopenlines.crm.chat.getLastId': () => ({ CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 }),
    'imopenlines.crm.chat.get': () => ({ CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 }),
    'imopenlines.crm.chat.user.add': () => ({
      CRM_ENTITY_TYPE: 'deal',
      CRM_ENTITY: 288,
      USER_ID: botId,
    }),
    'imopenlines.crm.chat.user.delete': () => ({
      CRM_ENTITY_TYPE: 'deal',
      CRM_ENTITY: 288,
      USER_ID: botId,
    }),
    'imopenlines.crm.message.add': () => ({
      CRM_ENTITY_TYPE: 'deal',
      CRM_ENTITY: 288,
      USER_ID: botId,
      CHAT_ID: 1777,
      MESSAGE: 'Your invoice is ready',
    }),
    'imopenlines.dialog.get': () => ({ CHAT_ID: 1777 }),
    'imopenlines.session.history.get': () => ({ CHAT_ID: 1777 }),
  };

  it('lists exactly the catalogue methods marked as bot-callable', () => {
    const botMethods = (Object.keys(OPENLINES_METHODS) as OpenlinesMethod[]).filter(
      (m) => OPENLINES_METHODS[m].bot,
    );
    expect(Object.keys(CALLS).sort()).toEqual(botMethods.sort());
  });

  it.each(Object.keys(CALLS) as BotOpenlinesMethod[])(
    '%s is served and its answer parses',
    async (method) => {
      await expect(callOpenlines(client, method, CALLS[method]() as never)).resolves.toBeDefined();
    },
  );

  it('keeps what the calls did: the bot message, the CRM message, the history with both', async () => {
    const history = await client.api.imopenlines.session.history.get({ CHAT_ID: 1777 });
    const texts = history.messages.map((m) => [
      m.text,
      history.users?.[String(m.authorId)]?.connector ?? false,
    ]);
    expect(texts).toEqual(
      expect.arrayContaining([
        ['Where is my invoice?', true],
        ['One moment', false],
        ['Your invoice is ready', false],
      ]),
    );
    expect(
      await client.api.imopenlines.crm.chat.getLastId({ CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 }),
    ).toBe(1777);
    expect(
      await client.api.imopenlines.crm.chat.get({ CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 }),
    ).toEqual([{ CHAT_ID: 1777, CONNECTOR_ID: 'livechat', CONNECTOR_TITLE: 'livechat' }]);
    expect(await client.api.imopenlines.config.get({ CONFIG_ID: 99 })).toBeNull();
  });

  it('does not serve operator or admin methods a bot cannot call with its own credentials', async () => {
    const err = await client.api.imopenlines.operator
      .answer({ CHAT_ID: 1777 })
      .catch((e: unknown) => e);
    expect(isApiError(err) && err.error).toBe('ERROR_METHOD_NOT_FOUND');
  });
});
