import axios, { type AxiosInstance } from 'axios';
import { parseEventBody } from '../../src/events/parse-event-body';
import { createEventBuilders } from '../../src/testing/event-builders';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';

const http: AxiosInstance = axios.create({ validateStatus: () => true, maxRedirects: 0 });

function clock(start = 1_790_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createFakePortal', () => {
  let portal: FakePortal;
  const hook = (method: string, body: object) => http.post(`${portal.webhookUrl}${method}`, body);
  const oauth = (method: string, body: object) =>
    http.post(`${portal.clientEndpoint}${method}`, { ...body, auth: portal.tokens.accessToken });

  beforeEach(async () => {
    portal = await createFakePortal({ clock: clock() });
  });
  afterEach(async () => {
    await portal.close();
  });

  describe('URL forms and envelopes', () => {
    it('listens on 127.0.0.1 and exposes webhook and OAuth addresses', () => {
      expect(portal.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(portal.webhookUrl).toBe(`${portal.url}/rest/1/${portal.webhookSecret}/`);
      expect(portal.clientEndpoint).toBe(`${portal.url}/rest/`);
      expect(portal.oauthServerEndpoint).toBe(`${portal.url}/rest/`);
      expect(portal.memberId).toMatch(/^[0-9a-f]{32}$/);
      expect(portal.domain).toBe(portal.url.replace('http://', ''));
      expect(portal.applicationToken).not.toBe('');
    });

    it('answers a webhook call with {result, time} and logs it', async () => {
      const res = await hook('imopenlines.bot.session.message.send.json', { CHAT_ID: 1777, MESSAGE: 'Hi' });
      expect(res.status).toBe(200);
      expect(res.data.result).toBe(true);
      expect(res.data.time).toEqual(expect.objectContaining({ start: expect.any(Number), duration: expect.any(Number) }));
      expect(portal.calls).toEqual([
        { method: 'imopenlines.bot.session.message.send', params: { CHAT_ID: 1777, MESSAGE: 'Hi' }, auth: 'webhook', viaBatch: false, at: 1_790_000_000_000, httpRequest: 1 },
      ]);
    });

    it('refuses a wrong webhook secret with 401 NO_AUTH_FOUND', async () => {
      const res = await http.post(`${portal.url}/rest/1/not-the-secret/imbot.bot.list`, {});
      expect(res.status).toBe(401);
      expect(res.data).toEqual({ error: 'NO_AUTH_FOUND', error_description: expect.any(String) });
    });

    it('accepts the OAuth form with auth in the body or in the query, and refuses unknown tokens', async () => {
      expect((await oauth('imbot.bot.list', {})).status).toBe(200);
      const viaQuery = await http.get(`${portal.clientEndpoint}imbot.bot.list?auth=${portal.tokens.accessToken}`);
      expect(viaQuery.status).toBe(200);
      const unknown = await http.post(`${portal.clientEndpoint}imbot.bot.list`, { auth: 'nope' });
      expect(unknown.status).toBe(401);
      expect(unknown.data.error).toBe('NO_AUTH_FOUND');
      const missing = await http.post(`${portal.clientEndpoint}imbot.bot.list`, {});
      expect(missing.status).toBe(401);
      expect(portal.calls.map((c) => c.auth)).toEqual(['oauth', 'oauth', 'oauth', 'oauth']);
      expect(portal.calls[0]?.params).toEqual({});
    });

    it('decodes PHP-bracket form bodies and query strings like JSON bodies', async () => {
      const form = 'BOT_ID=7&DIALOG_ID=chat1777&MESSAGE=Hello+world&KEYBOARD%5BBUTTONS%5D%5B0%5D%5BTEXT%5D=Yes&KEYBOARD%5BBUTTONS%5D%5B0%5D%5BCOMMAND%5D=yes&CLIENT_ID=c';
      await hook('imbot.register', { CODE: 'b', CLIENT_ID: 'c', EVENT_HANDLER: 'https://bot.example/h', PROPERTIES: { NAME: 'Bot' } });
      const res = await http.post(`${portal.webhookUrl}imbot.message.add`, form, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status).toBe(200);
      expect(portal.calls[1]?.params).toEqual({
        BOT_ID: '7',
        DIALOG_ID: 'chat1777',
        MESSAGE: 'Hello world',
        KEYBOARD: { BUTTONS: [{ TEXT: 'Yes', COMMAND: 'yes' }] },
        CLIENT_ID: 'c',
      });
      expect(portal.chat('chat1777').messages[0]).toEqual(
        expect.objectContaining({ text: 'Hello world', keyboard: { BUTTONS: [{ TEXT: 'Yes', COMMAND: 'yes' }] }, via: 'imbot.message.add', botId: 7 }),
      );
      const viaGet = await http.get(`${portal.webhookUrl}imopenlines.bot.session.message.send?CHAT_ID=5&MESSAGE=q`);
      expect(viaGet.status).toBe(200);
      expect(portal.calls[2]?.params).toEqual({ CHAT_ID: '5', MESSAGE: 'q' });
    });

    it('answers an unknown method with 404 ERROR_METHOD_NOT_FOUND and logs the failure', async () => {
      const res = await hook('imbot.nothing.here', {});
      expect(res.status).toBe(404);
      expect(res.data.error).toBe('ERROR_METHOD_NOT_FOUND');
      expect(portal.calls[0]?.error).toBe('ERROR_METHOD_NOT_FOUND');
    });

    it('drops __proto__ keys of a JSON body instead of polluting prototypes', async () => {
      const res = await http.post(`${portal.webhookUrl}imopenlines.bot.session.message.send`, '{"CHAT_ID":1,"MESSAGE":"x","__proto__":{"polluted":true}}', {
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      expect(portal.calls[0]?.params).toEqual({ CHAT_ID: 1, MESSAGE: 'x' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(portal.calls[0]?.params)).toBe(Object.prototype);
    });

    it('answers malformed JSON with 400 INVALID_REQUEST', async () => {
      const res = await http.post(`${portal.webhookUrl}imbot.bot.list`, '{"a":', { headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.data.error).toBe('INVALID_REQUEST');
    });
  });

  describe('imbot v1', () => {
    const register = (extra: object = {}) =>
      hook('imbot.register', { CODE: 'support', TYPE: 'O', CLIENT_ID: 'client-1', EVENT_HANDLER: 'https://bot.example/events', PROPERTIES: { NAME: 'Support' }, ...extra });

    it('registers a bot, lists it and returns the same id for the same code', async () => {
      const first = await register();
      expect(first.data.result).toBe(7);
      expect((await register()).data.result).toBe(7);
      const list = await hook('imbot.bot.list', { CLIENT_ID: 'client-1' });
      expect(list.data.result).toEqual({ '7': { ID: 7, NAME: 'Support', CODE: 'support', OPENLINE: 'Y' } });
      expect(portal.bots).toHaveLength(1);
      expect(portal.bots[0]?.handlers.EVENT_WELCOME_MESSAGE).toBe('https://bot.example/events');
    });

    it('requires CLIENT_ID through a webhook but not through OAuth', async () => {
      const res = await register({ CLIENT_ID: undefined });
      expect(res.status).toBe(403);
      expect(res.data).toEqual({ error: 'ACCESS_DENIED', error_description: 'Client ID not specified' });
      const viaApp = await oauth('imbot.register', { CODE: 'app_bot', EVENT_HANDLER: 'https://bot.example/e', PROPERTIES: { NAME: 'A' } });
      expect(viaApp.data.result).toBe(7);
      expect(portal.bots[0]?.owner).toEqual({ kind: 'app' });
    });

    it('refuses registrations without code, name or handlers', async () => {
      expect((await register({ CODE: '' })).data.error).toBe('CODE_ERROR');
      expect((await register({ PROPERTIES: { COLOR: 'RED' } })).data.error).toBe('NAME_ERROR');
      expect((await register({ EVENT_HANDLER: 'not a url' })).data.error).toBe('EVENT_MESSAGE_ADD_ERROR');
      const noWelcome = await register({ EVENT_HANDLER: undefined, EVENT_MESSAGE_ADD: 'https://b.example/a', EVENT_BOT_DELETE: 'https://b.example/d' });
      expect(noWelcome.data.error).toBe('EVENT_WELCOME_MESSAGE_ERROR');
    });

    it('updates and unregisters only the caller\'s bot', async () => {
      await register();
      expect((await hook('imbot.update', { BOT_ID: 7, CLIENT_ID: 'client-1', FIELDS: { PROPERTIES: { NAME: 'New' } } })).data.result).toBe(true);
      expect(portal.bots[0]?.properties.NAME).toBe('New');
      expect((await hook('imbot.update', { BOT_ID: 7, CLIENT_ID: 'client-1', FIELDS: {} })).data.error).toBe('WRONG_REQUEST');
      expect((await hook('imbot.unregister', { BOT_ID: 7, CLIENT_ID: 'other' })).data.error).toBe('APP_ID_ERROR');
      expect((await hook('imbot.unregister', { BOT_ID: 99, CLIENT_ID: 'client-1' })).data.error).toBe('BOT_ID_ERROR');
      expect((await hook('imbot.unregister', { BOT_ID: 7, CLIENT_ID: 'client-1' })).data.result).toBe(true);
      expect(portal.bots).toHaveLength(0);
      expect((await hook('imbot.bot.list', { CLIENT_ID: 'client-1' })).data.result).toEqual([]);
    });

    it('adds, updates and deletes messages and records typing', async () => {
      await register();
      const add = await hook('imbot.message.add', { BOT_ID: 7, CLIENT_ID: 'client-1', DIALOG_ID: 'chat1777', MESSAGE: '  Hello  ', KEYBOARD: [{ TEXT: 'Op', COMMAND: 'op' }] });
      const id = add.data.result as number;
      expect(id).toBeGreaterThan(0);
      await hook('imbot.message.update', { BOT_ID: 7, CLIENT_ID: 'client-1', MESSAGE_ID: id, MESSAGE: 'Edited', KEYBOARD: 'N' });
      const chat = portal.chat(1777);
      expect(chat.messages[0]).toEqual(expect.objectContaining({ text: 'Edited', edited: true, deleted: false }));
      expect(chat.messages[0]?.keyboard).toBeUndefined();
      expect((await hook('imbot.message.delete', { BOT_ID: 7, CLIENT_ID: 'client-1', MESSAGE_ID: id })).data.result).toBe(true);
      expect(chat.messages[0]?.deleted).toBe(true);
      await hook('imbot.chat.sendTyping', { BOT_ID: 7, CLIENT_ID: 'client-1', DIALOG_ID: 'chat1777' });
      expect(chat.typing).toBe(1);
    });

    it('refuses messages without dialog, text or a valid keyboard', async () => {
      await register();
      const base = { BOT_ID: 7, CLIENT_ID: 'client-1', DIALOG_ID: 'chat1', MESSAGE: 'x' };
      expect((await hook('imbot.message.add', { ...base, DIALOG_ID: '' })).data.error).toBe('DIALOG_ID_EMPTY');
      expect((await hook('imbot.message.add', { ...base, MESSAGE: ' ' })).data.error).toBe('MESSAGE_EMPTY');
      expect((await hook('imbot.message.add', { ...base, KEYBOARD: '{oops' })).data.error).toBe('KEYBOARD_ERROR');
      expect((await hook('imbot.message.add', { ...base, BOT_ID: 8 })).data.error).toBe('BOT_ID_ERROR');
      expect((await hook('imbot.message.update', { ...base, MESSAGE_ID: 424242 })).data.error).toBe('MESSAGE_ID_ERROR');
      expect((await hook('imbot.chat.sendTyping', { BOT_ID: 7, CLIENT_ID: 'client-1' })).data.error).toBe('DIALOG_ID_EMPTY');
    });

    it('registers commands and posts command answers into the chat of the message', async () => {
      await register();
      const cmd = await hook('imbot.command.register', {
        BOT_ID: 7, CLIENT_ID: 'client-1', COMMAND: 'operator', EVENT_COMMAND_ADD: 'https://bot.example/cmd',
        LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Operator' }],
      });
      expect(cmd.data.result).toBe(1);
      expect((await hook('imbot.command.register', { BOT_ID: 7, CLIENT_ID: 'client-1', COMMAND: 'x y', EVENT_COMMAND_ADD: 'https://b.example/c', LANG: [] })).data.error).toBe('COMMAND_ERROR');
      const clientMessage = portal.addClientMessage({ chat: 1777, text: '/operator' });
      const answer = await hook('imbot.command.answer', { COMMAND_ID: 1, MESSAGE_ID: clientMessage.id, MESSAGE: 'Calling one', CLIENT_ID: 'client-1' });
      expect(answer.status).toBe(200);
      expect(portal.chat(1777).messages.map((m) => [m.author, m.text, m.via])).toEqual([
        ['client', '/operator', 'client'],
        ['bot', 'Calling one', 'imbot.command.answer'],
      ]);
      expect((await hook('imbot.command.answer', { COMMAND_ID: 1, MESSAGE: 'x', CLIENT_ID: 'client-1' })).data.error).toBe('MESSAGE_ID_EMPTY');
    });
  });

  describe('imopenlines', () => {
    it('sends session messages, the line greeting, and requires a numeric CHAT_ID', async () => {
      await hook('imopenlines.bot.session.message.send', { CHAT_ID: 1777, NAME: 'WELCOME' });
      await hook('imopenlines.bot.session.message.send', { CHAT_ID: '1777', NAME: 'DEFAULT', MESSAGE: 'How can I help?' });
      await hook('imopenlines.bot.session.message.send', { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: '' });
      expect(portal.chat(1777).messages.map((m) => [m.name, m.text])).toEqual([
        ['WELCOME', portal.lines[0]?.WELCOME_MESSAGE_TEXT],
        ['DEFAULT', 'How can I help?'],
      ]);
      const wrong = await hook('imopenlines.bot.session.message.send', { CHAT_ID: 'chat1777', MESSAGE: 'x' });
      expect(wrong.status).toBe(400);
      expect(wrong.data.error).toBe('CHAT_ID_EMPTY');
    });

    it('hands a chat to an operator once, then answers WRONG_CHAT', async () => {
      expect((await hook('imopenlines.bot.session.operator', { CHAT_ID: 1777 })).data.result).toBe(true);
      expect(portal.chat(1777).session).toBe('operator');
      const again = await hook('imopenlines.bot.session.operator', { CHAT_ID: 1777 });
      expect(again.status).toBe(400);
      expect(again.data).toEqual({ error: 'WRONG_CHAT', error_description: 'Operator is not a bot' });
      portal.setSession(1777, 'bot');
      expect((await hook('imopenlines.bot.session.operator', { CHAT_ID: 1777 })).status).toBe(200);
    });

    it('transfers and finishes with CLIENT_ID through a webhook', async () => {
      await hook('imbot.register', { CODE: 'b', CLIENT_ID: 'client-1', EVENT_HANDLER: 'https://bot.example/e', PROPERTIES: { NAME: 'B' } });
      expect((await hook('imopenlines.bot.session.transfer', { CHAT_ID: 1777, QUEUE_ID: 1 })).data.error).toBe('ACCESS_DENIED');
      expect((await hook('imopenlines.bot.session.transfer', { CHAT_ID: 1777, QUEUE_ID: 1, CLIENT_ID: 'x' })).data.error).toBe('BOT_ID_ERROR');
      expect((await hook('imopenlines.bot.session.transfer', { CHAT_ID: 1777, CLIENT_ID: 'client-1' })).data.error).toBe('TRANSFER_ID_EMPTY');
      expect((await hook('imopenlines.bot.session.transfer', { CHAT_ID: 1777, USER_ID: 7, CLIENT_ID: 'client-1' })).data.error).toBe('OPERATOR_WRONG');
      const ok = await hook('imopenlines.bot.session.transfer', { CHAT_ID: 1777, QUEUE_ID: 1, LEAVE: 'Y', CLIENT_ID: 'client-1' });
      expect(ok.data.result).toBe(true);
      const chat = portal.chat(1777);
      expect(chat.session).toBe('transferred');
      expect(chat.transfers).toEqual([{ lineId: 1, leave: true, at: expect.any(Number) }]);
      expect((await hook('imopenlines.bot.session.finish', { CHAT_ID: 1777 })).data.error).toBe('ACCESS_DENIED');
      expect((await hook('imopenlines.bot.session.finish', { CHAT_ID: 1777, CLIENT_ID: 'client-1' })).data.result).toBe(true);
      expect(chat.session).toBe('finished');
    });

    it('transfers to a user through OAuth without CLIENT_ID', async () => {
      await oauth('imbot.register', { CODE: 'b', EVENT_HANDLER: 'https://bot.example/e', PROPERTIES: { NAME: 'B' } });
      expect((await oauth('imopenlines.bot.session.transfer', { CHAT_ID: 5, USER_ID: 12 })).data.result).toBe(true);
      expect(portal.chat(5).transfers[0]).toEqual(expect.objectContaining({ userId: 12, leave: false }));
      expect(portal.chat(5).operatorId).toBe(12);
    });

    it('lists lines, reads dialogs and adds leads', async () => {
      const lines = await hook('imopenlines.config.list.get', { OPTIONS: { QUEUE: 'Y' } });
      expect(lines.data.result).toEqual([expect.objectContaining({ ID: 1, LINE_NAME: 'Support', QUEUE: ['1'] })]);
      expect((await hook('imopenlines.config.list.get', {})).data.result[0].QUEUE).toBeUndefined();
      portal.openChat({ chatId: 1777, lineId: 1, userCode: 'telegrambot|1|555|13' });
      const dialog = await hook('imopenlines.dialog.get', { DIALOG_ID: 'chat1777' });
      expect(dialog.data.result).toEqual(expect.objectContaining({ id: 1777, entity_type: 'LINES', entity_id: 'telegrambot|1|555|13', dialog_id: 'chat1777' }));
      expect(dialog.data.result.entity_data_1.split('|')[5]).toBe(String(portal.chat(1777).sessionId));
      expect((await hook('imopenlines.dialog.get', { USER_CODE: 'none|1|2|3' })).data.error).toBe('ACCESS_ERROR');
      const lead = await hook('crm.lead.add', { fields: { TITLE: 'From chat' } });
      expect(lead.data.result).toBe(1);
      expect(portal.leads).toEqual([{ id: 1, fields: { TITLE: 'From chat' } }]);
    });
  });

  describe('sendEvent', () => {
    it('POSTs a form body to a handler and returns its answer', async () => {
      const handler = await createFakePortal();
      try {
        const res = await portal.sendEvent(`${handler.webhookUrl}imopenlines.bot.session.message.send`, { body: 'CHAT_ID=3&MESSAGE=hi' });
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body).result).toBe(true);
        expect(handler.calls[0]?.params).toEqual({ CHAT_ID: '3', MESSAGE: 'hi' });
      } finally {
        await handler.close();
      }
    });
  });

  describe('options', () => {
    it('refuses unusable options with a ConfigError listing every problem', async () => {
      const error = await createFakePortal({ rateLimit: { burst: 0 }, webhookSecret: 'a/b', firstBotId: -1 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONFIG' });
      expect((error as { problems: string[] }).problems).toHaveLength(3);
    });
  });

  describe('reset', () => {
    it('clears the log and counters, and the state unless keepState is set', async () => {
      await hook('imopenlines.bot.session.operator', { CHAT_ID: 3 });
      portal.reset({ keepState: true });
      expect(portal.calls).toHaveLength(0);
      expect(portal.requests).toBe(0);
      expect(portal.chat(3).session).toBe('operator');
      portal.reset();
      expect(portal.chat(3).session).toBe('bot');
    });
  });
});

describe('createFakePortal strictness (#8)', () => {
  // What real portals refuse, so that a bot's own tests catch these mistakes too.
  let portal: FakePortal;
  const hook = (method: string, body: object) => http.post(`${portal.webhookUrl}${method}`, body);
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
    const reg = await hook('imbot.register', {
      CODE: 'strict_bot',
      TYPE: 'O',
      OPENLINE: 'Y',
      CLIENT_ID: 'right_client',
      EVENT_HANDLER: 'https://bot.example.test/events',
      PROPERTIES: { NAME: 'Strict' },
    });
    expect(reg.status).toBe(200);
  });
  afterEach(async () => {
    await portal.close();
  });

  it('answers MESSAGE_EMPTY to an empty MESSAGE, even next to an attachment', async () => {
    const base = { BOT_ID: 7, DIALOG_ID: 'chat1777', CLIENT_ID: 'right_client' };
    const attach = [{ MESSAGE: 'Order #42' }];
    const empty = await hook('imbot.message.add', { ...base, MESSAGE: '', ATTACH: attach });
    expect([empty.status, empty.data.error]).toEqual([400, 'MESSAGE_EMPTY']);
    expect((await hook('imbot.message.add', { ...base, ATTACH: attach })).status).toBe(200);
  });

  it('refuses a dialog id where imopenlines.bot.session.* need the numeric CHAT_ID', async () => {
    const res = await hook('imopenlines.bot.session.operator', { CHAT_ID: 'chat1777' });
    expect(res.data.error).toBe('CHAT_ID_EMPTY');
    expect((await hook('imopenlines.bot.session.operator', { CHAT_ID: 1777 })).status).toBe(200);
  });

  it("refuses transfer/finish without the bot's CLIENT_ID or with another one", async () => {
    const finish = (extra: object) =>
      hook('imopenlines.bot.session.finish', { CHAT_ID: 1778, ...extra });
    expect((await finish({})).data.error).toBe('ACCESS_DENIED');
    expect((await finish({ CLIENT_ID: 'wrong_client' })).data.error).toBe('BOT_ID_ERROR');
    expect((await finish({ CLIENT_ID: 'right_client' })).status).toBe(200);
  });

  it('builds the join real portals send: no data[USER], USER_ID=0, the client only in CHAT_ENTITY_ID', () => {
    const events = createEventBuilders();
    const { body } = events.v1.join({ chatId: 1777, withoutUser: true });
    expect(body).not.toContain('data%5BUSER%5D');
    expect(body).toContain('data%5BPARAMS%5D%5BUSER_ID%5D=0');
    const event = parseEventBody({ body });
    expect(event).toMatchObject({ kind: 'join', client: { isConnector: true } });
    expect((event as { userId?: number }).userId).toBeUndefined();
  });
});
