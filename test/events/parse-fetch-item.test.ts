import { isEventValidationError } from '../../src/events/event-validation-error';
import type { MessageEvent } from '../../src/events/inbound-event';
import { parseFetchItem } from '../../src/events/parse-fetch-item';
import { readFixture } from './fixture-files';

const portal = {
  memberId: 'a3f9c27e5d1b4086b2e7d4c1f0a9e8b7',
  domain: 'acme-support.bitrix24.com',
};
type Item = { eventId: number; type: string; date: string; data: Record<string, unknown> };
const items = () =>
  (JSON.parse(readFixture('v2-fetch/page-all-types.json')) as { result: { events: Item[] } }).result
    .events;

describe('parseFetchItem', () => {
  it('marks items as fetch deliveries of the given portal, with no application token', () => {
    const event = parseFetchItem({ item: items()[1], portal });
    expect(event).toMatchObject({
      delivery: 'fetch',
      eventId: 1003,
      portal,
      rawType: 'ONIMBOTV2MESSAGEADD',
    });
    expect(event.applicationToken).toBeUndefined();
    expect(event.auth).toBeUndefined();
    expect((event as MessageEvent).botAuth).toBeUndefined();
  });

  it('dedupes by eventId: the same item twice has one key, another item another', () => {
    const [a, b] = items();
    const first = parseFetchItem({ item: a, portal }).dedupeKey;
    expect(
      parseFetchItem({ item: JSON.parse(JSON.stringify(a)) as unknown, portal }).dedupeKey,
    ).toBe(first);
    expect(first).toBe(`v2f:${portal.memberId}:571:1002`);
    expect(parseFetchItem({ item: b, portal }).dedupeKey).not.toBe(first);
  });

  it('takes ts from the item date', () => {
    const item = { ...items()[1], date: '2025-01-15T10:30:00+02:00' } as Item;
    expect(parseFetchItem({ item, portal }).ts).toBe(Date.parse('2025-01-15T08:30:00Z') / 1000);
  });

  it('accepts JSON types and string scalars alike', () => {
    const item = items()[1] as Item;
    const asStrings = JSON.parse(
      JSON.stringify(item, (_k, v: unknown) =>
        typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? '1' : '0') : v,
      ),
    ) as Item;
    const a = parseFetchItem({ item, portal });
    const b = parseFetchItem({ item: asStrings, portal });
    expect(b).toEqual(a);
  });

  it('refuses user events of withUserEvents and unknown types with a typed error', () => {
    for (const type of ['ONIMV2MESSAGEADD', 'ONIMBOTMESSAGEADD', 'whatever']) {
      try {
        parseFetchItem({ item: { ...items()[1], type }, portal });
        throw new Error('parsed');
      } catch (e) {
        expect(isEventValidationError(e)).toBe(true);
      }
    }
  });

  it('maps the docs example item (ordinary chat, not an open line)', () => {
    const item = {
      eventId: 1001,
      type: 'ONIMBOTV2MESSAGEADD',
      date: '2025-01-15T10:30:00+02:00',
      data: {
        bot: {
          id: 456,
          code: 'support_bot',
          type: 'bot',
          isHidden: false,
          backgroundId: null,
          eventMode: 'fetch',
        },
        message: {
          id: 789,
          chatId: 5,
          authorId: 1,
          date: '2025-01-15T10:30:00+02:00',
          text: 'Hello bot!',
          isSystem: false,
          uuid: '',
          forward: null,
          params: {},
          viewedByOthers: false,
        },
        chat: {
          id: 5,
          dialogId: 'chat5',
          type: 'chat',
          name: 'Support Chat',
          entityType: '',
          owner: 1,
          avatar: '',
          color: '#ab7761',
        },
        user: {
          id: 1,
          active: true,
          name: 'John Smith',
          firstName: 'John',
          lastName: 'Smith',
          bot: false,
          connector: false,
          extranet: false,
          departments: [1],
          phones: false,
          type: 'employee',
        },
        language: 'en',
      },
    };
    expect(parseFetchItem({ item, portal })).toMatchObject({
      kind: 'message',
      bot: { id: 456, code: 'support_bot', apiVersion: 2 },
      chatId: 5,
      dialogId: 'chat5',
      isOpenLine: false,
      crm: {},
      client: { id: 1, isConnector: false },
      text: 'Hello bot!',
      dedupeKey: `v2f:${portal.memberId}:456:1001`,
    });
  });
});
