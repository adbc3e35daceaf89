"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuthRefreshError = exports.HttpError = exports.ApiError = void 0;
exports.isApiError = isApiError;
exports.isHttpError = isHttpError;
exports.isAuthRefreshError = isAuthRefreshError;
exports.isRetryableRestError = isRetryableRestError;
/**
 * Errors of the REST client, split by who failed: Bitrix24 refused the call (`ApiError`), the
 * network or the HTTP layer failed (`HttpError`), the OAuth server refused a refresh
 * (`AuthRefreshError`). None of them keeps the axios request/config around, so no webhook secret
 * or token can leak through an enumerable property.
 */
const errors_1 = require("../errors");
/** Bitrix24 error codes that are worth retrying later (rate and time limits, server trouble). */
const RETRYABLE_API_ERRORS = new Set([
    'QUERY_LIMIT_EXCEEDED',
    'OPERATION_TIME_LIMIT',
    'INTERNAL_SERVER_ERROR',
    'ERROR_UNEXPECTED_ANSWER',
    'OVERLOAD_LIMIT',
]);
/**
 * Bitrix24 answered with the `{ error, error_description }` envelope.
 *
 * @example
 * try { await api.imopenlines.bot.session.operator({ CHAT_ID: 1777 }) }
 * catch (e) { if (isApiError(e) && e.error === 'WRONG_CHAT') { ... already with a human ... } }
 */
class ApiError extends errors_1.OpenlinesError {
    error;
    description;
    status;
    method;
    /** True for 429, 5xx and the rate/time limit codes: a later attempt may succeed. */
    retryable;
    retryAfterMs;
    constructor(init) {
        const desc = init.description ? ` (${init.description})` : '';
        super('API_ERROR', `${init.method}: ${init.error}${desc} [HTTP ${init.status}]`);
        this.error = (0, errors_1.redact)(init.error);
        this.description = init.description === undefined ? undefined : (0, errors_1.redact)(init.description);
        this.status = init.status;
        this.method = init.method;
        this.retryAfterMs = init.retryAfterMs;
        this.retryable =
            init.status === 429 || init.status >= 500 || RETRYABLE_API_ERRORS.has(init.error);
    }
    toJSON() {
        return {
            ...super.toJSON(),
            error: this.error,
            description: this.description,
            status: this.status,
            method: this.method,
            retryable: this.retryable,
        };
    }
}
exports.ApiError = ApiError;
/**
 * The request did not produce a Bitrix24 envelope: connection failure, timeout, a non-JSON
 * answer, too many redirects, or an abort.
 *
 * @example
 * catch (e) { if (isHttpError(e) && e.code === 'TIMEOUT') metrics.inc('timeouts') }
 */
class HttpError extends errors_1.OpenlinesError {
    method;
    reason;
    status;
    retryable;
    /** True when the request may have been carried out although no answer came (see {@link HttpErrorInit.outcomeUnknown}). */
    outcomeUnknown;
    constructor(init) {
        const code = init.code ?? 'HTTP_ERROR';
        const status = init.status === undefined ? '' : ` [HTTP ${init.status}]`;
        super(code, `${init.method}: ${init.reason}${status}`, init.cause === undefined ? undefined : { cause: init.cause });
        this.method = init.method;
        this.reason = (0, errors_1.redact)(init.reason);
        this.status = init.status;
        this.outcomeUnknown = init.outcomeUnknown === true;
        this.retryable =
            !this.outcomeUnknown &&
                (init.retryable ?? (init.status === undefined || init.status === 429 || init.status >= 500));
    }
    toJSON() {
        return {
            ...super.toJSON(),
            method: this.method,
            reason: this.reason,
            status: this.status,
            retryable: this.retryable,
            outcomeUnknown: this.outcomeUnknown,
        };
    }
}
exports.HttpError = HttpError;
/**
 * Refreshing the OAuth tokens of a portal failed (or the new tokens could not be persisted).
 * `invalid_grant` means the refresh token is dead: the app must be reinstalled or re-authorised.
 *
 * @example
 * catch (e) { if (isAuthRefreshError(e) && e.error === 'invalid_grant') await markPortalDisconnected() }
 */
class AuthRefreshError extends errors_1.OpenlinesError {
    error;
    description;
    status;
    constructor(init) {
        const desc = init.description ? ` (${init.description})` : '';
        const status = init.status === undefined ? '' : ` [HTTP ${init.status}]`;
        super('AUTH_REFRESH_FAILED', `OAuth token refresh failed: ${init.error}${desc}${status}`, init.cause === undefined ? undefined : { cause: init.cause });
        this.error = (0, errors_1.redact)(init.error);
        this.description = init.description === undefined ? undefined : (0, errors_1.redact)(init.description);
        this.status = init.status;
    }
    toJSON() {
        return {
            ...super.toJSON(),
            error: this.error,
            description: this.description,
            status: this.status,
        };
    }
}
exports.AuthRefreshError = AuthRefreshError;
function hasCode(e, codes) {
    if (typeof e !== 'object' || e === null)
        return false;
    const x = e;
    return x.isOpenlinesError === true && typeof x.code === 'string' && codes.includes(x.code);
}
/**
 * True for an {@link ApiError}, also across duplicated module copies.
 *
 * @example
 * if (isApiError(e) && e.error === 'OPERATOR_WRONG') return 'cannot transfer';
 */
function isApiError(e) {
    return hasCode(e, ['API_ERROR']);
}
/**
 * True for an {@link HttpError} (codes `HTTP_ERROR` and `TIMEOUT`).
 *
 * @example
 * if (isHttpError(e) && e.retryable) scheduleRetry();
 */
function isHttpError(e) {
    return hasCode(e, ['HTTP_ERROR', 'TIMEOUT']);
}
/**
 * True for an {@link AuthRefreshError}.
 *
 * @example
 * if (isAuthRefreshError(e)) logger.error({ err: e }, 'portal needs re-authorisation');
 */
function isAuthRefreshError(e) {
    return hasCode(e, ['AUTH_REFRESH_FAILED']);
}
/**
 * True when a REST failure is transient (rate limit, 5xx, network, timeout) and may be retried.
 *
 * @example
 * if (isRetryableRestError(e)) await outbox.retryLater(item);
 */
function isRetryableRestError(e) {
    return (isApiError(e) || isHttpError(e)) && e.retryable;
}
