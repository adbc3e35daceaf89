"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodeJson = encodeJson;
exports.encodeOptionalJson = encodeOptionalJson;
exports.decodeJson = decodeJson;
/**
 * JSON encoding of stored values, shared by the adapters so that every adapter returns exactly
 * what a JSON round trip returns (`undefined` fields dropped, dates as strings): code tested on the
 * memory store behaves the same on SQLite or Redis.
 */
const store_error_1 = require("./store-error");
/** Encodes a value that must be present; `undefined` is stored as `null`. */
function encodeJson(value, what) {
    return encodeOptionalJson(value, what) ?? 'null';
}
/** Encodes an optional value; `undefined` stays absent. */
function encodeOptionalJson(value, what) {
    if (value === undefined)
        return undefined;
    try {
        return JSON.stringify(value);
    }
    catch (cause) {
        throw new store_error_1.StoreError(`${what} is not JSON-serializable: ${cause.message}`, {
            cause,
        });
    }
}
/** Decodes a stored column; a missing value (`null` column) decodes to `undefined`. */
function decodeJson(text) {
    return text === null || text === undefined ? undefined : JSON.parse(text);
}
