import axios from 'axios';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';

const http = axios.create({ validateStatus: () => true });

describe('createFakePortal (imbot.v2)', () => {
  let portal: FakePortal;
  const hook = (method: string, body: object) => http.post(`${portal.webhookUrl}${method}`, body);
  const oauth = (method: string, body: object) =>
    http.post(`${portal.clientEndpoint}${method}`, { ...body, auth: portal.tokens.accessToken });
  const register = (fields: object = {}) =>
    hook('imbot.v2.Bot.register', {
      fields: { code: 'ol_bot', botToken: 'tok-1', type: 'openline', eventMode: 'fetch', properties: { name: 'Support' }, ...fields },
    });

  /** The portal's clock: Event.get is paced on it. */
  let now = Date.UTC(2026, 0, 1);
  beforeEach(async () => {
    portal = await createFakePortal({ clock: { now: () => now } });
  });
  afterEach(async () => {
    await portal.close();
  });

  describe('Bot', () => {
    it('registers idempotently on code and returns {bot, users}', async () => {
      const first = await register();
      expect(first.status).toBe(200);
      expect(first.data.result.bot).toEqual(expect.objectContaining({ id: 7, code: 'ol_bot', type: 'openline', isSupportOpenline: true, eventMode: 'fetch' }));
      expect(first.data.result.users).toEqual([expect.objectContaining({ id: 7, bot: true, name: 'Support' })]);
      const again = await register({ properties: { name: 'Changed' } });
      expect(again.data.result.bot.id).toBe(7);
      expect(portal.bots).toHaveLength(1);
      expect(portal.bots[0]?.properties.name).toBe('Support');
    });

    it('wants botToken inside fields through a webhook, and no token through OAuth', async () => {
      const topLevel = await hook('imbot.v2.Bot.register', { botToken: 'tok-1', fields: { code: 'c', properties: { name: 'n' } } });
      expect(topLevel.data.error).toBe('BOT_TOKEN_NOT_SPECIFIED');
      expect((await register({ botToken: 'x'.repeat(41) })).data.error).toBe('BOT_TOKEN_INVALID_LENGTH');
      const viaApp = await oauth('imbot.v2.Bot.register', { fields: { code: 'app', properties: { name: 'A' } } });
      expect(viaApp.data.result.bot.id).toBe(7);
    });

    it('refuses bad registrations with the documented codes', async () => {
      expect((await register({ code: '' })).data.error).toBe('BOT_CODE_REQUIRED');
      expect((await register({ properties: {} })).data.error).toBe('BOT_PROPERTIES_REQUIRED');
      expect((await register({ type: 'robot' })).data.error).toBe('BOT_INVALID_TYPE');
      expect((await register({ eventMode: 'push' })).data.error).toBe('BOT_INVALID_EVENT_MODE');
      expect((await register({ eventMode: 'webhook' })).data.error).toBe('BOT_WEBHOOK_URL_REQUIRED');
      expect((await register({ eventMode: 'webhook', webhookUrl: 'ftp://x' })).data.error).toBe('BOT_INVALID_CALLBACK');
      await register();
      expect((await register({ botToken: 'other' })).data.error).toBe('BOT_CODE_ALREADY_TAKEN');
    });

    it('updates, rotates the token, gets, lists and unregisters', async () => {
      await register();
      const upd = await hook('imbot.v2.Bot.update', { botId: 7, botToken: 'tok-1', fields: { properties: { workPosition: 'L1' }, botToken: 'tok-2' } });
      expect(upd.status).toBe(200);
      expect((await hook('imbot.v2.Bot.get', { botId: 7, botToken: 'tok-1' })).data.result.bot.code).toBe('ol_bot');
      const old = await hook('imbot.v2.Bot.unregister', { botId: 7, botToken: 'tok-1' });
      expect(old.status).toBe(403);
      expect(old.data.error).toBe('BOT_OWNERSHIP_ERROR');
      const list = await hook('imbot.v2.Bot.list', { botToken: 'tok-2' });
      expect(list.data.result).toEqual({ bots: [expect.objectContaining({ id: 7 })], users: [expect.any(Object)], hasNextPage: false });
      expect((await hook('imbot.v2.Bot.get', { botToken: 'tok-2' })).data.error).toBe('PARAMS_REQUIRED');
      expect((await hook('imbot.v2.Bot.get', { code: 'nope', botToken: 'tok-2' })).data.error).toBe('BOT_NOT_FOUND');
      expect((await hook('imbot.v2.Bot.unregister', { botId: 7, botToken: 'tok-2' })).data.result).toBe(true);
      expect(portal.bots).toHaveLength(0);
    });
  });

  describe('Chat', () => {
    beforeEach(async () => {
      await register();
    });

    it('sends, updates and deletes messages with keyboards, and records typing', async () => {
      const sent = await hook('imbot.v2.Chat.Message.send', {
        botId: 7, botToken: 'tok-1', dialogId: 'chat1777',
        fields: { message: 'Pick one', keyboard: { BUTTONS: [{ TEXT: 'Human', COMMAND: 'operator' }, { TYPE: 'NEWLINE' }] } },
      });
      expect(sent.data.result).toEqual({ id: expect.any(Number), uuidMap: {} });
      const chat = portal.chat('chat1777');
      expect(chat.messages[0]).toEqual(expect.objectContaining({ text: 'Pick one', via: 'imbot.v2.Chat.Message.send', botId: 7 }));
      expect(chat.messages[0]?.keyboard?.BUTTONS).toHaveLength(2);
      const id = sent.data.result.id as number;
      await hook('imbot.v2.Chat.Message.update', { botId: 7, botToken: 'tok-1', messageId: id, fields: { message: 'Edited', keyboard: 'N' } });
      expect(chat.messages[0]).toEqual(expect.objectContaining({ text: 'Edited', edited: true }));
      expect(chat.messages[0]?.keyboard).toBeUndefined();
      expect((await hook('imbot.v2.Chat.Message.delete', { botId: 7, botToken: 'tok-1', messageId: id })).data.result).toBe(true);
      expect(chat.messages[0]?.deleted).toBe(true);
      await hook('imbot.v2.Chat.InputAction.notify', { botId: 7, botToken: 'tok-1', dialogId: 'chat1777' });
      expect(chat.typing).toBe(1);
    });

    it('refuses sends without token, bot, text or ownership', async () => {
      const base = { botId: 7, botToken: 'tok-1', dialogId: 'chat1', fields: { message: 'x' } };
      expect((await hook('imbot.v2.Chat.Message.send', { ...base, botToken: undefined })).data.error).toBe('BOT_TOKEN_NOT_SPECIFIED');
      expect((await hook('imbot.v2.Chat.Message.send', { ...base, botId: undefined })).data.error).toBe('BOT_ID_REQUIRED');
      expect((await hook('imbot.v2.Chat.Message.send', { ...base, botId: 99 })).data.error).toBe('BOT_NOT_FOUND');
      expect((await hook('imbot.v2.Chat.Message.send', { ...base, botToken: 'wrong' })).data.error).toBe('BOT_OWNERSHIP_ERROR');
      expect((await hook('imbot.v2.Chat.Message.send', { ...base, fields: { message: '' } })).data.error).toBe('EMPTY_MESSAGE');
      expect((await hook('imbot.v2.Chat.Message.update', { botId: 7, botToken: 'tok-1', messageId: 5, fields: {} })).data.error).toBe('ACCESS_DENIED');
    });

    it('registers commands idempotently with a leading slash in the answer', async () => {
      const body = { botId: 7, botToken: 'tok-1', fields: { command: 'operator', title: { en: 'Operator' } } };
      const first = await hook('imbot.v2.Command.register', body);
      expect(first.data.result.command).toEqual(expect.objectContaining({ id: 1, botId: 7, command: '/operator' }));
      expect((await hook('imbot.v2.Command.register', body)).data.result.command.id).toBe(1);
      expect((await hook('imbot.v2.Command.register', { ...body, fields: { command: 'x' } })).data.error).toBe('COMMAND_TITLE_REQUIRED');
      expect((await hook('imbot.v2.Command.register', { ...body, fields: { command: 'a b', hidden: true } })).data.error).toBe('COMMAND_NAME_INVALID');
    });
  });

  describe('Event.get', () => {
    // Polled at the documented pace: 2 s apart.
    const get = (extra: object = {}) => {
      now += 2000;
      return hook('imbot.v2.Event.get', { botId: 7, botToken: 'tok-1', ...extra });
    };
    const item = (n: number) => ({ type: 'ONIMBOTV2MESSAGEADD', data: { message: { id: n, text: `m${n}` } } });

    beforeEach(async () => {
      await register();
    });

    it('answers 429 to a poll of the same bot closer than 2 s, not to another bot (#8)', async () => {
      expect((await get()).status).toBe(200);
      now += 1999;
      const fast = await hook('imbot.v2.Event.get', { botId: 7, botToken: 'tok-1' });
      expect([fast.status, fast.data.error]).toEqual([429, 'TOO_MANY_REQUESTS']);
      await hook('imbot.v2.Bot.register', { fields: { code: 'second', botToken: 'tok-9', properties: { name: 'S' } } });
      expect((await hook('imbot.v2.Event.get', { botId: 8, botToken: 'tok-9' })).status).toBe(200);
      expect((await get()).status).toBe(200);
    });

    it('answers an empty queue with nextOffset 0', async () => {
      expect((await get()).data.result).toEqual({ events: [], nextOffset: 0, hasMore: false });
    });

    it('pages with limit and hasMore, and acknowledges everything below offset', async () => {
      for (let n = 1; n <= 5; n++) portal.queueEvent(7, item(n));
      const page1 = (await get({ limit: 2 })).data.result;
      expect(page1.events.map((e: { eventId: number }) => e.eventId)).toEqual([1001, 1002]);
      expect(page1).toEqual(expect.objectContaining({ nextOffset: 1003, hasMore: true }));
      expect(page1.events[0]).toEqual({ eventId: 1001, type: 'ONIMBOTV2MESSAGEADD', date: expect.any(String), data: { message: { id: 1, text: 'm1' } } });
      // Without a larger offset the same events come again (at-least-once).
      expect((await get({ limit: 2 })).data.result.events[0].eventId).toBe(1001);
      const page2 = (await get({ offset: page1.nextOffset, limit: 2 })).data.result;
      expect(page2.events.map((e: { eventId: number }) => e.eventId)).toEqual([1003, 1004]);
      const page3 = (await get({ offset: page2.nextOffset })).data.result;
      expect(page3).toEqual(expect.objectContaining({ nextOffset: 1006, hasMore: false }));
      expect((await get({ offset: 1006 })).data.result).toEqual({ events: [], nextOffset: 0, hasMore: false });
      expect(portal.pendingEvents(7)).toEqual([]);
    });

    it('re-delivers acknowledged events as duplicates on request', async () => {
      portal.queueEvent(7, item(1));
      portal.queueEvent(7, item(2));
      await get({ offset: 1003 });
      expect(portal.redeliverEvents(7, { fromEventId: 1002 })).toBe(1);
      expect((await get({ offset: 1003 })).data.result.events).toEqual([]);
      expect(portal.redeliverEvents(7)).toBe(2);
      const again = (await get()).data.result;
      expect(again.events.map((e: { eventId: number }) => e.eventId)).toEqual([1001, 1002]);
    });

    it('keeps queues per bot and checks ownership', async () => {
      portal.queueEvent(7, item(1));
      expect((await get({ botToken: 'other' })).data.error).toBe('BOT_OWNERSHIP_ERROR');
      await hook('imbot.v2.Bot.register', { fields: { code: 'second', botToken: 'tok-9', properties: { name: 'S' } } });
      const other = await hook('imbot.v2.Event.get', { botId: 8, botToken: 'tok-9' });
      expect(other.data.result.events).toEqual([]);
    });
  });
});
