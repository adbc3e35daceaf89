"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createRestClient = createRestClient;
/**
 * The Bitrix24 REST client of one portal: webhook or OAuth auth, a shared leaky-bucket budget,
 * retries with backoff for transient failures, `batch` splitting, and typed errors.
 */
const axios_1 = __importDefault(require("axios"));
const clock_1 = require("../clock");
const errors_1 = require("../errors");
const metrics_1 = require("../metrics");
const batch_encoding_1 = require("./batch-encoding");
const bitrix_api_1 = require("./bitrix-api");
const http_send_1 = require("./http-send");
const oauth_auth_1 = require("./oauth-auth");
const rate_budget_1 = require("./rate-budget");
const rest_errors_1 = require("./rest-errors");
const retry_1 = require("./retry");
const webhook_auth_1 = require("./webhook-auth");
const METHOD_NAME = /^[A-Za-z0-9_.]+$/;
/** Refreshes one call may trigger (see `execute`). */
const MAX_REFRESHES_PER_CALL = 2;
/**
 * Creates the REST client of one portal.
 *
 * @example
 * const client = createRestClient({
 *   auth: { type: 'webhook', url: process.env.B24_WEBHOOK!, botToken: process.env.B24_BOT_TOKEN },
 * });
 * await client.api.imbot.v2.Chat.Message.send({ botId: 571, dialogId: 'chat1777', fields: { message: 'Hi' } });
 */
function createRestClient(options) {
    const clock = options.clock ?? clock_1.systemClock;
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
        throw new errors_1.ConfigError([`timeoutMs must be a positive number, got ${timeoutMs}`]);
    const http = axios_1.default.create({
        adapter: 'http',
        ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
        ...(options.httpsAgent ? { httpsAgent: options.httpsAgent } : {}),
    });
    const ax = options.axios ?? http;
    const userAgent = options.userAgent ?? 'openlines-bot';
    const auth = options.auth?.type === 'oauth'
        ? (0, oauth_auth_1.createOAuthAuth)(options.auth, { axios: ax, clock, timeoutMs, userAgent })
        : options.auth?.type === 'webhook'
            ? (0, webhook_auth_1.createWebhookAuth)(options.auth)
            : (() => {
                throw new errors_1.ConfigError(["auth.type must be 'webhook' or 'oauth'"]);
            })();
    const budget = options.rateBudget ?? (0, rate_budget_1.createRateBudget)({ clock });
    const policy = (0, retry_1.retryPolicy)(options.retries);
    const metrics = options.metrics ?? metrics_1.noopMetrics;
    const portal = auth.portalId;
    async function execute(method, body, o) {
        // A refresh may only pick up the tokens another process stored, which can have expired too:
        // a call gets two refreshes, and a third expiry is a real error.
        let refreshes = 0;
        for (let attempt = 0;;) {
            const waited = await budget.acquire(o.signal ? { signal: o.signal } : {});
            if (waited > 0)
                metrics.observe(metrics_1.METRIC.rateLimitWait, waited / 1000, { portal });
            const prepared = await auth.prepare(method, body);
            try {
                const answer = await (0, http_send_1.sendHttp)({
                    axios: ax,
                    clock,
                    verb: 'POST',
                    url: prepared.url,
                    body: serialize(method, prepared.body),
                    method,
                    timeoutMs: o.timeoutMs ?? timeoutMs,
                    ...(o.signal ? { signal: o.signal } : {}),
                    ...(options.maxRedirects === undefined ? {} : { maxRedirects: options.maxRedirects }),
                    userAgent,
                });
                const result = (0, http_send_1.resultOf)(method, answer);
                metrics.inc(metrics_1.METRIC.restRequestsTotal, { outcome: 'ok' });
                return result;
            }
            catch (e) {
                if ((0, rest_errors_1.isApiError)(e) &&
                    e.status === 401 &&
                    e.error === 'expired_token' &&
                    auth.refresh &&
                    refreshes < MAX_REFRESHES_PER_CALL) {
                    refreshes += 1;
                    metrics.inc(metrics_1.METRIC.restRequestsTotal, { outcome: 'expired' });
                    await auth.refresh(prepared.credential);
                    continue;
                }
                if ((0, rest_errors_1.isApiError)(e) && e.error === 'QUERY_LIMIT_EXCEEDED')
                    budget.saturate();
                if (o.noRetry || attempt >= policy.retries || !(0, retry_1.shouldRetry)(e)) {
                    metrics.inc(metrics_1.METRIC.restRequestsTotal, { outcome: 'failed' });
                    throw e;
                }
                const delay = (0, retry_1.backoffDelay)(policy, attempt, (0, rest_errors_1.isApiError)(e) ? e.retryAfterMs : undefined);
                metrics.inc(metrics_1.METRIC.restRequestsTotal, { outcome: 'retried' });
                options.logger?.warn({ portal, method, attempt: attempt + 1, delayMs: delay, err: e }, 'REST call failed, retrying');
                attempt += 1;
                await (0, retry_1.sleep)(clock, delay, method, o.signal);
            }
        }
    }
    const client = {
        portalId: portal,
        call(method, params = {}, o = {}) {
            if (typeof params !== 'object' || params === null || Array.isArray(params)) {
                return Promise.reject(new errors_1.ConfigError([`params of ${String(method)} must be an object`]));
            }
            if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
                return Promise.reject(new errors_1.ConfigError([`invalid REST method name: ${JSON.stringify(method)}`]));
            }
            if (method.toLowerCase() === 'batch')
                return Promise.reject(new errors_1.ConfigError(['use batch() for batch requests']));
            return execute(method, auth.decorate(method, params, o.botApiVersion), o);
        },
        async batch(calls, o = {}) {
            const out = [];
            let halted = false;
            for (let i = 0; i < calls.length; i += batch_encoding_1.BATCH_LIMIT) {
                const chunk = calls.slice(i, i + batch_encoding_1.BATCH_LIMIT);
                if (halted) {
                    out.push(...(0, batch_encoding_1.readBatchResult)(chunk.length, {}));
                    continue;
                }
                const cmd = (0, batch_encoding_1.buildBatchCommands)(chunk, (m, p, v) => auth.decorate(m, p, v));
                const answer = await execute('batch', { halt: o.halt ? 1 : 0, cmd }, o);
                const items = (0, batch_encoding_1.readBatchResult)(chunk.length, answer);
                out.push(...items);
                if (o.halt && items.some((r) => r.status === 'error'))
                    halted = true;
            }
            return out;
        },
    };
    return { ...client, api: (0, bitrix_api_1.createBitrixApi)(client) };
}
function serialize(method, body) {
    try {
        return JSON.stringify(body);
    }
    catch {
        throw new errors_1.ConfigError([`params of ${method} are not JSON-serialisable`]);
    }
}
