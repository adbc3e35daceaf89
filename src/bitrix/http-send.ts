/**
 * One HTTP exchange with Bitrix24 (or its OAuth server) through a transport (node's HTTP client
 * over keep-alive agents, or axios): our own timeout on the injected clock, our own redirect
 * handling (a renamed portal answers 302 and the POST must be repeated with its body, never turned
 * into a GET), and error objects that hold no request data.
 */
import type { Clock } from '../clock';
import { checkEndpoint } from './endpoint-url';
import { NOT_SENT, type HttpTransport } from './http-transport';
import { ApiError, HttpError } from './rest-errors';

export interface SendHttpOptions {
  transport: HttpTransport;
  clock: Clock;
  verb: 'GET' | 'POST';
  url: string;
  /** Serialized JSON body (POST); kept as a string so a redirect re-sends exactly the same bytes. */
  body?: string;
  /** REST method name, used in errors. */
  method: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Redirects followed before giving up (default 3). */
  maxRedirects?: number | undefined;
  userAgent?: string | undefined;
}

export interface HttpAnswer {
  status: number;
  /** Parsed JSON, or `undefined` when the body was not JSON. */
  json: unknown;
  /** Response headers, lower-case names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends one request (following redirects) and returns the raw answer of the final hop.
 *
 * @example
 * const answer = await sendHttp({ transport, clock, verb: 'POST', url, body: '{}', method: 'imbot.bot.list', timeoutMs: 30_000 });
 */
export async function sendHttp(o: SendHttpOptions): Promise<HttpAnswer> {
  const signal = o.signal;
  if (signal?.aborted)
    throw new HttpError({ method: o.method, reason: 'aborted', retryable: false });
  let timedOut = false;
  let aborted = false;
  let cancel: (() => void) | undefined;
  const timer = o.clock.setTimeout(() => {
    timedOut = true;
    cancel?.();
  }, o.timeoutMs);
  const onAbort = (): void => {
    aborted = true;
    cancel?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const maxRedirects = o.maxRedirects ?? 3;
  const userAgent = o.userAgent ?? 'openlines-bot';
  try {
    let url = o.url;
    for (let hop = 0; ; hop++) {
      let status: number;
      let headers: HttpAnswer['headers'];
      let data: unknown;
      try {
        // The timer or the signal may have fired during the previous hop's last tick.
        if (timedOut || aborted)
          throw Object.assign(new Error('cancelled'), { code: 'ERR_CANCELED' });
        const exchange = o.transport({ verb: o.verb, url, body: o.body, userAgent });
        cancel = exchange.cancel;
        ({ status, headers, data } = await exchange.answer);
      } catch (e) {
        throw networkError(e, o.method, timedOut, aborted, o.timeoutMs);
      } finally {
        cancel = undefined;
      }
      if (REDIRECTS.has(status)) {
        if (hop >= maxRedirects)
          throw new HttpError({
            method: o.method,
            reason: 'too many redirects',
            status,
            retryable: false,
          });
        const location = headers['location'];
        if (typeof location !== 'string' || location === '')
          throw new HttpError({
            method: o.method,
            reason: 'redirect without Location',
            status,
            retryable: false,
          });
        const next = checkEndpoint(new URL(location, url).toString(), 'redirect location');
        if (typeof next === 'string')
          throw new HttpError({
            method: o.method,
            reason: next,
            status,
            retryable: false,
          });
        url = next.toString();
        continue;
      }
      return { status, json: parseJson(data), headers };
    }
  } finally {
    o.clock.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Turns an answer into the `result` of a REST call, or throws: the `{error, error_description}`
 * envelope becomes an {@link ApiError}, anything that is not an envelope an {@link HttpError}.
 *
 * @example
 * const botId = resultOf<number>('imbot.register', answer);
 */
export function resultOf<T>(method: string, answer: HttpAnswer): T {
  const body = answer.json;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const env = body as { error?: unknown; error_description?: unknown; result?: unknown };
    if (typeof env.error === 'string' && env.error !== '') {
      throw new ApiError({
        error: env.error,
        description: typeof env.error_description === 'string' ? env.error_description : undefined,
        status: answer.status,
        method,
        retryAfterMs: retryAfterMs(answer.headers['retry-after']),
      });
    }
    if (answer.status >= 200 && answer.status < 300 && 'result' in env) return env.result as T;
  }
  if (answer.status >= 200 && answer.status < 300) {
    throw new HttpError({
      method,
      reason: 'answer is not a Bitrix24 envelope',
      status: answer.status,
      retryable: false,
    });
  }
  throw new HttpError({
    method,
    reason: 'HTTP error without an error envelope',
    status: answer.status,
  });
}

function networkError(
  e: unknown,
  method: string,
  timedOut: boolean,
  aborted: boolean,
  timeoutMs: number,
): HttpError {
  const code =
    typeof (e as { code?: unknown })?.code === 'string'
      ? (e as { code: string }).code
      : 'network error';
  // Only the code survives: a transport error's message, config and request can carry the URL
  // (webhook secret, OAuth query) in encodings that redaction might not recognise.
  const cause = Object.assign(new Error(`request failed (${code})`), { code });
  // Still waiting for a connection of the pool: nothing left, so trying again is safe.
  if (timedOut && code === NOT_SENT)
    return new HttpError({
      code: 'TIMEOUT',
      method,
      reason: `no connection free within ${timeoutMs} ms (not sent)`,
      retryable: true,
      cause,
    });
  // The request was sent: the portal may have carried it out. Not retried (README trap 17).
  if (timedOut)
    return new HttpError({
      code: 'TIMEOUT',
      method,
      reason: `no answer within ${timeoutMs} ms`,
      outcomeUnknown: true,
      cause,
    });
  if (aborted || code === 'ERR_CANCELED')
    return new HttpError({ method, reason: 'aborted', retryable: false, cause });
  return new HttpError({ method, reason: `request failed (${code})`, retryable: true, cause });
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const s = Number(value);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}
