/**
 * A deep copy with exactly the result of `JSON.parse(JSON.stringify(value))`, without building and
 * parsing the text: `toJSON` is called (dates become strings), `undefined`, functions and symbols
 * are dropped from objects and become `null` in arrays, non-finite numbers become `null`, `-0`
 * becomes `0`, boxed primitives are unwrapped, and a BigInt or a cycle throws a `TypeError` as
 * `JSON.stringify` does. A turn's snapshot, effects and timer events are copied this way so that
 * the commit holds plain JSON values that no machine object shares.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Step one of JSON's SerializeJSONProperty: an object's or BigInt's `toJSON(key)` replaces it. */
function copyValue(value: unknown, key: string | number, ancestors: object[]): Json | undefined {
  if (
    (typeof value === 'object' && value !== null) ||
    typeof value === 'function' ||
    typeof value === 'bigint'
  ) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function')
      return copyResolved((toJSON as (k: string) => unknown).call(value, String(key)), ancestors);
  }
  return copyResolved(value, ancestors);
}

/** The rest: `undefined` stands for "nothing" (dropped from an object, `null` in an array). */
function copyResolved(v: unknown, ancestors: object[]): Json | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (v === null) return null;
  const isArray = Array.isArray(v);
  if (!isArray) {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      if (v instanceof Number) return copyResolved(Number(v), ancestors);
      if (v instanceof String) return String(v);
      if (v instanceof Boolean) return v.valueOf();
      if (v instanceof BigInt) throw new TypeError('Do not know how to serialize a BigInt');
    }
  }
  if (ancestors.includes(v)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(v);
  let out: Json;
  if (isArray) {
    const source = v as unknown[];
    const items: Json[] = [];
    for (let i = 0; i < source.length; i++) items.push(copyValue(source[i], i, ancestors) ?? null);
    out = items;
  } else {
    const obj: { [key: string]: Json } = {};
    const source = v as Record<string, unknown>;
    for (const k of Object.keys(source)) {
      const item = copyValue(source[k], k, ancestors);
      if (item === undefined) continue;
      // JSON.parse makes "__proto__" an own property; an assignment would set the prototype.
      if (k === '__proto__')
        Object.defineProperty(obj, k, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else obj[k] = item;
    }
    out = obj;
  }
  ancestors.pop();
  return out;
}

/**
 * `JSON.parse(JSON.stringify(value))` without the text; throws what `JSON.stringify` throws, and a
 * `TypeError` when the value itself is not JSON (`undefined`, a function, a symbol).
 *
 * @example
 * jsonCopy({ at: new Date(0), skip: undefined, n: NaN }) // { at: '1970-01-01T00:00:00.000Z', n: null }
 */
export function jsonCopy<T = unknown>(value: unknown): T {
  const out = copyValue(value, '', []);
  if (out === undefined) throw new TypeError(`${typeof value} is not a JSON value`);
  return out as T;
}
