"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rNumList = exports.rOptStr = exports.rOptDate = exports.rOk = exports.rOptFlag = exports.rFlag = exports.rOptNum = exports.rNum = exports.pCount = exports.pCrmType = exports.pText = exports.pFlag = exports.pId = void 0;
exports.rMap = rMap;
/**
 * zod building blocks for the `imopenlines.*` client: parameters are checked and normalised
 * before a request leaves (ids as numbers, flags as `Y`/`N`), results are turned from wire
 * strings (`"571"`, `"Y"`, ISO dates) into typed values.
 */
const zod_1 = require("zod");
// ---- parameters (what the caller passes; the output is what goes on the wire) ----
/** A positive integer id: `1777` or `"1777"` (a dialog id such as `chat1777` is refused). */
exports.pId = zod_1.z
    .union([zod_1.z.number(), zod_1.z.string().regex(/^\d{1,15}$/, 'expected a numeric id')])
    .transform((v) => Number(v))
    .pipe(zod_1.z.number().int().positive());
/** A flag: `true`/`false` or `Y`/`N`; sent as `Y`/`N`. */
exports.pFlag = zod_1.z
    .union([zod_1.z.boolean(), zod_1.z.enum(['Y', 'N'])])
    .transform((v) => (typeof v === 'boolean' ? (v ? 'Y' : 'N') : v));
/** A non-empty string. */
exports.pText = zod_1.z.string().min(1, 'must not be empty');
/** A CRM object type as the Open Lines CRM methods take it. */
exports.pCrmType = zod_1.z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(zod_1.z.enum(['lead', 'deal', 'contact', 'company']));
/** A non-negative integer (seconds, counters). */
exports.pCount = zod_1.z
    .union([zod_1.z.number(), zod_1.z.string().regex(/^\d{1,15}$/)])
    .transform((v) => Number(v))
    .pipe(zod_1.z.number().int().nonnegative());
// ---- results (what Bitrix24 answers; the output is what the caller gets) ----
function toNum(v) {
    if (typeof v === 'number' && Number.isFinite(v))
        return v;
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()))
        return Number(v);
    return undefined;
}
/** A number: `571` or `"571"`. */
exports.rNum = zod_1.z.unknown().transform((v, ctx) => {
    const n = toNum(v);
    if (n !== undefined)
        return n;
    ctx.issues.push({ code: 'custom', message: 'expected a number', input: v });
    return zod_1.z.NEVER;
});
/** An optional number: absent, `null`, `""` and `"0"`-less values give `undefined`. */
exports.rOptNum = zod_1.z
    .unknown()
    .transform((v) => (v === null || v === '' || v === undefined ? undefined : toNum(v)))
    .optional();
const FLAGS = {
    Y: true,
    N: false,
    '1': true,
    '0': false,
    true: true,
    false: false,
};
/** A flag: `Y`/`N`, `1`/`0`, `true`/`false`. */
exports.rFlag = zod_1.z.unknown().transform((v, ctx) => {
    if (typeof v === 'boolean')
        return v;
    if (v === 1 || v === 0)
        return v === 1;
    if (typeof v === 'string' && Object.hasOwn(FLAGS, v))
        return FLAGS[v];
    ctx.issues.push({ code: 'custom', message: 'expected a flag (Y/N, 1/0, true/false)', input: v });
    return zod_1.z.NEVER;
});
/** An optional flag: absent, `null` and `""` give `undefined`; anything else must be a flag. */
exports.rOptFlag = zod_1.z
    .unknown()
    .transform((v) => v === null || v === '' || v === undefined
    ? undefined
    : typeof v === 'boolean'
        ? v
        : typeof v === 'string' && Object.hasOwn(FLAGS, v)
            ? FLAGS[v]
            : v === 1 || v === 0
                ? v === 1
                : undefined)
    .optional();
/** The `true` most methods answer with (`"Y"`, `1` accepted too). */
exports.rOk = exports.rFlag;
/** An optional date: ISO 8601 text becomes a `Date`; absent, `null`, `""`, `{}` give `undefined`. */
exports.rOptDate = zod_1.z
    .unknown()
    .transform((v, ctx) => {
    if (v === null || v === undefined || v === '' || typeof v === 'object')
        return undefined;
    if (typeof v === 'string') {
        const d = new Date(v);
        if (!Number.isNaN(d.getTime()))
            return d;
    }
    ctx.issues.push({ code: 'custom', message: 'expected an ISO 8601 date', input: v });
    return zod_1.z.NEVER;
})
    .optional();
/** An optional string: `null` and absent give `undefined`; a number becomes its text. */
exports.rOptStr = zod_1.z
    .unknown()
    .transform((v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined))
    .optional();
/** A list of numbers (`["27","103"]`); PHP's empty `[]` / `false` / `null` give `[]`. */
exports.rNumList = zod_1.z.unknown().transform((v, ctx) => {
    if (v === null || v === false || v === undefined || v === '')
        return [];
    const items = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v) : [v];
    const out = [];
    for (const item of items) {
        const n = toNum(item);
        if (n === undefined) {
            ctx.issues.push({ code: 'custom', message: 'expected a list of numbers', input: v });
            return zod_1.z.NEVER;
        }
        out.push(n);
    }
    return out;
});
/** A PHP map that may arrive as `[]` when empty. */
function rMap(value) {
    return zod_1.z.preprocess((v) => ((Array.isArray(v) && v.length === 0) || v === null || v === undefined ? {} : v), zod_1.z.record(zod_1.z.string(), value));
}
