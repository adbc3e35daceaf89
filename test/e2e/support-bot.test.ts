/**
 * Issue 4 acceptance, end to end: the real server on loopback serving `bots/support`, a loopback
 * fake portal, real v1 and v2 form bodies in, and exactly the REST calls the support behaviour
 * implies out. Small ids (bot 7, chat 12: the qs array trap) and large ones (571, 1777).
 */
import { SUPPORT_TEXTS } from '../../bots/support/bot';
import { dialogKeyOf } from '../../src/store/store';
import { createEventBuilders, type WireBody } from '../../src/testing/event-builders';
import { BOT_TOKEN, CLIENT_ID, startSupportStack, type SupportStack, type WireCall } from './support-stack';

const IDLE_MS = 600_000;

const cases = [
  { apiVersion: 2 as const, botId: 7, chatId: 12 },
  { apiVersion: 2 as const, botId: 571, chatId: 1777 },
  { apiVersion: 1 as const, botId: 7, chatId: 12 },
  { apiVersion: 1 as const, botId: 571, chatId: 1777 },
];

const menu = expect.objectContaining({
  BUTTONS: [
    expect.objectContaining({ TEXT: 'Order status', COMMAND: 'order' }),
    expect.objectContaining({ TEXT: 'Talk to a human', COMMAND: 'operator' }),
  ],
});

describe.each(cases)('bots/support end to end (v$apiVersion, bot $botId, chat $chatId)', ({ apiVersion, botId, chatId }) => {
  let s: SupportStack;
  const chat = String(chatId);

  beforeEach(async () => {
    s = await startSupportStack({ apiVersion, firstBotId: botId });
  });
  afterEach(async () => {
    await s.close();
  });

  // v2 bots registered through a webhook get the short top-level auth (CONTRACT-v2).
  const v2Auth = { auth: 'minimal' as const };
  const join = (client?: { firstName: string }): WireBody =>
    apiVersion === 2 ? s.events.v2.join({ chatId, ...v2Auth, ...(client ? { client } : {}) }) : s.events.v1.join({ chatId, ...(client ? { client } : {}) });
  const message = (text: string): WireBody =>
    apiVersion === 2 ? s.events.v2.message({ chatId, text, ...v2Auth }) : s.events.v1.message({ chatId, text });
  const command = (name: string): WireBody =>
    apiVersion === 2 ? s.events.v2.command({ chatId, command: name, ...v2Auth }) : s.events.v1.command({ chatId, command: name });

  /** What a reply with a keyboard looks like on the wire: the bot messaging API, dialog id `chat<id>`. */
  const botMessage = (text: unknown, keyboard: unknown): WireCall =>
    apiVersion === 2
      ? { method: 'imbot.v2.Chat.Message.send', params: { botId: String(botId), dialogId: `chat${chat}`, fields: { message: text, keyboard }, botToken: BOT_TOKEN } }
      : { method: 'imbot.message.add', params: { BOT_ID: String(botId), DIALOG_ID: `chat${chat}`, MESSAGE: text, KEYBOARD: keyboard, CLIENT_ID } };
  /** Plain text: the open-line session method, numeric CHAT_ID. */
  const sessionText = (text: string): WireCall => ({
    method: 'imopenlines.bot.session.message.send',
    params: { CHAT_ID: chat, NAME: 'DEFAULT', MESSAGE: text },
  });
  const operator: WireCall = { method: 'imopenlines.bot.session.operator', params: { CHAT_ID: chat } };
  const finish: WireCall = {
    method: 'imopenlines.bot.session.finish',
    params: { CHAT_ID: chat, CLIENT_ID: apiVersion === 2 ? BOT_TOKEN : CLIENT_ID },
  };

  async function send(...bodies: WireBody[]): Promise<void> {
    for (const body of bodies) expect((await s.post(body)).status).toBe(200);
    await s.settle();
  }

  it('greets a joining client by first name, with the menu keyboard, in dialog chat<id>', async () => {
    expect(s.botId).toBe(botId);
    const from = s.mark();
    await send(join({ firstName: 'Anna' }));
    expect(s.callsSince(from)).toEqual([botMessage(expect.stringMatching(/^Hello, Anna!/), menu)]);
    const [greeting] = s.portal.chat(`chat${chat}`).messages;
    expect(greeting).toMatchObject({ author: 'bot', botId, keyboard: menu });
  });

  it('hands the dialog to an operator with the numeric CHAT_ID when the client asks for a human', async () => {
    await send(join());
    const from = s.mark();
    await send(message('Can I talk to a HUMAN please?'));
    expect(s.callsSince(from)).toEqual([sessionText(SUPPORT_TEXTS.toOperator), operator]);
    expect(s.portal.chat(chatId).session).toBe('operator');
  });

  it('hands the dialog to an operator on the "Talk to a human" button', async () => {
    await send(join());
    const from = s.mark();
    await send(command('operator'));
    expect(s.callsSince(from)).toEqual([sessionText(SUPPORT_TEXTS.toOperator), operator]);
  });

  it('runs the order flow: asks for the number, asks again on a non-number, reports the status', async () => {
    await send(join());
    const from = s.mark();
    await send(command('order'), message('my order is late'), message('#12345'));
    expect(s.callsSince(from)).toEqual([
      sessionText(SUPPORT_TEXTS.askOrder),
      sessionText(SUPPORT_TEXTS.notANumber),
      botMessage('Order 12345: in transit. Anything else?', menu),
    ]);
  });

  it('says goodbye and finishes the session on "bye"', async () => {
    await send(join());
    const from = s.mark();
    await send(message('ok, bye'));
    expect(s.callsSince(from)).toEqual([sessionText(SUPPORT_TEXTS.goodbye), finish]);
    expect(s.portal.chat(chatId).session).toBe('finished');
  });

  it('closes a dialog after 600 s without a client message, on the fake clock', async () => {
    await send(join());
    await s.advance(IDLE_MS / 2);
    await send(message('hello?'));
    const from = s.mark();
    // The client wrote at 300 s: the idle delay restarted then, so 600 s after the join nothing happens.
    await s.advance(IDLE_MS / 2);
    expect(s.callsSince(from)).toEqual([]);
    await s.advance(IDLE_MS / 2 - 1);
    expect(s.callsSince(from)).toEqual([]);
    await s.advance(1);
    expect(s.callsSince(from)).toEqual([sessionText(SUPPORT_TEXTS.idleClose), finish]);
    await s.advance(IDLE_MS * 2);
    expect(s.callsSince(from)).toHaveLength(2);
  });

  it('answers 401 to a wrong or missing application_token and changes nothing', async () => {
    const statsBefore = await s.server.store.stats();
    const from = s.mark();
    const wrong = createEventBuilders({ ...s.events.defaults, applicationToken: 'not-the-token' });
    const wrongBody = apiVersion === 2 ? wrong.v2.message({ chatId, text: 'operator', ...v2Auth }) : wrong.v1.message({ chatId, text: 'operator' });
    const valid = message('operator');
    const missing = valid.body.replace(/&auth%5Bapplication_token%5D=[^&]*/, '');
    expect(missing).not.toBe(valid.body);

    for (const body of [wrongBody, missing]) {
      const res = await s.post(body);
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('EVENT_AUTH');
    }
    await s.settle();
    expect(s.callsSince(from)).toEqual([]);
    expect(await s.server.store.stats()).toEqual(statsBefore);
    expect(await s.server.store.loadDialog(dialogKeyOf(s.portal.memberId, botId, chatId))).toBeUndefined();

    // The same event with the right token goes through: the 401 was about the token only. It is
    // a first message without a join, so it waits for the join window before it is answered (#8).
    await send(valid);
    expect(s.callsSince(from)).toEqual([]);
    await s.advance(1000);
    expect(s.callsSince(from)).toEqual([sessionText(SUPPORT_TEXTS.toOperator), operator]);
  });
});
