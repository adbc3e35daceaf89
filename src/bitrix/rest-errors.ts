/**
 * Errors of the REST client, split by who failed: Bitrix24 refused the call (`ApiError`), the
 * network or the HTTP layer failed (`HttpError`), the OAuth server refused a refresh
 * (`AuthRefreshError`). None of them keeps the axios request/config around, so no webhook secret
 * or token can leak through an enumerable property.
 */
import { OpenlinesError, redact } from '../errors';

/** Bitrix24 error codes that are worth retrying later (rate and time limits, server trouble). */
const RETRYABLE_API_ERRORS = new Set([
  'QUERY_LIMIT_EXCEEDED',
  'OPERATION_TIME_LIMIT',
  'INTERNAL_SERVER_ERROR',
  'ERROR_UNEXPECTED_ANSWER',
  'OVERLOAD_LIMIT',
]);

export interface ApiErrorInit {
  /** Bitrix24 error code, e.g. `WRONG_CHAT`, `QUERY_LIMIT_EXCEEDED`. */
  error: string;
  /** `error_description` from the envelope (for logs; may change between Bitrix24 versions). */
  description?: string;
  /** HTTP status of the answer. */
  status: number;
  /** REST method that was called. */
  method: string;
  /** Milliseconds the server asked us to wait (`Retry-After`), if any. */
  retryAfterMs?: number;
}

/**
 * Bitrix24 answered with the `{ error, error_description }` envelope.
 *
 * @example
 * try { await api.imopenlines.bot.session.operator({ CHAT_ID: 1777 }) }
 * catch (e) { if (isApiError(e) && e.error === 'WRONG_CHAT') { ... already with a human ... } }
 */
export class ApiError extends OpenlinesError {
  readonly error: string;
  readonly description: string | undefined;
  readonly status: number;
  readonly method: string;
  /** True for 429, 5xx and the rate/time limit codes: a later attempt may succeed. */
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    const desc = init.description ? ` (${init.description})` : '';
    super('API_ERROR', `${init.method}: ${init.error}${desc} [HTTP ${init.status}]`);
    this.error = redact(init.error);
    this.description = init.description === undefined ? undefined : redact(init.description);
    this.status = init.status;
    this.method = init.method;
    this.retryAfterMs = init.retryAfterMs;
    this.retryable =
      init.status === 429 || init.status >= 500 || RETRYABLE_API_ERRORS.has(init.error);
  }

  override toJSON(): Record<string, unknown> {
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

export interface HttpErrorInit {
  /** `TIMEOUT` when the per-call timeout fired, `HTTP_ERROR` otherwise. */
  code?: 'HTTP_ERROR' | 'TIMEOUT';
  /** REST method (or `oauth.token` for the OAuth server). */
  method: string;
  /** What went wrong, without URLs or bodies: `ECONNRESET`, `aborted`, `invalid JSON`, ... */
  reason: string;
  /** HTTP status when an answer arrived (e.g. a 502 HTML page). */
  status?: number;
  /** Whether trying again may help; default: network errors, timeouts and 5xx. */
  retryable?: boolean;
  /** A secret-free description of the underlying failure (kept non-enumerable). */
  cause?: unknown;
  /**
   * The request left and may have been carried out, but no answer came (a timeout): sending it
   * again could do it twice (README trap 17). Default false.
   */
  outcomeUnknown?: boolean;
}

/**
 * The request did not produce a Bitrix24 envelope: connection failure, timeout, a non-JSON
 * answer, too many redirects, or an abort.
 *
 * @example
 * catch (e) { if (isHttpError(e) && e.code === 'TIMEOUT') metrics.inc('timeouts') }
 */
export class HttpError extends OpenlinesError {
  readonly method: string;
  readonly reason: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** True when the request may have been carried out although no answer came (see {@link HttpErrorInit.outcomeUnknown}). */
  readonly outcomeUnknown: boolean;

  constructor(init: HttpErrorInit) {
    const code = init.code ?? 'HTTP_ERROR';
    const status = init.status === undefined ? '' : ` [HTTP ${init.status}]`;
    super(
      code,
      `${init.method}: ${init.reason}${status}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.method = init.method;
    this.reason = redact(init.reason);
    this.status = init.status;
    this.outcomeUnknown = init.outcomeUnknown === true;
    this.retryable =
      !this.outcomeUnknown &&
      (init.retryable ?? (init.status === undefined || init.status === 429 || init.status >= 500));
  }

  override toJSON(): Record<string, unknown> {
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

export interface AuthRefreshErrorInit {
  /** OAuth error code (`invalid_grant`, `invalid_client`, ...) or a local reason (`persist_failed`, `network`). */
  error: string;
  description?: string;
  status?: number;
  cause?: unknown;
}

/**
 * Refreshing the OAuth tokens of a portal failed (or the new tokens could not be persisted).
 * `invalid_grant` means the refresh token is dead: the app must be reinstalled or re-authorised.
 *
 * @example
 * catch (e) { if (isAuthRefreshError(e) && e.error === 'invalid_grant') await markPortalDisconnected() }
 */
export class AuthRefreshError extends OpenlinesError {
  readonly error: string;
  readonly description: string | undefined;
  readonly status: number | undefined;

  constructor(init: AuthRefreshErrorInit) {
    const desc = init.description ? ` (${init.description})` : '';
    const status = init.status === undefined ? '' : ` [HTTP ${init.status}]`;
    super(
      'AUTH_REFRESH_FAILED',
      `OAuth token refresh failed: ${init.error}${desc}${status}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.error = redact(init.error);
    this.description = init.description === undefined ? undefined : redact(init.description);
    this.status = init.status;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      error: this.error,
      description: this.description,
      status: this.status,
    };
  }
}

function hasCode(e: unknown, codes: string[]): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as { isOpenlinesError?: unknown; code?: unknown };
  return x.isOpenlinesError === true && typeof x.code === 'string' && codes.includes(x.code);
}

/**
 * True for an {@link ApiError}, also across duplicated module copies.
 *
 * @example
 * if (isApiError(e) && e.error === 'OPERATOR_WRONG') return 'cannot transfer';
 */
export function isApiError(e: unknown): e is ApiError {
  return hasCode(e, ['API_ERROR']);
}

/**
 * True for an {@link HttpError} (codes `HTTP_ERROR` and `TIMEOUT`).
 *
 * @example
 * if (isHttpError(e) && e.retryable) scheduleRetry();
 */
export function isHttpError(e: unknown): e is HttpError {
  return hasCode(e, ['HTTP_ERROR', 'TIMEOUT']);
}

/**
 * True for an {@link AuthRefreshError}.
 *
 * @example
 * if (isAuthRefreshError(e)) logger.error({ err: e }, 'portal needs re-authorisation');
 */
export function isAuthRefreshError(e: unknown): e is AuthRefreshError {
  return hasCode(e, ['AUTH_REFRESH_FAILED']);
}

/**
 * True when a REST failure is transient (rate limit, 5xx, network, timeout) and may be retried.
 *
 * @example
 * if (isRetryableRestError(e)) await outbox.retryLater(item);
 */
export function isRetryableRestError(e: unknown): boolean {
  return (isApiError(e) || isHttpError(e)) && e.retryable;
}
