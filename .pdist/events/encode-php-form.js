"use strict";
/**
 * The encoding half of `php-form.ts`: PHP `http_build_query`, for builders and the fake portal.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodePhpForm = encodePhpForm;
/** PHP `urlencode`: everything but `A-Za-z0-9-_.` is escaped, spaces become `+`. */
function urlencode(text) {
    let safe = true;
    for (let i = 0; i < text.length && safe; i++) {
        const c = text.charCodeAt(i);
        safe =
            (c >= 48 && c <= 57) ||
                (c >= 65 && c <= 90) ||
                (c >= 97 && c <= 122) ||
                c === 45 ||
                c === 46 ||
                c === 95;
    }
    if (safe)
        return text;
    return encodeURIComponent(text)
        .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replaceAll('%20', '+');
}
function encodeInto(parts, prefix, value, depth) {
    if (value === undefined)
        return;
    if (depth > 64)
        throw new TypeError('encodePhpForm: value nested deeper than 64 levels');
    if (value === null)
        parts.push(`${prefix}=`);
    else if (typeof value === 'string')
        parts.push(`${prefix}=${urlencode(value)}`);
    else if (typeof value === 'number' || typeof value === 'bigint')
        parts.push(`${prefix}=${urlencode(String(value))}`);
    else if (typeof value === 'boolean')
        parts.push(`${prefix}=${value ? '1' : '0'}`);
    else if (value instanceof Date)
        parts.push(`${prefix}=${urlencode(value.toISOString())}`);
    else if (Array.isArray(value))
        value.forEach((v, i) => encodeInto(parts, `${prefix}%5B${i}%5D`, v, depth + 1));
    else if (typeof value === 'object') {
        for (const [k, v] of Object.entries(value))
            encodeInto(parts, `${prefix}%5B${urlencode(k)}%5D`, v, depth + 1);
    }
    else
        throw new TypeError(`encodePhpForm: cannot encode a ${typeof value}`);
}
/**
 * Encodes an object as PHP `http_build_query` does: bracket keys percent-encoded, `+` for
 * spaces, `true`/`false` as `1`/`0`, list items under explicit indexes, empty lists and objects
 * left out. `null` becomes an empty value (as Bitrix24 documents it); `undefined` is left out.
 *
 * @example
 * encodePhpForm({ data: { BOT: { 7: { BOT_ID: 7 } } }, ts: 1771928985 })
 * // 'data%5BBOT%5D%5B7%5D%5BBOT_ID%5D=7&ts=1771928985'
 */
function encodePhpForm(value) {
    const parts = [];
    for (const [k, v] of Object.entries(value))
        encodeInto(parts, urlencode(k), v, 0);
    return parts.join('&');
}
