import type { CommandEvent, InboundEvent, MessageEvent } from '../../src/events/inbound-event';
import { parseEventBody } from '../../src/events/parse-event-body';
import { parseFetchItem } from '../../src/events/parse-fetch-item';
import { decodePhpForm } from '../../src/events/php-form';
import {
  createEventBuilders,
  DEFAULT_WIRE,
  events,
  type WireBody,
} from '../../src/testing/event-builders';

const parse = (w: WireBody): InboundEvent => parseEventBody(w);

/** Every leaf of a decoded form body is a string: what PHP's http_build_query sends. */
function leaves(value: unknown): unknown[] {
  return typeof value === 'object' && value !== null
    ? Object.values(value).flatMap(leaves)
    : [value];
}

const all: [string, () => WireBody][] = [
  ['v1.message', () => events.v1.message({ text: 'hi' })],
  ['v1.join', () => events.v1.join()],
  ['v1.command', () => events.v1.command({ command: 'order', params: '5' })],
  ['v1.messageUpdate', () => events.v1.messageUpdate({ messageId: 5, text: 'x' })],
  ['v1.messageDelete', () => events.v1.messageDelete({ messageId: 5 })],
  ['v1.botDelete', () => events.v1.botDelete()],
  ['v1.appInstall', () => events.v1.appInstall()],
  ['v1.appUninstall', () => events.v1.appUninstall()],
  ['v2.message', () => events.v2.message({ text: 'hi' })],
  ['v2.join', () => events.v2.join()],
  ['v2.command', () => events.v2.command({ command: 'help' })],
  ['v2.reaction', () => events.v2.reaction()],
  ['v2.messageUpdate', () => events.v2.messageUpdate({ messageId: 5, text: 'x' })],
  ['v2.messageDelete', () => events.v2.messageDelete({ messageId: 5 })],
  ['v2.botDelete', () => events.v2.botDelete()],
  ['v2.contextGet', () => events.v2.contextGet()],
];

describe('events', () => {
  it.each(all)(
    '%s builds a real form body that parses with the shared defaults',
    (_name, build) => {
      const wire = build();
      expect(wire.contentType).toBe('application/x-www-form-urlencoded');
      expect(wire.body).not.toMatch(/[[\] ]/);
      expect(wire.body).toMatch(/^event=ON[A-Z0-9]+&/);
      expect(leaves(decodePhpForm(wire.body)).every((v) => typeof v === 'string')).toBe(true);
      const event = parse(wire);
      expect(event.portal).toMatchObject({
        memberId: DEFAULT_WIRE.memberId,
        domain: DEFAULT_WIRE.domain,
      });
      expect(event.applicationToken).toBe(DEFAULT_WIRE.applicationToken);
      if ('bot' in event) expect(event.bot.id).toBe(DEFAULT_WIRE.botId);
      if ('chatId' in event) {
        expect(event).toMatchObject({
          chatId: DEFAULT_WIRE.chatId,
          dialogId: `chat${DEFAULT_WIRE.chatId}`,
          lineId: DEFAULT_WIRE.lineId,
          connector: DEFAULT_WIRE.connector,
          client: { id: DEFAULT_WIRE.client.id, isConnector: true },
        });
      }
    },
  );

  it('round-trips every option of v1.message through parseEventBody', () => {
    const e = parse(
      events.v1.message({
        text: 'Where is my order?',
        chatId: 12,
        botId: 7,
        botCode: 'tiny',
        messageId: 99,
        client: { id: 13, name: 'Anna S', firstName: 'Anna', lastName: 'S' },
        lineId: 1,
        connector: 'livechat',
        connectorChatId: '55',
        sessionId: 3,
        crm: { deal: 4 },
        applicationToken: 'tok-123456',
        memberId: 'member-x',
        domain: 'x.bitrix24.com',
        ts: 1700000000,
        language: 'de',
        files: [{ id: 8, name: 'a.pdf', size: 10 }],
      }),
    ) as MessageEvent;
    expect(e).toMatchObject({
      kind: 'message',
      text: 'Where is my order?',
      chatId: 12,
      dialogId: 'chat12',
      bot: { id: 7, code: 'tiny', apiVersion: 1 },
      messageId: 99,
      client: { id: 13, name: 'Anna S', firstName: 'Anna', isConnector: true },
      lineId: 1,
      connector: 'livechat',
      connectorChatId: '55',
      connectorUserId: '13',
      sessionId: 3,
      crm: { deal: 4 },
      applicationToken: 'tok-123456',
      portal: {
        memberId: 'member-x',
        domain: 'x.bitrix24.com',
        clientEndpoint: 'https://x.bitrix24.com/rest/',
      },
      ts: 1700000000,
      language: 'de',
      files: [{ id: '8', name: 'a.pdf', size: 10 }],
      dedupeKey: 'v1:member-x:7:ONIMBOTMESSAGEADD:99',
    });
  });

  it('keeps small ids: data[BOT][7] and data[COMMAND][3] on the wire and after parsing', () => {
    const message = events.v1.message({ text: 'x', botId: 7 });
    expect(message.body).toContain('data%5BBOT%5D%5B7%5D%5BBOT_ID%5D=7');
    expect(parse(message)).toMatchObject({ bot: { id: 7 } });
    const command = events.v1.command({
      command: 'menu',
      params: 'a b',
      commandId: 3,
      botId: 7,
      context: 'keyboard',
    });
    expect(command.body).toContain('data%5BCOMMAND%5D%5B3%5D%5BCOMMAND%5D=menu');
    expect(parse(command) as CommandEvent).toMatchObject({
      commandId: 3,
      bot: { id: 7 },
      command: 'menu',
      params: 'a b',
      context: 'keyboard',
    });
  });

  it('round-trips v2 builders, commands with and without slash context', () => {
    expect(
      parse(
        events.v2.command({ command: 'help', params: 'topic', context: 'textarea', commandId: 78 }),
      ),
    ).toMatchObject({
      kind: 'command',
      command: 'help',
      params: 'topic',
      context: 'textarea',
      commandId: 78,
    });
    expect(
      parse(events.v2.reaction({ reaction: 'fire', action: 'delete', messageId: 4 })),
    ).toMatchObject({
      kind: 'reaction',
      reaction: 'fire',
      action: 'delete',
      messageId: 4,
    });
    expect(parse(events.v2.join({ chatId: 12, botId: 7 }))).toMatchObject({
      kind: 'join',
      chatId: 12,
      bot: { id: 7, apiVersion: 2 },
    });
    expect(parse(events.v2.message({ text: 'x', auth: 'minimal' }))).toMatchObject({
      portal: { memberId: DEFAULT_WIRE.memberId },
      auth: { domain: DEFAULT_WIRE.domain, applicationToken: DEFAULT_WIRE.applicationToken },
    });
    expect(parse(events.v2.message({ text: 'x', openLine: false }))).toMatchObject({
      isOpenLine: false,
      dialogId: String(DEFAULT_WIRE.client.id),
    });
  });

  it('hands out new message ids and timestamps so that repeated events do not collide', () => {
    const b = createEventBuilders();
    const keys = [
      parse(b.v1.message({ text: 'a' })).dedupeKey,
      parse(b.v1.message({ text: 'a' })).dedupeKey,
      parse(b.v1.join()).dedupeKey,
      parse(b.v1.join()).dedupeKey,
      parse(b.v1.command({ command: 'x' })).dedupeKey,
      parse(b.v1.command({ command: 'x' })).dedupeKey,
      parse(b.v2.message({ text: 'a' })).dedupeKey,
      parse(b.v2.join()).dedupeKey,
      parse(b.v2.join()).dedupeKey,
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(parse(createEventBuilders().v1.message({ text: 'a' }))).toMatchObject({
      messageId: DEFAULT_WIRE.messageId,
      ts: DEFAULT_WIRE.ts,
    });
  });

  it('builds JSON-typed v2 fetch items that parseFetchItem reads', () => {
    const b = createEventBuilders({ eventId: 500 });
    const item = b.v2.fetchItem('message', { text: 'polled', botId: 7 });
    expect(item).toMatchObject({ eventId: 500, type: 'ONIMBOTV2MESSAGEADD' });
    expect(item.data).toMatchObject({
      bot: { id: 7, isHidden: false },
      message: { text: 'polled', isSystem: false },
      chat: { id: DEFAULT_WIRE.chatId },
    });
    expect((item.data.bot as Record<string, unknown>).auth).toBeUndefined();
    expect(b.v2.fetchItem('join').eventId).toBe(501);
    const portal = { memberId: DEFAULT_WIRE.memberId, domain: DEFAULT_WIRE.domain };
    expect(parseFetchItem({ item, portal })).toMatchObject({
      kind: 'message',
      text: 'polled',
      eventId: 500,
      delivery: 'fetch',
      dedupeKey: `v2f:${portal.memberId}:7:500`,
    });
    for (const type of [
      'messageUpdate',
      'messageDelete',
      'command',
      'reaction',
      'botDelete',
      'contextGet',
    ] as const) {
      const options = { messageId: 1, text: 't', command: 'c' };
      expect(parseFetchItem({ item: b.v2.fetchItem(type, options), portal }).rawType).toMatch(
        /^ONIMBOTV2/,
      );
    }
  });

  it('uses the defaults given to createEventBuilders everywhere', () => {
    const b = createEventBuilders({
      memberId: 'fake-portal-1',
      domain: '127.0.0.1:40123',
      applicationToken: 'app-tok-1',
      botId: 9,
    });
    for (const wire of [
      b.v1.message({ text: 'x' }),
      b.v1.appInstall(),
      b.v2.command({ command: 'x' }),
    ]) {
      const e = parse(wire);
      expect(e).toMatchObject({
        portal: { memberId: 'fake-portal-1', domain: '127.0.0.1:40123' },
        applicationToken: 'app-tok-1',
      });
      if ('bot' in e) expect(e.bot.id).toBe(9);
    }
    expect(b.defaults.botId).toBe(9);
    expect(Object.isFrozen(DEFAULT_WIRE)).toBe(true);
  });

  it("builds an operator's message: an employee, not a connector user (#8)", () => {
    for (const body of [
      events.v1.operatorMessage({ text: 'Olga here' }),
      events.v2.operatorMessage({ text: 'Olga here', operator: { id: 77, name: 'Boris' } }),
    ]) {
      const e = parse(body) as MessageEvent;
      expect(e.kind).toBe('message');
      expect(e.text).toBe('Olga here');
      expect(e.author).toMatchObject({ isConnector: false });
      expect(e.author?.id).not.toBe(DEFAULT_WIRE.client.id);
      expect(e.client?.id ?? DEFAULT_WIRE.client.id).toBe(DEFAULT_WIRE.client.id);
    }
    expect(
      (parse(events.v2.operatorMessage({ text: 'x', operator: { id: 77 } })) as MessageEvent).author
        ?.id,
    ).toBe(77);
  });

  it('builds a session start with the join after its first message, one session id (#8)', () => {
    const b = createEventBuilders();
    const v1 = b.v1.sessionStart({ texts: ['a', 'b', 'c'], sessionId: 501 }).map(parse);
    expect(v1.map((e) => e.kind)).toEqual(['message', 'join', 'message', 'message']);
    expect(v1.map((e) => (e as MessageEvent).text)).toEqual(['a', undefined, 'b', 'c']);
    for (const e of v1) if (e.kind === 'message') expect(e.sessionId).toBe(501);
    const v2 = b.v2.sessionStart({ texts: ['a', 'b'], joinAfter: 5, sessionId: 502 }).map(parse);
    expect(v2.map((e) => e.kind)).toEqual(['message', 'message', 'join']);
    expect(v2.map((e) => (e as MessageEvent).sessionId)).toEqual([502, 502, 502]);
    expect(b.v1.sessionStart({ texts: ['a'], joinAfter: 0 }).map((w) => parse(w).kind)).toEqual([
      'join',
      'message',
    ]);
  });
});
