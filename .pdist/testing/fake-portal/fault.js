"use strict";
/**
 * Bitrix24-style refusals inside the fake portal, and helpers to read loosely typed parameters
 * the way PHP does (`"571"`, `571` and `"Y"` all count).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.Fault = void 0;
exports.fail = fail;
exports.statusFor = statusFor;
exports.intval = intval;
exports.strval = strval;
exports.boolval = boolval;
exports.objval = objval;
/** A refusal the portal answers with `{ error, error_description }` and an HTTP status. */
class Fault extends Error {
    error;
    status;
    constructor(error, description, status = statusFor(error)) {
        super(description);
        this.error = error;
        this.status = status;
    }
}
exports.Fault = Fault;
/** Throws a {@link Fault}. */
function fail(error, description, status = statusFor(error)) {
    throw new Fault(error, description, status);
}
const DEFAULT_STATUS = {
    QUERY_LIMIT_EXCEEDED: 503,
    OVERLOAD_LIMIT: 503,
    INTERNAL_SERVER_ERROR: 500,
    ERROR_UNEXPECTED_ANSWER: 500,
    PORTAL_DELETED: 500,
    expired_token: 401,
    NO_AUTH_FOUND: 401,
    invalid_token: 401,
    ACCESS_DENIED: 403,
    WRONG_AUTH_TYPE: 403,
    insufficient_scope: 403,
    INVALID_CREDENTIALS: 403,
    user_access_error: 403,
    BOT_OWNERSHIP_ERROR: 403,
    OPERATION_TIME_LIMIT: 429,
    ERROR_METHOD_NOT_FOUND: 404,
    ERROR_BATCH_METHOD_NOT_ALLOWED: 405,
};
/** The HTTP status Bitrix24 uses for an error code (400 when the code is method-specific). */
function statusFor(error) {
    return DEFAULT_STATUS[error] ?? 400;
}
/** PHP `intval`: `"1777"` → 1777, `"chat1777"` → 0, missing → 0. */
function intval(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) ? Math.trunc(value) : 0;
    if (typeof value === 'boolean')
        return value ? 1 : 0;
    if (typeof value !== 'string')
        return 0;
    const m = /^\s*([+-]?\d+)/.exec(value);
    return m ? Number(m[1]) : 0;
}
/** A scalar as a string (`null`/objects → ''). */
function strval(value) {
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    return '';
}
/** Bitrix booleans: `Y`, `y`, `1`, `true`, true. */
function boolval(value, fallback = false) {
    if (value === undefined || value === null || value === '')
        return fallback;
    if (typeof value === 'boolean')
        return value;
    const s = strval(value).toLowerCase();
    return s === 'y' || s === '1' || s === 'true';
}
/** A nested object parameter, or undefined. */
function objval(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}
