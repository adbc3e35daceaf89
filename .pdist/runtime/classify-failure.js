"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OUTCOME_UNKNOWN = void 0;
exports.classifyBatchError = classifyBatchError;
exports.classifyFailure = classifyFailure;
/**
 * Decides whether a failed effect is worth retrying. Who failed decides: the network and the
 * portal's limits are transient, a refusal by the method itself (`WRONG_CHAT`, `OPERATOR_WRONG`,
 * `ACCESS_DENIED`...) is permanent and goes back to the dialog as `effect.failed`.
 */
const rest_errors_1 = require("../bitrix/rest-errors");
const errors_1 = require("../errors");
/** Codes that mean "the portal's rate limit said not yet". */
const RATE_LIMIT_CODES = new Set(['QUERY_LIMIT_EXCEEDED']);
/** The `effect.failed` code of a send that timed out after it left: it may or may not have happened. */
exports.OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';
/** Bitrix24 error codes that mean "not now" rather than "no". */
const TRANSIENT_CODES = new Set([
    'QUERY_LIMIT_EXCEEDED',
    'OPERATION_TIME_LIMIT',
    'OVERLOAD_LIMIT',
    'INTERNAL_SERVER_ERROR',
    'ERROR_UNEXPECTED_ANSWER',
]);
/**
 * Classifies the error code of one `batch` sub-call (a sub-call has no HTTP status of its own).
 *
 * @example
 * classifyBatchError({ error: 'QUERY_LIMIT_EXCEEDED' }) // { transient: true, code: 'QUERY_LIMIT_EXCEEDED' }
 */
function classifyBatchError(options) {
    const out = { transient: TRANSIENT_CODES.has(options.error), code: options.error };
    if (options.description !== undefined)
        out.description = options.description;
    if (RATE_LIMIT_CODES.has(options.error))
        out.rateLimited = true;
    return out;
}
/**
 * Classifies an error thrown by `RestClient.call` / `.batch`: an `ApiError` is transient when the
 * client marked it `retryable` (503, 429, 5xx), an `HttpError` / timeout always is, a `ConfigError`
 * (the client refused to send the call at all) never is. Anything else
 * (an auth refresh that failed, an unexpected exception) is treated as transient too, so that it
 * ends as a visible dead letter rather than a silent drop.
 *
 * @example
 * classifyFailure({ error: apiError }) // { transient: false, code: 'WRONG_CHAT', description: 'Operator is not a bot' }
 */
function classifyFailure(options) {
    const e = options.error;
    // Sending it again could show the client the same message twice (README trap 17).
    if ((0, rest_errors_1.isHttpError)(e) && e.outcomeUnknown)
        return {
            transient: false,
            code: exports.OUTCOME_UNKNOWN,
            description: e.message,
            outcomeUnknown: true,
        };
    if ((0, errors_1.isOpenlinesError)(e) && e.code === 'API_ERROR') {
        const api = e;
        const code = typeof api.error === 'string' && api.error !== '' ? api.error : 'API_ERROR';
        const status = typeof api.status === 'number' ? api.status : 0;
        const transient = typeof api.retryable === 'boolean'
            ? api.retryable
            : status === 429 || status >= 500 || TRANSIENT_CODES.has(code);
        const out = { transient, code };
        if (typeof api.description === 'string')
            out.description = api.description;
        if (status === 429 || RATE_LIMIT_CODES.has(code)) {
            out.transient = true;
            out.rateLimited = true;
        }
        return out;
    }
    // The client refused the call itself (e.g. an invalid method name): another attempt would be refused too.
    if ((0, errors_1.isOpenlinesError)(e) && e.code === 'CONFIG')
        return { transient: false, code: e.code, description: e.message };
    // The shared rate budget lives in the store: unreachable, it only delays the effect.
    if ((0, errors_1.isOpenlinesError)(e) && e.code === 'STORE_ERROR')
        return { transient: true, code: e.code, description: e.message, rateLimited: true };
    if ((0, errors_1.isOpenlinesError)(e))
        return { transient: true, code: e.code, description: e.message };
    const message = e instanceof Error ? e.message : String(e);
    return { transient: true, code: 'UNEXPECTED', description: message };
}
