/**
 * The five Open Lines events, built from the shapes of their docs pages
 * (`imopenlines/openlines/events/*.md`) and sent form-encoded as Bitrix24 sends them.
 */
import { encodePhpForm } from '../../src/events/encode-php-form';
import type { OpenLineEvent } from '../../src/events/map-openline';
import { parseEventBody } from '../../src/events/parse-event-body';
import { METRIC } from '../../src/metrics';
import { APP_TOKEN, startHarness, type Harness } from '../http/harness';

const MEMBER = 'a223c6b3710f85df22e9377d6c4f7553';
const auth = (token = APP_TOKEN) => ({
  access_token: 's6p6eclrvim6da22ft9ch94ekreb52lv',
  expires_in: 3600,
  scope: 'imopenlines',
  domain: 'some-domain.bitrix24.com',
  status: 'F',
  member_id: MEMBER,
  application_token: token,
});

const connector = { connector_id: 'livechat', line_id: 128, chat_id: 10587, user_id: 1985 };

/** The docs' example bodies (values as the pages show them). */
const BODIES: Record<string, Record<string, unknown>> = {
  ONOPENLINEMESSAGEADD: {
    DATA: [
      {
        connector,
        chat: { id: 10585 },
        message: {
          id: 80964,
          date: '',
          text: 'hello',
          files: [],
          attach: '',
          system: 'N',
          user_id: 1985,
        },
        ref: [],
        extra: { EXTRA_URL: '' },
      },
    ],
  },
  ONOPENLINEMESSAGEUPDATE: {
    CONNECTOR: 'livechat',
    LINE: 128,
    DATA: [{ im: { chat_id: 1024, message_id: 2056 }, message: { id: 2056 }, chat: { id: 1024 } }],
  },
  ONOPENLINEMESSAGEDELETE: {
    CONNECTOR: 'livechat',
    LINE: 128,
    DATA: [{ im: { chat_id: 1024, message_id: 2057 }, message: { id: 2057 }, chat: { id: 1024 } }],
  },
  ONSESSIONSTART: {
    DATA: [
      { connector, chat: { id: 10585 }, session: { id: 469, parent_id: 0 }, user: { id: 1985 } },
    ],
  },
  ONSESSIONFINISH: {
    DATA: [
      {
        connector: { ...connector, chat_id: 10585, user_id: 1984 },
        chat: { id: 10585 },
        session: { id: 469, closed: 'Y', parent_id: 0, close_term: 'operator' },
        user: { id: 128, name: 'linename' },
      },
    ],
  },
};

const body = (event: string, token?: string) =>
  encodePhpForm({ event, eventId: 1, data: BODIES[event], ts: 1714649632, auth: auth(token) });

describe('Open Lines events', () => {
  it('parses the five documented shapes into typed events', () => {
    const parse = (event: string) =>
      parseEventBody({
        body: body(event),
        contentType: 'application/x-www-form-urlencoded',
      }) as OpenLineEvent;

    const add = parse('ONOPENLINEMESSAGEADD');
    expect(add).toMatchObject({
      kind: 'openline',
      name: 'message.add',
      rawType: 'ONOPENLINEMESSAGEADD',
      portal: { memberId: MEMBER, domain: 'some-domain.bitrix24.com' },
      applicationToken: APP_TOKEN,
      bitrixEventId: 1,
      ts: 1714649632,
    });
    expect(add.items).toEqual([
      {
        connector: { id: 'livechat', lineId: 128, chatId: '10587', userId: '1985' },
        chatId: 10585,
        message: { id: 80964, text: 'hello', files: [], system: false, userId: '1985' },
      },
    ]);

    const update = parse('ONOPENLINEMESSAGEUPDATE');
    expect(update).toMatchObject({ name: 'message.update', connector: 'livechat', lineId: 128 });
    expect(update.items).toEqual([
      { im: { chatId: 1024, messageId: 2056 }, message: { id: 2056, files: [] }, chatId: 1024 },
    ]);

    expect(parse('ONOPENLINEMESSAGEDELETE').items[0]?.im).toEqual({
      chatId: 1024,
      messageId: 2057,
    });

    const start = parse('ONSESSIONSTART');
    expect(start).toMatchObject({ name: 'session.start' });
    expect(start.items[0]).toMatchObject({
      chatId: 10585,
      session: { id: 469, parentId: 0 },
      user: { id: 1985 },
    });

    const finish = parse('ONSESSIONFINISH');
    expect(finish.items[0]).toMatchObject({
      session: { id: 469, closed: true, closeTerm: 'operator' },
      user: { id: 128, name: 'linename' },
    });
  });

  it('refuses a malformed Open Lines body (DATA missing) with EVENT_VALIDATION', () => {
    const bad = encodePhpForm({ event: 'ONSESSIONSTART', data: { LINE: 'x' }, auth: auth() });
    expect(() => parseEventBody({ body: bad })).toThrow(
      expect.objectContaining({ code: 'EVENT_VALIDATION' }),
    );
  });

  describe('over HTTP', () => {
    let h: Harness;
    afterEach(async () => {
      await h?.close();
    });

    it('delivers each event to the application handler and answers 200', async () => {
      const got: OpenLineEvent[] = [];
      h = await startHarness({ onOpenLineEvent: (e) => void got.push(e) });
      for (const event of Object.keys(BODIES)) {
        expect(await h.post('/events', body(event))).toEqual({
          status: 200,
          json: { status: 'accepted' },
        });
      }
      expect(got.map((e) => e.name)).toEqual([
        'message.add',
        'message.update',
        'message.delete',
        'session.start',
        'session.finish',
      ]);
      expect(h.metrics.value(METRIC.eventsTotal, { type: 'openline', outcome: 'accepted' })).toBe(
        5,
      );
      // Not bot dialogs: no REST call, nothing in a dialog.
      expect(h.portal.calls.filter((c) => !c.method.startsWith('imbot'))).toEqual([]);
    });

    it('answers 200 and counts them without a handler (not 400)', async () => {
      h = await startHarness();
      for (const event of Object.keys(BODIES)) {
        expect(await h.post('/events', body(event))).toEqual({
          status: 200,
          json: { status: 'ignored' },
        });
      }
      expect(h.metrics.value(METRIC.eventsTotal, { type: 'openline', outcome: 'ignored' })).toBe(5);
    });

    it('answers 503 when the handler throws, 401 for a wrong application token', async () => {
      h = await startHarness({
        onOpenLineEvent: () => {
          throw new Error('handler down');
        },
      });
      expect((await h.post('/events', body('ONSESSIONSTART'))).status).toBe(503);
      expect((await h.post('/events', body('ONSESSIONSTART', 'wrong-token'))).status).toBe(401);
    });
  });
});
