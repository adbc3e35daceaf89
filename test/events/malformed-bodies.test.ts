/**
 * Hostile and broken input: every body below must end in a typed EventValidationError (or, for
 * cuts that leave a well-formed body, a valid event), nothing else may be thrown, and
 * Object.prototype must stay untouched. Bodies are generated with a seeded PRNG.
 */
import { isEventValidationError } from '../../src/events/event-validation-error';
import { parseEventBody } from '../../src/events/parse-event-body';
import { parseFetchItem } from '../../src/events/parse-fetch-item';
import { decodePhpForm, encodePhpForm } from '../../src/events/php-form';
import { listFixtures, readFixture, wireFixture } from './fixture-files';

/** mulberry32: small, seeded, good enough to spread cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20260224);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;

const FORM = 'application/x-www-form-urlencoded';
const forms = listFixtures().filter((f) => f.endsWith('.txt'));
const CONTRACT = readFixture('v1/contract-2.2-message-add.txt');
const SECRETS = [
  '831c76b092f9f135d9b6b36c3a720757',
  'a98b9d690000071b0000084400000237f0f107589d1e',
  '4c8e1a7f0b2d9e3c6a5f8b1d7e0c2a9f',
];

type Outcome = 'error' | 'event';
let mustFail = 0;
/** Every way a case went wrong; asserted empty once per test (one `expect` per case is slow). */
let problems: string[] = [];
beforeEach(() => {
  problems = [];
});
afterEach(() => {
  expect(problems).toEqual([]);
});

/** Parses and classifies; anything thrown that is not an EventValidationError is a problem. */
function outcome(run: () => unknown, label: string): Outcome {
  try {
    run();
    return 'event';
  } catch (e) {
    if (!isEventValidationError(e)) {
      problems.push(`${label}: threw ${String(e)}`);
      return 'error';
    }
    if (e.issues.length === 0) problems.push(`${label}: no issues`);
    const json = JSON.stringify(e.toJSON());
    if (SECRETS.some((s) => json.includes(s) || e.message.includes(s)))
      problems.push(`${label}: leaked a token`);
    return 'error';
  }
}

function expectError(body: string | Buffer, label: string, contentType: string = FORM): void {
  mustFail++;
  if (outcome(() => parseEventBody({ body, contentType }), label) !== 'error')
    problems.push(`${label}: parsed`);
}

type Obj = Record<string, unknown>;
const decoded = (body: string) => JSON.parse(JSON.stringify(decodePhpForm(body))) as Obj;

function setPath(root: Obj, path: string[], value: unknown): void {
  let node = root;
  for (const seg of path.slice(0, -1)) node = node[seg] as Obj;
  node[path[path.length - 1] as string] = value;
}

// Thousands of errors are built here; formatting their stacks through source maps would
// dominate the run time without testing anything.
const stackLimit = Error.stackTraceLimit;
beforeAll(() => {
  Error.stackTraceLimit = 0;
});

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayNames = Object.getOwnPropertyNames(Array.prototype).sort();

afterAll(() => {
  Error.stackTraceLimit = stackLimit;
  expect(mustFail).toBeGreaterThanOrEqual(500);
  expect(({} as Obj).polluted).toBeUndefined();
  expect((Object.prototype as Obj).polluted).toBeUndefined();
  expect(({} as Obj).constructor).toBe(Object);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayNames);
});

describe('parseEventBody (malformed bodies)', () => {
  it('refuses the contract body cut at every point before MESSAGE_ID is complete, and never throws anything else', () => {
    const valueStart =
      CONTRACT.indexOf('data%5BPARAMS%5D%5BMESSAGE_ID%5D=') +
      'data%5BPARAMS%5D%5BMESSAGE_ID%5D='.length;
    let errors = 0;
    for (let cut = 0; cut < CONTRACT.length; cut++) {
      const body = CONTRACT.slice(0, cut);
      if (cut <= valueStart) {
        expectError(body, `cut ${cut}`);
        errors++;
      } else if (
        outcome(() => parseEventBody({ body, contentType: FORM }), `cut ${cut}`) === 'event'
      ) {
        // A cut after the required fields leaves a shorter but well-formed body.
        expect(parseEventBody({ body, contentType: FORM })).toMatchObject({
          kind: 'message',
          chatId: 1777,
          bot: { id: 571 },
        });
      }
    }
    expect(errors).toBeGreaterThan(3500);
  });

  it('never throws anything but EventValidationError for fixtures cut at random points', () => {
    for (let i = 0; i < 300; i++) {
      const rel = pick(forms);
      const body = readFixture(rel);
      outcome(
        () => parseEventBody({ body: body.slice(0, int(body.length)), contentType: FORM }),
        `${rel} cut`,
      );
    }
  });

  it('refuses wrong types in required fields', () => {
    const badIds = [
      'abc',
      '-1',
      '1.5',
      '1e3',
      '',
      '0x10',
      ' 12',
      '１２',
      '1234567890123456',
      ['7'],
      { x: '1' },
    ];
    const cases: [string, string[], unknown[]][] = [
      ['v1/contract-2.2-message-add.txt', ['data', 'PARAMS', 'MESSAGE_ID'], badIds],
      [
        'v1/contract-2.2-message-add.txt',
        ['data', 'PARAMS', 'DIALOG_ID'],
        ['', ['chat1'], { a: 'b' }, 'x'.repeat(65)],
      ],
      ['v1/contract-2.2-message-add.txt', ['data', 'BOT'], ['571', ['x']]],
      ['v1/contract-2.2-message-add.txt', ['data', 'PARAMS'], ['text']],
      ['v1/contract-2.2-message-add.txt', ['data'], ['', 'x']],
      [
        'v1/contract-2.2-message-add.txt',
        ['event'],
        ['', 'ONIMBOTMESSAGEADDX', 'onwhatever', { a: '1' }],
      ],
      [
        'v1/contract-2.2-message-add.txt',
        ['data', 'USER', 'IS_CONNECTOR'],
        ['maybe', 'yes', '2', ['Y']],
      ],
      ['v1/contract-2.2-message-add.txt', ['data', 'PARAMS', 'CHAT_ID'], ['abc', '-5', ['1']]],
      ['v1/contract-2.2-message-add.txt', ['auth', 'domain'], ['not a host', 'a/b', { x: 'y' }]],
      ['v1/contract-2.2-message-add.txt', ['ts'], ['yesterday', '-1']],
      ['v1/command-add-keyboard-bot7.txt', ['data', 'COMMAND', '3', 'BOT_ID'], badIds],
      [
        'v1/command-add-keyboard-bot7.txt',
        ['data', 'COMMAND', '3', 'COMMAND'],
        ['', ['menu'], 'c'.repeat(129)],
      ],
      ['v1/command-add-keyboard-bot7.txt', ['data', 'COMMAND'], ['3', []]],
      ['v1/join-chat.txt', ['data', 'BOT', '571', 'BOT_ID'], ['x', '-1', ['1']]],
      ['v1/bot-delete-bot7.txt', ['data', 'BOT_ID'], badIds],
      ['v1/app-uninstall.txt', ['data', 'CLEAN'], ['maybe', ['1']]],
      ['v2-webhook/message-add-livechat.txt', ['data', 'message', 'id'], badIds],
      ['v2-webhook/message-add-livechat.txt', ['data', 'chat', 'id'], badIds],
      ['v2-webhook/message-add-livechat.txt', ['data', 'bot', 'id'], badIds],
      ['v2-webhook/message-add-livechat.txt', ['data', 'message'], ['hello']],
      ['v2-webhook/message-add-livechat.txt', ['data', 'user', 'connector'], ['perhaps', ['1']]],
      ['v2-webhook/reaction-change.txt', ['data', 'action'], ['remove', '', ['add']]],
      ['v2-webhook/command-add-typed.txt', ['data', 'command', 'command'], ['', ['/help']]],
      ['v2-webhook/message-delete-bot7.txt', ['data', 'messageId'], badIds],
    ];
    let n = 0;
    for (const [rel, path, bads] of cases) {
      for (const bad of bads) {
        const wire = decoded(readFixture(rel));
        setPath(wire, path, bad);
        expectError(
          encodePhpForm(wire),
          `${rel} ${path.join('.')}=${JSON.stringify(bad).slice(0, 20)}`,
        );
        n++;
      }
    }
    // Required pieces removed altogether.
    const removals: [string, string[]][] = [
      ['v1/contract-2.2-message-add.txt', ['data', 'PARAMS', 'MESSAGE_ID']],
      ['v1/contract-2.2-message-add.txt', ['data', 'BOT']],
      ['v1/contract-2.2-message-add.txt', ['event']],
      ['v2-webhook/message-add-livechat.txt', ['data', 'chat']],
      ['v2-webhook/message-add-livechat.txt', ['data', 'bot']],
      ['v2-webhook/join-chat.txt', ['data', 'chat', 'id']],
    ];
    for (const [rel, path] of removals) {
      const wire = decoded(readFixture(rel));
      setPath(wire, path, undefined);
      expectError(encodePhpForm(wire), `${rel} without ${path.join('.')}`);
      n++;
    }
    // No member_id anywhere (top-level auth and bot block): the portal is unknown.
    const orphan = decoded(readFixture('v1/message-add-no-member-id.txt'));
    setPath(orphan, ['data', 'BOT', '571', 'member_id'], undefined);
    setPath(orphan, ['data', 'BOT', '571', 'AUTH', 'member_id'], undefined);
    expectError(encodePhpForm(orphan), 'no member_id anywhere');
    expect(n).toBeGreaterThan(100);
  });

  it('refuses nesting beyond the depth limit, up to 100 levels and more', () => {
    for (const depth of [13, 20, 50, 100, 100, 200, 1000]) {
      expectError(`event=ONIMBOTMESSAGEADD&data${'[x]'.repeat(depth)}=1`, `form depth ${depth}`);
      expectError(
        `data%5BPARAMS%5D${'%5Bx%5D'.repeat(depth)}=1&${CONTRACT}`,
        `encoded depth ${depth}`,
      );
      const json = `{"event":"ONIMBOTV2MESSAGEADD","data":${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      expectError(json, `json depth ${depth}`, 'application/json');
    }
    for (let i = 0; i < 20; i++) {
      const pairs = readFixture(pick(forms)).split('&');
      pairs.splice(int(pairs.length), 0, `data${'%5Bz%5D'.repeat(100)}=1`);
      expectError(pairs.join('&'), `100 levels in pair ${i}`);
    }
  });

  it('refuses 1 MB values, keys and bodies', () => {
    const mb = 'x'.repeat(1_000_000);
    expectError(CONTRACT.replace('MESSAGE%5D=Hello', `MESSAGE%5D=${mb}`), '1 MB MESSAGE');
    expectError(`${CONTRACT}&data%5BPARAMS%5D%5BUNKNOWN%5D=${mb}`, '1 MB unknown field');
    expectError(`${CONTRACT}&auth%5Baccess_token%5D=${mb}`, '1 MB token');
    expectError(`${CONTRACT}&${mb}=1`, '1 MB key');
    expectError(`${CONTRACT}&a=${'%41'.repeat(333_334)}`, '1 MB of escapes');
    expectError(`${CONTRACT}&pad=${'y'.repeat(1_100_000)}`, 'body over 1 MiB');
    expectError(Buffer.from(`${CONTRACT}&pad=${mb}`), '1 MB value in a Buffer');
    const json = JSON.parse(readFixture('v2-webhook/message-add.json')) as Obj;
    (json.data as Obj).extra = mb;
    expectError(JSON.stringify(json), '1 MB JSON string', 'application/json');
    ((json.data as Obj).message as Obj).text = mb;
    expectError(JSON.stringify(json), '1 MB JSON text', 'application/json');
    expectError(`${CONTRACT}&${'p=1&'.repeat(2000)}`, 'too many pairs');
  });

  it('refuses prototype-polluting keys wherever they appear', () => {
    const keys = [
      '__proto__',
      '__proto__[polluted]',
      '__proto__%5Bpolluted%5D',
      '%5F%5Fproto%5F%5F%5Bpolluted%5D',
      'constructor',
      'constructor[prototype]',
      'constructor[prototype][polluted]',
      'constructor%5Bprototype%5D%5Bpolluted%5D',
      'prototype',
      'data[__proto__][polluted]',
      'data%5B__proto__%5D%5Bpolluted%5D',
      'data%5BBOT%5D%5B__proto__%5D%5Bpolluted%5D',
      'data%5BBOT%5D%5B571%5D%5Bconstructor%5D%5Bprototype%5D%5Bpolluted%5D',
      'data%5BPARAMS%5D%5Bconstructor%5D',
      'data%5BPARAMS%5D%5Bprototype%5D',
      'auth%5B__proto__%5D%5Bapplication_token%5D',
      'a[]%5B__proto__%5D',
    ];
    for (const key of keys) expectError(`${key}=1&${CONTRACT}`, `first ${key}`);
    for (let i = 0; i < 100; i++) {
      const pairs = readFixture(pick(forms)).split('&');
      const key = pick(keys);
      pairs.splice(int(pairs.length + 1), 0, `${key}=${pick(['1', 'yes', '', 'x%5By%5D'])}`);
      expectError(pairs.join('&'), `${key} in pair ${i}`);
    }
    const json = readFixture('v2-webhook/message-add.json');
    const injections = [
      '"__proto__":{"polluted":1}',
      '"constructor":{"prototype":{"polluted":1}}',
      '"prototype":{"polluted":1}',
    ];
    for (const inj of injections) {
      expectError(json.replace('{', `{${inj},`), `json top ${inj}`, 'application/json');
      expectError(
        json.replace('"data": {', `"data": {${inj},`),
        `json data ${inj}`,
        'application/json',
      );
      expectError(
        json.replace('"chat": {', `"chat": {${inj},`),
        `json chat ${inj}`,
        'application/json',
      );
    }
  });

  it('refuses broken percent-encoding anywhere in keys and values', () => {
    const broken = ['%', '%G', '%Z9', '%%', '%g0', '%-1', '% 1', '%x', '%u00'];
    for (let i = 0; i < 150; i++) {
      const body = readFixture(pick(forms));
      // Inside a pair (never on a separator, where it would start its own key).
      let at = int(body.length);
      while (body[at] === '&' || body[at - 1] === '&') at = int(body.length);
      // A lone % before two hex digits would be a valid escape: use %G there.
      const bad = pick(broken);
      const fixed = bad === '%' && /^[0-9a-f]{2}/i.test(body.slice(at, at + 2)) ? '%G' : bad;
      expectError(body.slice(0, at) + fixed + body.slice(at), `broken escape ${i}`);
    }
    expectError(`${CONTRACT}%`, 'trailing %');
    expectError(`${CONTRACT}%4`, 'trailing %4');
  });

  it('refuses random bytes and random form-like noise', () => {
    for (let i = 0; i < 100; i++) {
      const bytes = Buffer.alloc(1 + int(3000));
      for (let j = 0; j < bytes.length; j++) bytes[j] = int(256);
      expectError(bytes, `random bytes ${i}`, pick([FORM, 'application/json', 'text/plain', '']));
    }
    const alphabet = 'ab=&[]%5BDF0+.x_{}":,';
    for (let i = 0; i < 100; i++) {
      let s = '';
      for (let j = 1 + int(400); j > 0; j--) s += alphabet[int(alphabet.length)];
      expectError(s, `noise ${i}`);
    }
    expectError('', 'empty body');
  });

  it('refuses malformed and wrongly typed JSON bodies', () => {
    const json = readFixture('v2-webhook/message-add.json');
    const lastBrace = json.lastIndexOf('}');
    for (let i = 0; i < 60; i++)
      expectError(json.slice(0, int(lastBrace)), `json cut ${i}`, 'application/json');
    for (const body of [
      '[]',
      'null',
      '1',
      '"text"',
      '[{"event":"ONIMBOTV2MESSAGEADD"}]',
      '{"event":1}',
      '{"event":"ONIMBOTV2MESSAGEADD","data":[]}',
    ])
      expectError(body, `json ${body}`, 'application/json');
    const wrong = JSON.parse(json) as Obj;
    ((wrong.data as Obj).message as Obj).id = 'seven';
    expectError(JSON.stringify(wrong), 'json message.id', 'application/json');
    ((wrong.data as Obj).message as Obj).id = -7;
    expectError(JSON.stringify(wrong), 'json negative id', 'application/json');
    ((wrong.data as Obj).message as Obj).id = 7.5;
    expectError(JSON.stringify(wrong), 'json fractional id', 'application/json');
  });
});

describe('parseFetchItem (malformed items)', () => {
  const portal = {
    memberId: 'a3f9c27e5d1b4086b2e7d4c1f0a9e8b7',
    domain: 'acme-support.bitrix24.com',
  };
  const page = JSON.parse(readFixture('v2-fetch/page-all-types.json')) as {
    result: { events: Obj[] };
  };

  function fetchError(item: unknown, label: string, p: unknown = portal): void {
    mustFail++;
    const run = () => parseFetchItem({ item, portal: p as typeof portal });
    if (outcome(run, label) !== 'error') problems.push(`${label}: parsed`);
  }

  it('refuses items with wrong shapes, unknown types, hostile keys or no portal', () => {
    for (const item of [null, undefined, 1, 'x', [], [page.result.events[0]]])
      fetchError(item, `item ${JSON.stringify(item) ?? 'undefined'}`);
    for (let i = 0; i < 60; i++) {
      const item = JSON.parse(JSON.stringify(pick(page.result.events))) as Obj;
      const data = item.data as Obj;
      const mutation = int(8);
      if (mutation === 0) item.eventId = pick(['x', -1, 1.5, null, '']);
      else if (mutation === 1) item.type = pick(['ONIMV2MESSAGEADD', 'ONIMBOTMESSAGEADD', '', 42]);
      else if (mutation === 2) delete item.data;
      else if (mutation === 3) data.bot = pick([null, 'bot', { code: 'x' }]);
      else if (mutation === 4) item.data = JSON.parse('{"__proto__":{"polluted":1}}');
      else if (mutation === 5) data.chat = { id: 'chat' };
      else if (mutation === 6) item.data = JSON.parse(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`);
      else
        item.data = {
          ...data,
          ...(JSON.parse('{"constructor":{"prototype":{"polluted":1}}}') as Obj),
        };
      if (mutation === 5 && item.type === 'ONIMBOTV2DELETE') data.bot = null;
      fetchError(item, `mutation ${mutation} #${i}`);
    }
    fetchError(page.result.events[0], 'no portal', null);
    fetchError(page.result.events[0], 'empty portal', { memberId: '', domain: '' });
  });

  it('accepts every unmodified item of the page (the corpus above is not trivially wrong)', () => {
    for (const item of page.result.events)
      expect(() => parseFetchItem({ item, portal })).not.toThrow();
    expect(() => parseEventBody(wireFixture('v2-webhook/message-add.json'))).not.toThrow();
  });
});
