import { inspect } from 'node:util';
import {
  EventValidationError,
  isEventValidationError,
} from '../../src/events/event-validation-error';
import type { CommandEvent, MessageEvent } from '../../src/events/inbound-event';
import { parseEventBody } from '../../src/events/parse-event-body';
import { decodePhpForm, encodePhpForm } from '../../src/events/php-form';
import { readFixture, wireFixture } from './fixture-files';

const FORM = 'application/x-www-form-urlencoded';
type Obj = Record<string, unknown>;
const wire = (rel: string) => JSON.parse(JSON.stringify(decodePhpForm(readFixture(rel)))) as Obj;
const params = (w: Obj) => (w.data as Obj).PARAMS as Obj;

function thrown(run: () => unknown): EventValidationError {
  try {
    run();
  } catch (e) {
    if (isEventValidationError(e)) return e;
    throw e;
  }
  throw new Error('nothing thrown');
}

describe('parseEventBody', () => {
  it('keeps the bot id of data[BOT][7] and the command id of data[COMMAND][3]', () => {
    expect(parseEventBody(wireFixture('v1/message-add-bot7.txt'))).toMatchObject({
      bot: { id: 7 },
    });
    const command = parseEventBody(wireFixture('v1/command-add-keyboard-bot7.txt')) as CommandEvent;
    expect(command).toMatchObject({ kind: 'command', bot: { id: 7 }, commandId: 3, chatId: 12 });
  });

  it('accepts a Buffer body and sniffs the format when the content type is missing or vague', () => {
    const form = readFixture('v1/contract-2.2-message-add.txt');
    const json = readFixture('v2-webhook/message-add.json');
    for (const contentType of [undefined, 'text/plain', 'application/octet-stream']) {
      expect(parseEventBody({ body: Buffer.from(form), contentType }).kind).toBe('message');
      expect(parseEventBody({ body: json, contentType }).apiVersion).toBe(2);
    }
    expect(
      parseEventBody({ body: json, contentType: 'application/json; charset=utf-8' }).apiVersion,
    ).toBe(2);
  });

  it('coerces string numbers and Y/N, 1/0 and empty flags', () => {
    const w = wire('v1/contract-2.2-message-add.txt');
    params(w).SYSTEM = 'Y';
    ((w.data as Obj).USER as Obj).IS_CONNECTOR = '1';
    ((w.data as Obj).USER as Obj).IS_BOT = '';
    const e = parseEventBody({ body: encodePhpForm(w), contentType: FORM }) as MessageEvent;
    expect(e.isSystem).toBe(true);
    expect(e.messageId).toBe(86313);
    expect(e.author).toMatchObject({ isConnector: true });
    expect(e.author?.isBot).toBeUndefined();
  });

  it('tolerates unknown fields and a missing optional USER', () => {
    const w = wire('v1/contract-2.2-message-add.txt');
    params(w).SOMETHING_NEW = { deeply: { nested: 'x' } };
    w.brand_new_top_level = 'y';
    delete (w.data as Obj).USER;
    const e = parseEventBody({ body: encodePhpForm(w), contentType: FORM }) as MessageEvent;
    expect(e).toMatchObject({ kind: 'message', chatId: 1777 });
    expect(e.author).toBeUndefined();
    expect(e.client).toBeUndefined();
  });

  it('falls back to TO_CHAT_ID and then to the chat<ID> dialog id for the chat id', () => {
    const w = wire('v1/contract-2.2-message-add.txt');
    delete params(w).CHAT_ID;
    expect(parseEventBody({ body: encodePhpForm(w), contentType: FORM })).toMatchObject({
      chatId: 1777,
    });
    delete params(w).TO_CHAT_ID;
    expect(parseEventBody({ body: encodePhpForm(w), contentType: FORM })).toMatchObject({
      chatId: 1777,
    });
    params(w).DIALOG_ID = '1775';
    const error = thrown(() => parseEventBody({ body: encodePhpForm(w), contentType: FORM }));
    expect(error.issues[0]?.path).toEqual(['data', 'PARAMS', 'CHAT_ID']);
  });

  it('takes member_id from the bot block when the top-level auth lacks it, else from the portal option', () => {
    expect(parseEventBody(wireFixture('v1/message-add-no-member-id.txt')).portal.memberId).toBe(
      'a3f9c27e5d1b4086b2e7d4c1f0a9e8b7',
    );
    const w = wire('v2-webhook/message-add-minimal-auth.txt');
    delete ((w.data as Obj).bot as Obj).auth;
    const body = encodePhpForm(w);
    expect(
      thrown(() => parseEventBody({ body, contentType: FORM })).issues.map((i) => i.path.join('.')),
    ).toEqual(['auth.member_id']);
    const portal = { memberId: 'webhook-portal', domain: 'acme-support.bitrix24.com' };
    expect(parseEventBody({ body, contentType: FORM, portal }).portal).toEqual(portal);
  });

  it('reports missing and wrong fields as zod issues with their body path', () => {
    const w = wire('v1/contract-2.2-message-add.txt');
    delete params(w).MESSAGE_ID;
    (((w.data as Obj).BOT as Obj)['571'] as Obj).BOT_ID = 'seven';
    const error = thrown(() => parseEventBody({ body: encodePhpForm(w), contentType: FORM }));
    expect(error).toBeInstanceOf(EventValidationError);
    expect(error.code).toBe('EVENT_VALIDATION');
    expect(error.eventType).toBe('ONIMBOTMESSAGEADD');
    expect(error.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'data.BOT.571.BOT_ID',
      'data.PARAMS.MESSAGE_ID',
    ]);
    expect(error.message).toContain('data.PARAMS.MESSAGE_ID');
  });

  it('refuses an unknown event type without echoing it', () => {
    const error = thrown(() =>
      parseEventBody({ body: 'event=ONSOMETHINGELSE&data%5Bx%5D=1', contentType: FORM }),
    );
    expect(error.issues[0]?.path).toEqual(['event']);
    expect(error.message).not.toContain('ONSOMETHINGELSE');
  });

  it('keeps tokens out of the error message, toJSON and inspect output', () => {
    const secrets = [
      'b27004640061cf480061cf440000000d000007218ed656fb',
      '831c76b092f9f135d9b6b36c3a720757',
    ];
    const envelopeBad = wire('v1/contract-2.2-message-add.txt');
    (envelopeBad.auth as Obj).expires = secrets[0];
    const dataBad = wire('v1/contract-2.2-message-add.txt');
    params(dataBad).MESSAGE_ID = secrets[1];
    for (const w of [envelopeBad, dataBad]) {
      const error = thrown(() => parseEventBody({ body: encodePhpForm(w), contentType: FORM }));
      expect(error.issues).toHaveLength(1);
      for (const text of [
        error.message,
        error.stack ?? '',
        JSON.stringify(error.toJSON()),
        inspect(error),
      ]) {
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
      expect(error.toJSON()).toMatchObject({
        code: 'EVENT_VALIDATION',
        issues: [{ code: 'custom' }],
      });
    }
  });

  it('refuses bodies over maxBytes and empty bodies', () => {
    const body = readFixture('v1/contract-2.2-message-add.txt');
    expect(
      thrown(() => parseEventBody({ body, contentType: FORM, maxBytes: 1000 })).message,
    ).toContain('larger than 1000 bytes');
    expect(thrown(() => parseEventBody({ body: '', contentType: FORM })).message).toContain(
      'empty',
    );
  });

  it('builds dedupe keys that are stable across deliveries and tell edits, presses and commands apart', () => {
    const once = parseEventBody(wireFixture('v1/contract-2.2-message-add.txt'));
    expect(parseEventBody(wireFixture('v1/contract-2.2-message-add.txt')).dedupeKey).toBe(
      once.dedupeKey,
    );
    const edit = wire('v1/message-update.txt');
    const first = parseEventBody({ body: encodePhpForm(edit), contentType: FORM }).dedupeKey;
    params(edit).MESSAGE = 'another text';
    const second = parseEventBody({ body: encodePhpForm(edit), contentType: FORM }).dedupeKey;
    expect(first).toMatch(
      /^v1:a3f9c27e5d1b4086b2e7d4c1f0a9e8b7:571:ONIMBOTMESSAGEUPDATE:86313:[\w-]{12}$/,
    );
    expect(second).not.toBe(first);
    // The same keyboard message pressed again later is a new command.
    const press = wire('v1/command-add-keyboard-bot7.txt');
    const k1 = parseEventBody({ body: encodePhpForm(press), contentType: FORM }).dedupeKey;
    press.ts = String(Number(press.ts) + 30);
    const k2 = parseEventBody({ body: encodePhpForm(press), contentType: FORM }).dedupeKey;
    expect(k1).toMatch(/^v1:a3f9c27e5d1b4086b2e7d4c1f0a9e8b7:7:ONIMCOMMANDADD:3:42:/);
    expect(k2).not.toBe(k1);
    expect(parseEventBody(wireFixture('v2-webhook/message-add-livechat.txt')).dedupeKey).toBe(
      'v2:a3f9c27e5d1b4086b2e7d4c1f0a9e8b7:511:ONIMBOTV2MESSAGEADD:1093189',
    );
  });

  it('maps the v2 command "/help" to "help" and a lowercase context', () => {
    const w = wire('v2-webhook/command-add-typed.txt');
    ((w.data as Obj).command as Obj).context = 'TEXTAREA';
    const e = parseEventBody({ body: encodePhpForm(w), contentType: FORM }) as CommandEvent;
    expect(e).toMatchObject({
      command: 'help',
      params: 'topic',
      context: 'textarea',
      commandId: 78,
    });
  });

  it('takes the application token from the top-level auth only', () => {
    const w = wire('v1/contract-2.2-message-add.txt');
    delete (w.auth as Obj).application_token;
    const e = parseEventBody({ body: encodePhpForm(w), contentType: FORM });
    expect(e.applicationToken).toBeUndefined();
    expect((e as MessageEvent).botAuth?.applicationToken).toBe('831c76b092f9f135d9b6b36c3a720757');
  });

  it('returns plain objects (no null prototypes leak out of the decoder)', () => {
    const e = parseEventBody(wireFixture('v2-webhook/context-get.txt'));
    expect(e).toMatchObject({ kind: 'context' });
    expect(Object.getPrototypeOf((e as { context: object }).context)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(e.portal)).toBe(Object.prototype);
  });
});
