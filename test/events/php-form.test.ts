import qs from 'qs';
import { isEventValidationError } from '../../src/events/event-validation-error';
import { decodePhpForm, encodePhpForm, PHP_FORM_LIMITS } from '../../src/events/php-form';
import { listFixtures, readFixture } from './fixture-files';

/** Plain JSON view of a decoded value (null-prototype objects compare like plain ones). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function decodeError(body: string, options = {}): string {
  try {
    decodePhpForm(body, options);
  } catch (e) {
    expect(isEventValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`no error for ${body.slice(0, 80)}`);
}

describe('decodePhpForm', () => {
  it('keeps small numeric keys as object keys (qs trap 1)', () => {
    const out = decodePhpForm(
      'data%5BBOT%5D%5B7%5D%5BBOT_ID%5D=7&data%5BCOMMAND%5D%5B3%5D%5BCOMMAND%5D=menu',
    );
    expect(plain(out)).toEqual({
      data: { BOT: { '7': { BOT_ID: '7' } }, COMMAND: { '3': { COMMAND: 'menu' } } },
    });
    expect(Array.isArray((out.data as Record<string, unknown>).BOT)).toBe(false);
    // qs with its defaults (what express.urlencoded({ extended: true }) uses) loses the key.
    expect(qs.parse('data[BOT][7][BOT_ID]=7')).toEqual({ data: { BOT: [{ BOT_ID: '7' }] } });
  });

  it('decodes percent-encoded keys and values and + as space', () => {
    const out = decodePhpForm(
      'a%5Bb%5D=Hello%2C+where+is+my+order+%231042%3F&c=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82',
    );
    expect(plain(out)).toEqual({ a: { b: 'Hello, where is my order #1042?' }, c: 'Привет' });
  });

  it('accepts literal brackets, keys without = and empty pairs', () => {
    expect(plain(decodePhpForm('a[b][c]=1&&flag&x='))).toEqual({
      a: { b: { c: '1' } },
      flag: '',
      x: '',
    });
  });

  it('appends with [] and continues after the largest integer key', () => {
    expect(plain(decodePhpForm('a[]=x&a[]=y'))).toEqual({ a: ['x', 'y'] });
    expect(plain(decodePhpForm('c[5]=a&c[]=b&c[x]=c&c[]=d'))).toEqual({
      c: { '5': 'a', '6': 'b', x: 'c', '7': 'd' },
    });
    expect(plain(decodePhpForm('l[]=a&l[k]=b'))).toEqual({ l: { '0': 'a', k: 'b' } });
  });

  it('lets a later value replace an earlier one, as parse_str does', () => {
    expect(plain(decodePhpForm('a=1&a=2'))).toEqual({ a: '2' });
    expect(plain(decodePhpForm('a=1&a[b]=2'))).toEqual({ a: { b: '2' } });
    expect(plain(decodePhpForm('a[b]=2&a=1'))).toEqual({ a: '1' });
  });

  it('creates objects without a prototype', () => {
    const out = decodePhpForm('a[b]=1');
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.getPrototypeOf(out.a)).toBeNull();
    expect('toString' in out).toBe(false);
  });

  it.each([
    ['__proto__[polluted]=1', '__proto__'],
    ['a[__proto__][polluted]=1', '__proto__'],
    ['constructor[prototype][polluted]=1', 'constructor'],
    ['a[constructor][prototype][polluted]=1', 'constructor'],
    ['a[prototype]=1', 'prototype'],
    ['%5F%5Fproto%5F%5F%5Bpolluted%5D=1', '__proto__'],
    ['a%5B__proto__%5D=1', '__proto__'],
  ])('refuses the key %s', (body, name) => {
    expect(decodeError(body)).toContain(`forbidden key "${name}"`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['a=%', 'a=%4', 'a=%G1', 'a%ZZ=1', 'a=1%', 'a=%%41'])(
    'refuses malformed percent-encoding in %s',
    (body) => {
      expect(decodeError(body)).toMatch(/malformed percent-encoding/);
    },
  );

  it('keeps escaped bytes that are not UTF-8 as U+FFFD instead of losing the event', () => {
    expect(plain(decodePhpForm('a=%FF%41'))).toEqual({ a: '\uFFFDA' });
  });

  it.each([
    ['a[b=1', 'unterminated'],
    ['a[b]c=1', 'text after'],
    ['[a]=1', 'no name'],
    ['a[b]]=1', 'text after'],
  ])('refuses the malformed key %s', (body, why) => {
    expect(decodeError(body)).toContain(why);
  });

  it('enforces depth, key count, key length and value length limits', () => {
    const deep = (n: number) => `a${'[x]'.repeat(n)}=1`;
    expect(() => decodePhpForm(deep(PHP_FORM_LIMITS.maxDepth))).not.toThrow();
    expect(decodeError(deep(PHP_FORM_LIMITS.maxDepth + 1))).toContain('deeper than 12');
    expect(decodeError(deep(100))).toContain('deeper');
    expect(decodeError('a=1&b=2&c=3', { maxKeys: 2 })).toContain('more than 2 pairs');
    expect(decodeError(`${'k'.repeat(600)}=1`)).toContain('key longer');
    expect(decodeError(`a=${'v'.repeat(1_000_000)}`)).toContain('value longer');
    expect(decodeError(`a=${'%41'.repeat(300_000)}`)).toContain('value longer');
  });

  it('scans a body of many pairs without = once (no quadratic rescans)', () => {
    const body = `${'a&'.repeat(1999)}z=1`;
    expect(plain(decodePhpForm(body))).toEqual({ a: '', z: '1' });
  });

  it('agrees with qs (parseArrays: false) on every form fixture', () => {
    const forms = listFixtures().filter((f) => f.endsWith('.txt'));
    expect(forms.length).toBeGreaterThanOrEqual(20);
    for (const rel of forms) {
      const body = readFixture(rel);
      expect({ rel, out: plain(decodePhpForm(body)) }).toEqual({
        rel,
        out: plain(qs.parse(body, { parseArrays: false, depth: 20, parameterLimit: 5000 })),
      });
    }
  });
});

/** A deliberately naive parse_str: no prefix reuse, no fast paths; the oracle for the decoder. */
function naiveDecode(body: string): unknown {
  type Node = Record<string, unknown> | unknown[];
  const root: Record<string, unknown> = {};
  const dec = (t: string) => decodeURIComponent(t.replace(/\+/g, ' '));
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = dec(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : dec(pair.slice(eq + 1));
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(key) as RegExpExecArray;
    const segs = [
      m[1] as string,
      ...[...(m[2] as string).matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] as string),
    ];
    let node: Node = root;
    let k: string | number = segs[0] as string;
    for (const seg of segs.slice(1)) {
      const get = (n: Node, key: string | number) => (n as Record<string, unknown>)[key as string];
      const put = (n: Node, key: string | number, v: unknown) =>
        ((n as Record<string, unknown>)[key as string] = v);
      let child = get(node, k) as Node | string | undefined;
      if (typeof child !== 'object') child = seg === '' ? [] : {};
      else if (seg !== '' && Array.isArray(child)) child = Object.fromEntries(child.entries());
      put(node, k, child);
      if (seg !== '') k = seg;
      else if (Array.isArray(child)) k = child.length;
      else
        k =
          Math.max(
            -1,
            ...Object.keys(child)
              .filter((x) => /^(0|[1-9]\d*)$/.test(x))
              .map(Number),
          ) + 1;
      node = child;
    }
    (node as Record<string, unknown>)[k as string] = value;
  }
  return root;
}

describe('decodePhpForm (differential)', () => {
  it('matches a naive parse_str on 1500 random bodies with shared prefixes, appends and overwrites', () => {
    let seed = 42; // mulberry32
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const bases = ['data', 'auth', 'a', 'event'];
    const segs = ['BOT', '7', '571', 'AUTH', 'x', '', 'PARAMS', '0', '12', 'x y'];
    const values = ['1', 'a b', '%41', '', '%D0%9F', 'x%26y'];
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    for (let i = 0; i < 1500; i++) {
      const pairs: string[] = [];
      let prev: string[] = [];
      for (let p = 1 + rnd(30); p > 0; p--) {
        // Often continue from the previous key's prefix, as real bodies do.
        const keep =
          prev.length > 0 && rnd(3) > 0
            ? prev.slice(0, 1 + rnd(prev.length))
            : [bases[rnd(4)] as string];
        const path = [...keep];
        for (let d = rnd(4); d > 0 && path.length < 8; d--)
          path.push(segs[rnd(segs.length)] as string);
        prev = path;
        const brackets = rnd(2) === 0 ? ['%5B', '%5D'] : ['[', ']'];
        const key =
          enc(path[0] as string) +
          path
            .slice(1)
            .map((s) => `${brackets[0]}${enc(s)}${brackets[1]}`)
            .join('');
        pairs.push(`${key}=${values[rnd(values.length)]}`);
      }
      const body = pairs.join('&');
      expect({ body, out: plain(decodePhpForm(body)) }).toEqual({
        body,
        out: plain(naiveDecode(body)),
      });
    }
  });
});

describe('encodePhpForm', () => {
  it('writes what http_build_query writes', () => {
    const body = encodePhpForm({
      event: 'ONIMBOTMESSAGEADD',
      data: {
        BOT: { 7: { BOT_ID: 7 } },
        PARAMS: { MESSAGE: 'Hi, all ~ (ok)!', SYSTEM: false, FLAG: true },
      },
      list: ['a', 'b'],
      empty: [],
      none: {},
      skipped: undefined,
      nil: null,
    });
    expect(body).toBe(
      [
        'event=ONIMBOTMESSAGEADD',
        'data%5BBOT%5D%5B7%5D%5BBOT_ID%5D=7',
        'data%5BPARAMS%5D%5BMESSAGE%5D=Hi%2C+all+%7E+%28ok%29%21',
        'data%5BPARAMS%5D%5BSYSTEM%5D=0',
        'data%5BPARAMS%5D%5BFLAG%5D=1',
        'list%5B0%5D=a',
        'list%5B1%5D=b',
        'nil=',
      ].join('&'),
    );
  });

  it('round-trips through decodePhpForm with every scalar as a string', () => {
    const value = { a: { '1': { b: 'x y&z=%', c: 12 } }, d: ['é', '😀'] };
    expect(plain(decodePhpForm(encodePhpForm(value)))).toEqual({
      a: { '1': { b: 'x y&z=%', c: '12' } },
      d: { '0': 'é', '1': '😀' },
    });
  });

  it('refuses values it cannot encode', () => {
    expect(() => encodePhpForm({ f: () => 1 })).toThrow(TypeError);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => encodePhpForm(loop)).toThrow(TypeError);
  });
});
