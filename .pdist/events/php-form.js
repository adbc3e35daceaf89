"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodePhpForm = exports.PHP_FORM_LIMITS = void 0;
exports.decodePhpForm = decodePhpForm;
/**
 * `application/x-www-form-urlencoded` bodies as PHP writes (`http_build_query`) and reads
 * (`parse_str`) them: `data%5BBOT%5D%5B571%5D%5BBOT_ID%5D=571`, `+` for spaces.
 *
 * Why not `qs`: with its defaults a small numeric key (`data[BOT][7]`) becomes an array index and
 * the bot id is lost; here every explicit key stays an object key, and the decoder is a single
 * pass over the body without a regex per key.
 */
const event_validation_error_1 = require("./event-validation-error");
/** Defaults of {@link DecodePhpFormOptions}. */
exports.PHP_FORM_LIMITS = Object.freeze({
    maxDepth: 12,
    maxKeys: 2000,
    maxValueLength: 262_144,
    maxKeyLength: 512,
});
function fail(message) {
    throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)(message)]);
}
function isHex(c) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
/** Slow path, taken only when `decodeURIComponent` refused: bad escapes or invalid UTF-8. */
function decodeBytes(text, pair, what) {
    const src = Buffer.from(text, 'utf8');
    const out = Buffer.allocUnsafe(src.length);
    let n = 0;
    for (let i = 0; i < src.length; i++) {
        const c = src[i];
        if (c !== 37) {
            out[n++] = c;
            continue;
        }
        const h = src[i + 1];
        const l = src[i + 2];
        if (h === undefined || l === undefined || !isHex(h) || !isHex(l)) {
            fail(`pair ${pair}: malformed percent-encoding in the ${what}`);
        }
        out[n++] = parseInt(String.fromCharCode(h, l), 16);
        i += 2;
    }
    // Valid escapes of invalid UTF-8 (a client's odd bytes) are kept as U+FFFD, not refused:
    // a webhook event refused here is lost for good.
    return out.toString('utf8', 0, n);
}
function decodeComponent(raw, pair, what) {
    const plain = raw.indexOf('+') === -1 ? raw : raw.replaceAll('+', ' ');
    if (plain.indexOf('%') === -1)
        return plain;
    try {
        return decodeURIComponent(plain);
    }
    catch {
        return decodeBytes(plain, pair, what);
    }
}
function isForbidden(seg) {
    return seg === '__proto__' || seg === 'constructor' || seg === 'prototype';
}
/** `parse_str` keys of a decoded key: `name`, `name[a][b]`, `name[]`. Anything else is refused. */
function splitKey(key, pair) {
    const open = key.indexOf('[');
    const segs = [open === -1 ? key : key.slice(0, open)];
    if (open === -1)
        return segs;
    let i = open;
    while (i < key.length) {
        if (key.charCodeAt(i) !== 91)
            fail(`pair ${pair}: text after "]" in key`);
        const close = key.indexOf(']', i + 1);
        if (close === -1)
            fail(`pair ${pair}: unterminated "[" in key`);
        segs.push(key.slice(i + 1, close));
        i = close + 1;
    }
    return segs;
}
/**
 * Fast path for the keys Bitrix24 sends: plain characters and encoded (or literal) brackets.
 * Splits the still-encoded key from `pos` without decoding it, appending to `segs` and the raw
 * end offset of each segment to `ends`; anything else returns false and goes through
 * decode + {@link splitKey}.
 */
function splitRawKey(raw, pos, segs, ends) {
    const n = raw.length;
    let state = pos === 0 ? 0 : 2; // 0 base name, 1 inside [..], 2 after ]
    let segStart = pos;
    for (let i = pos; i < n; i++) {
        const c = raw.charCodeAt(i);
        let tok = 0; // 1 '[', 2 ']'
        if (c === 37) {
            const a = raw.charCodeAt(i + 1);
            const b = raw.charCodeAt(i + 2) | 32;
            if (a !== 53 || (b !== 98 && b !== 100))
                return false;
            tok = b === 98 ? 1 : 2;
        }
        else if (c === 91)
            tok = 1;
        else if (c === 93)
            tok = 2;
        else if (c === 43)
            return false;
        if (tok === 0) {
            if (state === 2)
                return false;
            continue;
        }
        if (tok === 1 && state !== 1) {
            if (state === 0) {
                segs.push(raw.slice(0, i));
                ends.push(i);
            }
            state = 1;
        }
        else if (tok === 2 && state === 1) {
            segs.push(raw.slice(segStart, i));
            ends.push(c === 37 ? i + 3 : i + 1);
            state = 2;
        }
        else
            return false;
        if (c === 37)
            i += 2;
        segStart = i + 1;
    }
    if (state === 1)
        return false;
    if (state === 0) {
        segs.push(raw);
        ends.push(n);
    }
    return true;
}
/** Index of the last segment the new key shares with the cached one (-1: none reusable). */
function sharedPrefix(cache, raw) {
    const prev = cache.raw;
    if (prev === '')
        return -1;
    const n = Math.min(prev.length, raw.length);
    let same = 0;
    while (same < n && prev.charCodeAt(same) === raw.charCodeAt(same))
        same++;
    let last = -1;
    // An appending `[]` names a different slot each time: never reuse past one.
    for (let i = 1; i < cache.segs.length && cache.ends[i] <= same; i++) {
        if (cache.segs[i] === '')
            break;
        last = i;
    }
    return last;
}
/** Checks the segments from index `from` on (earlier ones were checked with a previous key). */
function checkSegments(segs, from, pair, maxDepth) {
    if (segs[0] === '')
        fail(`pair ${pair}: key has no name`);
    if (segs.length - 1 > maxDepth)
        fail(`pair ${pair}: key nested deeper than ${maxDepth} levels`);
    for (let i = from; i < segs.length; i++) {
        const seg = segs[i];
        if (isForbidden(seg))
            fail(`pair ${pair}: forbidden key "${seg}"`);
    }
}
/** PHP's next free integer key: one past the largest non-negative integer key, or 0. */
function nextIndex(obj) {
    let next = 0;
    for (const k of Object.keys(obj)) {
        const n = Number(k);
        if (Number.isSafeInteger(n) && n >= next && String(n) === k)
            next = n + 1;
    }
    return String(next);
}
function toObject(list) {
    const obj = Object.create(null);
    for (let i = 0; i < list.length; i++)
        obj[i] = list[i];
    return obj;
}
/** Sets `value` at `segs`, starting at the cached holder of `segs[from]`, and records holders. */
function assign(cache, segs, from, value) {
    const nodes = cache.nodes;
    let node = nodes[from];
    let key = segs[from];
    for (let i = from + 1; i < segs.length; i++) {
        const seg = segs[i];
        const existing = Array.isArray(node)
            ? node[key]
            : node[key];
        let child;
        if (typeof existing === 'object') {
            // An explicit key on a list turns it into an object, as PHP arrays are maps anyway.
            child = seg !== '' && Array.isArray(existing) ? toObject(existing) : existing;
        }
        else {
            // A string in the way is replaced, as parse_str does.
            child = seg === '' ? [] : Object.create(null);
        }
        if (child !== existing) {
            if (Array.isArray(node))
                node[key] = child;
            else
                node[key] = child;
        }
        if (seg !== '')
            key = seg;
        else
            key = Array.isArray(child) ? child.length : nextIndex(child);
        node = child;
        nodes[i] = node;
    }
    // pop() rather than setting `length`: the latter is a slow builtin call on this hot path.
    while (nodes.length > segs.length)
        nodes.pop();
    if (Array.isArray(node))
        node[key] = value;
    else
        node[key] = value;
}
/**
 * Decodes a PHP `http_build_query` body into nested null-prototype objects of strings.
 * Numeric keys stay object keys; `a[]=x` appends; keys `__proto__`, `constructor` and
 * `prototype` are refused. Throws {@link EventValidationError} on malformed input or when a
 * limit is exceeded.
 *
 * @example
 * decodePhpForm('data%5BBOT%5D%5B7%5D%5BBOT_ID%5D=7&ts=1771928985')
 * // { data: { BOT: { '7': { BOT_ID: '7' } } }, ts: '1771928985' }
 */
function decodePhpForm(body, options = {}) {
    const maxDepth = options.maxDepth ?? exports.PHP_FORM_LIMITS.maxDepth;
    const maxKeys = options.maxKeys ?? exports.PHP_FORM_LIMITS.maxKeys;
    const maxValue = options.maxValueLength ?? exports.PHP_FORM_LIMITS.maxValueLength;
    const maxKey = options.maxKeyLength ?? exports.PHP_FORM_LIMITS.maxKeyLength;
    const root = Object.create(null);
    const cache = { raw: '', segs: [], ends: [], nodes: [root] };
    const len = body.length;
    let pairs = 0;
    let start = 0;
    // Position of the next '=' at or after `start`; kept across pairs so a body of many pairs
    // without '=' is still scanned once, not once per pair.
    let eqAt = -2;
    while (start < len) {
        let amp = body.indexOf('&', start);
        if (amp === -1)
            amp = len;
        if (amp > start) {
            if (++pairs > maxKeys)
                fail(`more than ${maxKeys} pairs`);
            if (eqAt !== -1 && eqAt < start)
                eqAt = body.indexOf('=', start);
            const eq = eqAt === -1 || eqAt > amp ? amp : eqAt;
            const rawKey = body.slice(start, eq);
            if (rawKey.length > maxKey * 3)
                fail(`pair ${pairs}: key longer than ${maxKey} characters`);
            let from = sharedPrefix(cache, rawKey);
            let segs = cache.segs;
            while (segs.length > from + 1)
                segs.pop();
            while (cache.ends.length > from + 1)
                cache.ends.pop();
            const pos = from < 0 ? 0 : cache.ends[from];
            if (splitRawKey(rawKey, pos, segs, cache.ends)) {
                if (rawKey.length > maxKey)
                    fail(`pair ${pairs}: key longer than ${maxKey} characters`);
                cache.raw = rawKey;
            }
            else {
                const key = decodeComponent(rawKey, pairs, 'key');
                if (key.length > maxKey)
                    fail(`pair ${pairs}: key longer than ${maxKey} characters`);
                segs = splitKey(key, pairs);
                from = -1;
                cache.raw = '';
                cache.segs = segs;
            }
            if (from < 0)
                from = 0;
            checkSegments(segs, from, pairs, maxDepth);
            // A decoded character takes at most 9 encoded ones: cheap early refusal of huge values.
            if (amp - eq - 1 > maxValue * 9)
                fail(`pair ${pairs}: value longer than ${maxValue} characters`);
            const value = eq < amp ? decodeComponent(body.slice(eq + 1, amp), pairs, 'value') : '';
            if (value.length > maxValue)
                fail(`pair ${pairs}: value longer than ${maxValue} characters`);
            assign(cache, segs, from, value);
        }
        start = amp + 1;
    }
    return root;
}
var encode_php_form_1 = require("./encode-php-form");
Object.defineProperty(exports, "encodePhpForm", { enumerable: true, get: function () { return encode_php_form_1.encodePhpForm; } });
