/**
 * External events into a dialog: the host application's own typed events reach a running dialog
 * through its durable inbox, over the runtime API and over HTTP (`POST /dialog-events`, bearer
 * token, off by default), deduplicated by an optional key. The example booking bot waits for a
 * CRM confirmation.
 */
import bookingBot, { confirmBooking } from '../../docs/examples/crm-booking';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { ensureBotRegistered } from '../../src/bitrix/register-bot';
import { isDialogEvent } from '../../src/events/inbound-event';
import { parseEventBody } from '../../src/events/parse-event-body';
import { loadConfig } from '../../src/config/load-config';
import { createEventBuilders } from '../../src/testing/event-builders';
import { testBot } from '../../src/testing/test-bot';
import { dialogKeyOf } from '../../src/store/store';
import { BOT_TOKEN, startHarness, type Harness } from './harness';

const EVENTS_TOKEN = 'external-events-token-0123456789';
const CHAT_ID = 4242;

describe('external events over HTTP', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  async function bookingChat(env: Record<string, string> = {}) {
    h = await startHarness({ bots: [bookingBot], env });
    const client = createRestClient({
      auth: { type: 'webhook', url: h.portal.webhookUrl, botToken: BOT_TOKEN },
    });
    const botId = await ensureBotRegistered(client.api, {
      code: bookingBot.code,
      name: bookingBot.name,
      apiVersion: 2,
      mode: 'webhook',
      url: `${h.url}/events`,
    });
    const wire = createEventBuilders({
      memberId: h.portal.memberId,
      domain: h.portal.domain,
      applicationToken: BOT_TOKEN,
      botId,
      botCode: bookingBot.code,
      chatId: CHAT_ID,
      lineId: 1,
    });
    const dialog = dialogKeyOf(h.portal.memberId, botId, CHAT_ID);
    const post = async (w: { body: string; contentType: string }) => {
      expect((await h.post('/events', w.body, w.contentType)).status).toBe(200);
      await h.runtime.idle();
    };
    const replies = () =>
      h.portal
        .callsOf('imopenlines.bot.session.message.send')
        .filter((c) => !c.error)
        .map((c) => String(c.params.MESSAGE));
    return { wire, dialog, post, replies };
  }

  const send = (body: unknown, token?: string) =>
    fetch(`${h.url}/dialog-events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  it('reaches the waiting dialog once, also when sent twice with the same key; refused without the token', async () => {
    const { wire, dialog, post, replies } = await bookingChat({
      OPENLINES_EXTERNAL_EVENTS_TOKEN: EVENTS_TOKEN,
    });
    await post(wire.v2.join({}));
    await post(wire.v2.message({ text: 'Tuesday morning, please' }));
    expect(replies().at(-1)).toMatch(/passed your request to the clinic/);

    const confirmed = {
      dialog,
      event: { type: 'crm.booking.confirmed', slot: 'Tue 10:30' },
      key: 'deal-15:confirmed',
    };
    // Without the token, or with a wrong one: 401, and nothing reaches the dialog.
    const anonymous = await send(confirmed);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await send(confirmed, 'wrong-token-wrong-token-wrong')).status).toBe(401);
    await h.runtime.idle();
    expect(replies().filter((r) => r.includes('appointment is confirmed'))).toEqual([]);

    const first = await send(confirmed, EVENTS_TOKEN);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ status: 'accepted' });
    const second = await send(confirmed, EVENTS_TOKEN);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ status: 'duplicate' });
    await h.runtime.idle();
    expect(replies().filter((r) => r.includes('appointment is confirmed'))).toEqual([
      'Your appointment is confirmed: Tue 10:30. See you then!',
    ]);
    const record = await h.store.loadDialog(dialog);
    // The conversation ended in `booked` (final): no snapshot left.
    expect(record?.snapshot).toBeNull();
  });

  it('answers 400 for a malformed delivery and 404 for a dialog with no conversation', async () => {
    const { dialog } = await bookingChat({ OPENLINES_EXTERNAL_EVENTS_TOKEN: EVENTS_TOKEN });
    const bad = await send({ dialog, event: { type: 'message', text: 'forged' } }, EVENTS_TOKEN);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/reserved/);
    const noType = await send({ dialog, event: { slot: 'x' } }, EVENTS_TOKEN);
    expect(noType.status).toBe(400);
    const none = await send(
      { dialog, event: { type: 'crm.booking.confirmed', slot: 'x' } },
      EVENTS_TOKEN,
    );
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ code: 'NO_DIALOG' });
  });

  it('is off by default: no route without OPENLINES_EXTERNAL_EVENTS_TOKEN', async () => {
    const { dialog } = await bookingChat();
    const res = await send(
      { dialog, event: { type: 'crm.booking.confirmed', slot: 'x' } },
      EVENTS_TOKEN,
    );
    expect(res.status).toBe(404);
  });
});

describe('external events through the runtime API', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it("orders them with the dialog's other events (through the inbox) and dedupes by key", async () => {
    h = await startHarness({ bots: [bookingBot] });
    const client = createRestClient({
      auth: { type: 'webhook', url: h.portal.webhookUrl, botToken: BOT_TOKEN },
    });
    const botId = await ensureBotRegistered(client.api, {
      code: bookingBot.code,
      name: bookingBot.name,
      apiVersion: 2,
      mode: 'webhook',
      url: `${h.url}/events`,
    });
    const wire = createEventBuilders({
      memberId: h.portal.memberId,
      domain: h.portal.domain,
      applicationToken: BOT_TOKEN,
      botId,
      botCode: bookingBot.code,
      chatId: CHAT_ID,
      lineId: 1,
    });
    const dialog = { portalId: h.portal.memberId, botId, chatId: CHAT_ID };
    const parse = (w: { body: string }) => {
      const e = parseEventBody({
        body: w.body,
        contentType: 'application/x-www-form-urlencoded',
        portal: { memberId: h.portal.memberId, domain: h.portal.domain },
      });
      if (!isDialogEvent(e)) throw new Error('not a dialog event');
      return e;
    };
    // Accepted together, processed in order: the join, the request, then the CRM answer.
    await h.runtime.accept([parse(wire.v2.join({})), parse(wire.v2.message({ text: 'Friday' }))]);
    const [r1] = await h.runtime.deliver([
      { dialog, event: { type: 'crm.booking.declined', reason: 'full' }, key: 'deal-16:declined' },
    ]);
    expect(r1).toMatchObject({ status: 'accepted' });
    const [r2] = await h.runtime.deliver([
      { dialog, event: { type: 'crm.booking.declined' }, key: 'deal-16:declined' },
    ]);
    expect(r2).toEqual({ status: 'duplicate' });
    await h.runtime.idle();
    const texts = h.portal
      .callsOf('imopenlines.bot.session.message.send')
      .map((c) => String(c.params.MESSAGE));
    expect(texts).toEqual([
      'Hello! Which day and time would you like to see the doctor?',
      'Thank you! I have passed your request to the clinic; I will write here once it is confirmed.',
      'Sorry, the clinic cannot offer that time.',
      'Let me connect you with the front desk.',
    ]);
    expect(h.portal.callsOf('imopenlines.bot.session.operator')).toHaveLength(1);
  });

  it('the example confirmBooking delivers a typed event once per deal', async () => {
    h = await startHarness({ bots: [bookingBot] });
    const client = createRestClient({
      auth: { type: 'webhook', url: h.portal.webhookUrl, botToken: BOT_TOKEN },
    });
    const botId = await ensureBotRegistered(client.api, {
      code: bookingBot.code,
      name: bookingBot.name,
      apiVersion: 2,
      mode: 'webhook',
      url: `${h.url}/events`,
    });
    const wire = createEventBuilders({
      memberId: h.portal.memberId,
      domain: h.portal.domain,
      applicationToken: BOT_TOKEN,
      botId,
      botCode: bookingBot.code,
      chatId: CHAT_ID,
      lineId: 1,
    });
    for (const w of [wire.v2.join({}), wire.v2.message({ text: 'Monday' })])
      expect((await h.post('/events', w.body, w.contentType)).status).toBe(200);
    const key = dialogKeyOf(h.portal.memberId, botId, CHAT_ID);
    expect(await confirmBooking(h.runtime, key, { dealId: 7, slot: 'Mon 9:00' })).toMatchObject({
      status: 'accepted',
    });
    expect(await confirmBooking(h.runtime, key, { dealId: 7, slot: 'Mon 9:00' })).toEqual({
      status: 'duplicate',
    });
    await h.runtime.idle();
    const texts = h.portal
      .callsOf('imopenlines.bot.session.message.send')
      .map((c) => String(c.params.MESSAGE));
    expect(texts.filter((t) => t.startsWith('Your appointment'))).toEqual([
      'Your appointment is confirmed: Mon 9:00. See you then!',
    ]);
  });

  it('refuses a delivery that is not valid with a ConfigError naming each problem', async () => {
    h = await startHarness({ bots: [bookingBot] });
    await expect(
      h.runtime.deliver([{ dialog: 'nope', event: { type: 'xstate.init' }, key: '' }]),
    ).rejects.toThrow(/dialog.*portal.*bot.*chat[\s\S]*reserved[\s\S]*key/);
  });
});

describe('external events in the test kit and the configuration', () => {
  it('chat.deliver brings a CRM answer to the waiting booking flow', async () => {
    const chat = testBot(bookingBot, { coverage: false });
    try {
      await chat.join();
      await chat.send('Tuesday morning');
      await chat.deliver({ type: 'crm.booking.confirmed', slot: 'Tue 10:30' }, { key: 'deal-1' });
      await chat.deliver({ type: 'crm.booking.confirmed', slot: 'Tue 10:30' }, { key: 'deal-1' });
      expect(chat.replies.filter((r) => r.startsWith('Your appointment'))).toEqual([
        'Your appointment is confirmed: Tue 10:30. See you then!',
      ]);
      expect(chat.done).toBe(true);
    } finally {
      await chat.close();
    }
  });

  it('refuses a short token', () => {
    expect(() => loadConfig({ env: { OPENLINES_EXTERNAL_EVENTS_TOKEN: 'short' } })).toThrow(
      /OPENLINES_EXTERNAL_EVENTS_TOKEN: at least 16 characters/,
    );
    expect(loadConfig({ env: {} }).externalEventsToken).toBeUndefined();
  });
});
