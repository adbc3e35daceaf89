import { isDeepStrictEqual } from 'node:util';
import { jsonCopy } from '../../src/runtime/json-copy';

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  get sum(): number {
    return this.x + this.y;
  }
}

const shared = { s: 1 };
const tricky: Array<[string, unknown]> = [
  ['plain', { a: 1, b: 'x', c: true, d: null, e: [1, 'two', false, null] }],
  ['undefined, functions, symbols', { u: undefined, f: () => 1, s: Symbol('s'), k: 1 }],
  ['array slots', [undefined, () => 1, Symbol('x'), 2]],
  // eslint-disable-next-line no-sparse-arrays
  ['holes', [1, , 3]],
  ['non-finite and negative zero', { n: NaN, i: Infinity, m: -Infinity, z: -0, a: [-0, NaN] }],
  ['dates', { at: new Date(0), list: [new Date(86_400_000)] }],
  ['invalid date', { at: new Date(NaN) }],
  [
    'toJSON with key',
    { a: { toJSON: (k: string) => `key:${k}` }, b: [{ toJSON: (k: string) => k }] },
  ],
  ['toJSON returning undefined', { a: { toJSON: () => undefined }, b: 1 }],
  ['boxed primitives', { n: Object(5), s: Object('s'), b: Object(false), nan: Object(NaN) }],
  ['class instance', { p: new Point(1, 2) }],
  [
    'map, set, regexp, error',
    { m: new Map([[1, 2]]), s: new Set([1]), r: /x/g, e: new Error('boom') },
  ],
  ['typed array', { t: new Uint8Array([1, 2, 3]) }],
  ['integer-like keys keep their order', { b: 1, 2: 'two', a: 3, 1: 'one', '-1': 'minus' }],
  ['__proto__ as an own key', JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as unknown],
  ['null prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ['shared references (not a cycle)', { a: shared, b: shared, c: [shared, shared] }],
  ['nested', { a: { b: { c: { d: [{ e: [[], {}] }] } } } }],
  ['lone surrogate and unicode', { s: '\ud800x\u2028 é 😀', '\u0000k': 'v' }],
  ['top-level primitives', 'text'],
  ['top-level number', 1.5e300],
  ['top-level null', null],
];

describe('jsonCopy', () => {
  it.each(tricky)('gives what a JSON round trip gives: %s', (_name, value) => {
    const copy = jsonCopy(value);
    expect(isDeepStrictEqual(copy, roundTrip(value))).toBe(true);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
  });

  it('copies: nothing of the result is shared with the source', () => {
    const source = { a: { b: [1, { c: 2 }] } };
    const copy = jsonCopy<typeof source>(source);
    expect(copy).not.toBe(source);
    expect(copy.a).not.toBe(source.a);
    expect(copy.a.b).not.toBe(source.a.b);
    expect(copy.a.b[1]).not.toBe(source.a.b[1]);
  });

  it('makes __proto__ an own property, never the prototype', () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const copy = jsonCopy<Record<string, unknown>>(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('throws a TypeError where JSON.stringify throws: BigInt, cycles', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => JSON.stringify(cycle)).toThrow(TypeError);
    expect(() => jsonCopy(cycle)).toThrow(TypeError);
    expect(() => jsonCopy({ n: 10n })).toThrow(TypeError);
    expect(() => jsonCopy({ n: Object(10n) })).toThrow(TypeError);
    const arrayCycle: unknown[] = [];
    arrayCycle.push({ a: arrayCycle });
    expect(() => jsonCopy(arrayCycle)).toThrow(TypeError);
  });

  it('throws a TypeError for a value that is not JSON at all', () => {
    expect(() => jsonCopy(undefined)).toThrow(TypeError);
    expect(() => jsonCopy(() => 1)).toThrow(TypeError);
    expect(() => jsonCopy(Symbol('s'))).toThrow(TypeError);
  });
});
