/**
 * Decides whether a failed effect is worth retrying. Who failed decides: the network and the
 * portal's limits are transient, a refusal by the method itself (`WRONG_CHAT`, `OPERATOR_WRONG`,
 * `ACCESS_DENIED`...) is permanent and goes back to the dialog as `effect.failed`.
 */
import { isHttpError } from '../bitrix/rest-errors';
import { isOpenlinesError } from '../errors';

/** How a failure is treated. */
export interface FailureClass {
  transient: boolean;
  /** Bitrix24 error code (`WRONG_CHAT`), or the framework's (`HTTP_ERROR`, `OUTCOME_UNKNOWN`). */
  code: string;
  description?: string;
  /**
   * The portal's rate limit refused the call (503 `QUERY_LIMIT_EXCEEDED`, 429), or the shared
   * rate budget could not be reached: the effect is delayed, and the attempt never counts toward
   * a dead letter.
   */
  rateLimited?: boolean;
  /** The request may have been carried out (a timeout after it left): never resent. */
  outcomeUnknown?: boolean;
}

/** Codes that mean "the portal's rate limit said not yet". */
const RATE_LIMIT_CODES = new Set(['QUERY_LIMIT_EXCEEDED']);

/** The `effect.failed` code of a send that timed out after it left: it may or may not have happened. */
export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

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
export function classifyBatchError(options: { error: string; description?: string }): FailureClass {
  const out: FailureClass = { transient: TRANSIENT_CODES.has(options.error), code: options.error };
  if (options.description !== undefined) out.description = options.description;
  if (RATE_LIMIT_CODES.has(options.error)) out.rateLimited = true;
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
export function classifyFailure(options: { error: unknown }): FailureClass {
  const e = options.error;
  // Sending it again could show the client the same message twice (README trap 17).
  if (isHttpError(e) && e.outcomeUnknown)
    return {
      transient: false,
      code: OUTCOME_UNKNOWN,
      description: e.message,
      outcomeUnknown: true,
    };
  if (isOpenlinesError(e) && e.code === 'API_ERROR') {
    const api = e as unknown as {
      error?: unknown;
      description?: unknown;
      status?: unknown;
      retryable?: unknown;
    };
    const code = typeof api.error === 'string' && api.error !== '' ? api.error : 'API_ERROR';
    const status = typeof api.status === 'number' ? api.status : 0;
    const transient =
      typeof api.retryable === 'boolean'
        ? api.retryable
        : status === 429 || status >= 500 || TRANSIENT_CODES.has(code);
    const out: FailureClass = { transient, code };
    if (typeof api.description === 'string') out.description = api.description;
    if (status === 429 || RATE_LIMIT_CODES.has(code)) {
      out.transient = true;
      out.rateLimited = true;
    }
    return out;
  }
  // The client refused the call itself (e.g. an invalid method name): another attempt would be refused too.
  if (isOpenlinesError(e) && e.code === 'CONFIG')
    return { transient: false, code: e.code, description: e.message };
  // The shared rate budget lives in the store: unreachable, it only delays the effect.
  if (isOpenlinesError(e) && e.code === 'STORE_ERROR')
    return { transient: true, code: e.code, description: e.message, rateLimited: true };
  if (isOpenlinesError(e)) return { transient: true, code: e.code, description: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { transient: true, code: 'UNEXPECTED', description: message };
}
