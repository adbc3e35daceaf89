"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodePhpQuery = decodePhpQuery;
exports.phpLists = phpLists;
/**
 * PHP-style query strings (`a[b][0][c]=v`) as the portal reads REST parameters, on top of the
 * events decoder, plus the list normalisation PHP's `json_encode` applies.
 */
const php_form_1 = require("../../events/php-form");
// REST bodies may be larger and deeper than event bodies (keyboards, attachments, batches).
const REST_LIMITS = { maxDepth: 20, maxKeys: 20_000, maxValueLength: 10_000_000, maxKeyLength: 1024 };
/**
 * Decodes `application/x-www-form-urlencoded` / query text with PHP bracket keys into nested
 * objects ({@link decodePhpForm} with REST-sized limits). Numeric keys stay object keys here;
 * {@link phpLists} turns PHP lists into arrays. Throws on malformed input.
 *
 * @example
 * decodePhpQuery('FIELDS[TITLE]=Hi&LANG[0][LANGUAGE_ID]=en') // { FIELDS: { TITLE: 'Hi' }, LANG: { '0': { LANGUAGE_ID: 'en' } } }
 */
function decodePhpQuery(text) {
    return (0, php_form_1.decodePhpForm)(text, REST_LIMITS);
}
/**
 * Turns objects whose keys are exactly `0..n-1` (in that order) into arrays, recursively: what
 * PHP's `json_encode` does with such arrays, so a form body and a JSON body with the same
 * content decode to the same value.
 *
 * @example
 * phpLists({ B: { '0': 'x', '1': 'y' }, C: { '7': 'z' } }) // { B: ['x', 'y'], C: { '7': 'z' } }
 */
function phpLists(value) {
    if (Array.isArray(value))
        return value.map(phpLists);
    if (!value || typeof value !== 'object')
        return value;
    const entries = Object.entries(value);
    const sequential = entries.length > 0 && entries.every(([k], i) => k === String(i));
    if (sequential)
        return entries.map(([, v]) => phpLists(v));
    const out = {};
    for (const [k, v] of entries) {
        // A JSON body may carry an own `__proto__` key; copying it would set the prototype.
        if (k === '__proto__' || k === 'constructor' || k === 'prototype')
            continue;
        out[k] = phpLists(v);
    }
    return out;
}
