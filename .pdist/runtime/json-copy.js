"use strict";
/**
 * A deep copy with exactly the result of `JSON.parse(JSON.stringify(value))`, without building and
 * parsing the text: `toJSON` is called (dates become strings), `undefined`, functions and symbols
 * are dropped from objects and become `null` in arrays, non-finite numbers become `null`, `-0`
 * becomes `0`, boxed primitives are unwrapped, and a BigInt or a cycle throws a `TypeError` as
 * `JSON.stringify` does. A turn's snapshot, effects and timer events are copied this way so that
 * the commit holds plain JSON values that no machine object shares.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.jsonCopy = jsonCopy;
/** `undefined` stands for "nothing" (dropped from an object, `null` in an array). */
function copyValue(value, key, ancestors) {
    let v = value;
    if ((typeof v === 'object' && v !== null) ||
        typeof v === 'function' ||
        typeof v === 'bigint') {
        const toJSON = v.toJSON;
        if (typeof toJSON === 'function')
            v = toJSON.call(v, key);
    }
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
    if (v === null)
        return null;
    if (v instanceof Number)
        return copyValue(Number(v), key, ancestors);
    if (v instanceof String)
        return String(v);
    if (v instanceof Boolean)
        return v.valueOf();
    if (v instanceof BigInt)
        throw new TypeError('Do not know how to serialize a BigInt');
    if (ancestors.includes(v))
        throw new TypeError('Converting circular structure to JSON');
    ancestors.push(v);
    let out;
    if (Array.isArray(v)) {
        const items = new Array(v.length);
        for (let i = 0; i < v.length; i++)
            items[i] = copyValue(v[i], String(i), ancestors) ?? null;
        out = items;
    }
    else {
        const obj = {};
        const source = v;
        for (const k of Object.keys(source)) {
            const item = copyValue(source[k], k, ancestors);
            if (item === undefined)
                continue;
            // JSON.parse makes "__proto__" an own property; an assignment would set the prototype.
            if (k === '__proto__')
                Object.defineProperty(obj, k, {
                    value: item,
                    enumerable: true,
                    writable: true,
                    configurable: true,
                });
            else
                obj[k] = item;
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
function jsonCopy(value) {
    const out = copyValue(value, '', []);
    if (out === undefined)
        throw new TypeError(`${typeof value} is not a JSON value`);
    return out;
}
