"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.envelope = exports.authBlock = exports.authShape = exports.optDomain = exports.optText = exports.wireFlag = exports.optId = exports.wireId = void 0;
exports.reqStr = reqStr;
exports.optStr = optStr;
exports.check = check;
/**
 * zod building blocks for Bitrix24 wire values. On the form wire every scalar is a string
 * (`"571"`, `"Y"`, `"1"`, `""` for null); v2 fetch items and JSON bodies keep JSON types. Each
 * block accepts both and yields one type.
 */
const zod_1 = require("zod");
const event_validation_error_1 = require("./event-validation-error");
const DIGITS = /^\d{1,15}$/;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;
const BAD = Symbol('bad');
/**
 * A schema from one coercion function: a single call per field instead of a zod union, which
 * matters at thousands of events per second. `undefined` is handled by `.optional()`.
 */
function wire(coerce, message) {
    // A bare transform, not `z.unknown().transform()`: the same result and issues (an absent key is
    // handed to the coercion either way), without a pipe and a second schema run per field.
    return zod_1.z.transform((v, ctx) => {
        const out = coerce(v);
        if (out !== BAD)
            return out;
        ctx.issues.push({ code: 'custom', message, input: v });
        return zod_1.z.NEVER;
    });
}
function toId(v) {
    if (typeof v === 'number')
        return Number.isSafeInteger(v) && v >= 0 ? v : BAD;
    return typeof v === 'string' && DIGITS.test(v) ? Number(v) : BAD;
}
/** A required non-negative integer id: `571` or `"571"`. */
exports.wireId = wire(toId, 'expected a numeric id');
/** An optional id: absent, `""` and `null` all mean "not given". */
exports.optId = wire((v) => (v === '' || v === null ? undefined : toId(v)), 'expected a numeric id').optional();
const FLAGS = {
    Y: true,
    y: true,
    '1': true,
    N: false,
    n: false,
    '0': false,
};
/** A flag: `Y`/`N`, `1`/`0`, `true`/`false`; `""`, `null` and absent mean "not given". */
exports.wireFlag = wire((v) => {
    if (typeof v === 'boolean')
        return v;
    if (v === '' || v === null)
        return undefined;
    if (v === 1 || v === 0)
        return v === 1;
    return typeof v === 'string' && Object.hasOwn(FLAGS, v) ? FLAGS[v] : BAD;
}, 'expected a flag (Y/N, 1/0, true/false)').optional();
function toStr(v, min, max) {
    const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
    return typeof s === 'string' && s.length >= min && s.length <= max ? s : BAD;
}
/** A required string of `min`..`max` characters (a JSON number is turned into its text). */
function reqStr(max, min = 1) {
    return wire((v) => toStr(v, min, max), `expected a string of ${min} to ${max} characters`);
}
/** An optional string; `null` and absent mean "not given" (a JSON number becomes its text). */
function optStr(max) {
    return wire((v) => (v === null ? undefined : toStr(v, 0, max)), `expected a string of at most ${max} characters`).optional();
}
/** Message text: Bitrix24 cuts texts at 20 000 characters; BB-codes can add to that. */
exports.optText = optStr(100_000);
/** A portal host (`example.bitrix24.com`, or `127.0.0.1:8080` for a loopback test portal). */
exports.optDomain = wire((v) => v === '' || v === null
    ? undefined
    : typeof v === 'string' && v.length <= 253 && HOST.test(v)
        ? v
        : BAD, 'expected a host name').optional();
/** The keys of an `auth` block (top level, `data[BOT][id]`, `data.bot.auth`). All optional. */
exports.authShape = {
    access_token: optStr(1024),
    refresh_token: optStr(1024),
    expires: exports.optId,
    expires_in: exports.optId,
    scope: optStr(2048),
    domain: exports.optDomain,
    server_endpoint: optStr(2048),
    status: optStr(8),
    client_endpoint: optStr(2048),
    member_id: optStr(128),
    user_id: exports.optId,
    client_id: optStr(256),
    application_token: optStr(1024),
};
exports.authBlock = zod_1.z.object(exports.authShape);
/** The envelope every webhook body shares (`data` is checked per event type). */
exports.envelope = zod_1.z.object({
    event: reqStr(64),
    event_handler_id: exports.optId,
    ts: exports.optId,
    auth: exports.authBlock.optional(),
    data: zod_1.z.unknown(),
});
/**
 * Parses `value` with `schema`, or throws {@link EventValidationError} whose issue paths start
 * with `path` (so they name the field as it sits in the body).
 */
function check(schema, value, options) {
    const result = schema.safeParse(value);
    if (result.success)
        return result.data;
    const issues = result.error.issues.map((i) => ({ ...i, path: [...options.path, ...i.path] }));
    throw new event_validation_error_1.EventValidationError(issues, { eventType: options.eventType });
}
