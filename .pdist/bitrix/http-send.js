"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sendHttp = sendHttp;
exports.resultOf = resultOf;
const endpoint_url_1 = require("./endpoint-url");
const rest_errors_1 = require("./rest-errors");
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/**
 * Sends one request (following redirects) and returns the raw answer of the final hop.
 *
 * @example
 * const answer = await sendHttp({ axios, clock, verb: 'POST', url, body: '{}', method: 'imbot.bot.list', timeoutMs: 30_000 });
 */
async function sendHttp(o) {
    if (o.signal?.aborted)
        throw new rest_errors_1.HttpError({ method: o.method, reason: 'aborted', retryable: false });
    const controller = new AbortController();
    let timedOut = false;
    const timer = o.clock.setTimeout(() => {
        timedOut = true;
        controller.abort();
    }, o.timeoutMs);
    const onAbort = () => controller.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const maxRedirects = o.maxRedirects ?? 3;
    try {
        let url = o.url;
        for (let hop = 0;; hop++) {
            let res;
            try {
                res = await o.axios.request({
                    url,
                    method: o.verb,
                    data: o.body,
                    signal: controller.signal,
                    maxRedirects: 0,
                    validateStatus: () => true,
                    responseType: 'text',
                    transformResponse: (d) => d,
                    timeout: 0,
                    headers: {
                        Accept: 'application/json',
                        'User-Agent': o.userAgent ?? 'openlines-bot',
                        ...(o.body === undefined ? {} : { 'Content-Type': 'application/json' }),
                    },
                });
            }
            catch (e) {
                throw networkError(e, o.method, timedOut, o.timeoutMs);
            }
            const headers = flatHeaders(res.headers);
            if (REDIRECTS.has(res.status)) {
                if (hop >= maxRedirects)
                    throw new rest_errors_1.HttpError({
                        method: o.method,
                        reason: 'too many redirects',
                        status: res.status,
                        retryable: false,
                    });
                const location = headers['location'];
                if (!location)
                    throw new rest_errors_1.HttpError({
                        method: o.method,
                        reason: 'redirect without Location',
                        status: res.status,
                        retryable: false,
                    });
                const next = (0, endpoint_url_1.checkEndpoint)(new URL(location, url).toString(), 'redirect location');
                if (typeof next === 'string')
                    throw new rest_errors_1.HttpError({
                        method: o.method,
                        reason: next,
                        status: res.status,
                        retryable: false,
                    });
                url = next.toString();
                continue;
            }
            return { status: res.status, json: parseJson(res.data), headers };
        }
    }
    finally {
        o.clock.clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
    }
}
/**
 * Turns an answer into the `result` of a REST call, or throws: the `{error, error_description}`
 * envelope becomes an {@link ApiError}, anything that is not an envelope an {@link HttpError}.
 *
 * @example
 * const botId = resultOf<number>('imbot.register', answer);
 */
function resultOf(method, answer) {
    const body = answer.json;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
        const env = body;
        if (typeof env.error === 'string' && env.error !== '') {
            throw new rest_errors_1.ApiError({
                error: env.error,
                description: typeof env.error_description === 'string' ? env.error_description : undefined,
                status: answer.status,
                method,
                retryAfterMs: retryAfterMs(answer.headers['retry-after']),
            });
        }
        if (answer.status >= 200 && answer.status < 300 && 'result' in env)
            return env.result;
    }
    if (answer.status >= 200 && answer.status < 300) {
        throw new rest_errors_1.HttpError({
            method,
            reason: 'answer is not a Bitrix24 envelope',
            status: answer.status,
            retryable: false,
        });
    }
    throw new rest_errors_1.HttpError({
        method,
        reason: 'HTTP error without an error envelope',
        status: answer.status,
    });
}
function networkError(e, method, timedOut, timeoutMs) {
    const code = typeof e?.code === 'string'
        ? e.code
        : 'network error';
    // Only the code survives: the axios error's message, config and request can carry the URL (webhook
    // secret, OAuth query) in encodings that redaction might not recognise.
    const cause = Object.assign(new Error(`request failed (${code})`), { code });
    // The request was sent: the portal may have carried it out. Not retried (README trap 17).
    if (timedOut)
        return new rest_errors_1.HttpError({
            code: 'TIMEOUT',
            method,
            reason: `no answer within ${timeoutMs} ms`,
            outcomeUnknown: true,
            cause,
        });
    if (code === 'ERR_CANCELED')
        return new rest_errors_1.HttpError({ method, reason: 'aborted', retryable: false, cause });
    return new rest_errors_1.HttpError({ method, reason: `request failed (${code})`, retryable: true, cause });
}
function parseJson(data) {
    if (typeof data !== 'string')
        return data;
    try {
        return JSON.parse(data);
    }
    catch {
        return undefined;
    }
}
function flatHeaders(h) {
    const out = {};
    if (h && typeof h === 'object') {
        for (const [k, v] of Object.entries(h)) {
            if (typeof v === 'string')
                out[k.toLowerCase()] = v;
            else if (typeof v === 'number')
                out[k.toLowerCase()] = String(v);
        }
    }
    return out;
}
function retryAfterMs(value) {
    if (!value)
        return undefined;
    const s = Number(value);
    return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}
