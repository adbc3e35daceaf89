/**
 * The Bitrix24 REST client of one portal: webhook or OAuth auth, a shared leaky-bucket budget,
 * retries with backoff for transient failures, `batch` splitting, and typed errors. Requests go
 * out through node's HTTP client over the client's own keep-alive connections (at most
 * {@link MAX_SOCKETS_PER_HOST} per host), so build one client per portal and keep it.
 */
import axios, { type AxiosInstance } from 'axios';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { systemClock, type Clock } from '../clock';
import { ConfigError } from '../errors';
import type { Logger } from '../logger';
import { METRIC, noopMetrics, type Metrics } from '../metrics';
import { BATCH_LIMIT, buildBatchCommands, readBatchResult } from './batch-encoding';
import { createBitrixApi, type BitrixApi } from './bitrix-api';
import { resultOf, sendHttp } from './http-send';
import {
  createAxiosTransport,
  createNodeTransport,
  proxyConfiguredInEnv,
  type HttpTransport,
} from './http-transport';
import { createOAuthAuth, type OAuthAuthOptions } from './oauth-auth';
import { createRateBudget, type RateBudget } from './rate-budget';
import type { RestAuth } from './rest-auth';
import { isApiError } from './rest-errors';
import { backoffDelay, retryPolicy, shouldRetry, sleep, type RetryOptions } from './retry';
import type { BatchCall, BatchItemResult, CallOptions, RestClient, RestParams } from './types';
import { createWebhookAuth, type WebhookAuthOptions } from './webhook-auth';

export type RestClientAuth = WebhookAuthOptions | OAuthAuthOptions;

export interface RestClientOptions {
  auth: RestClientAuth;
  /** The portal's request budget; share one per portal. Default: a fresh 50/2 budget. */
  rateBudget?: RateBudget;
  clock?: Clock;
  /** Per-request timeout in ms (default 30 000, below Bitrix24's 60 s cut-off). */
  timeoutMs?: number;
  retries?: RetryOptions;
  logger?: Logger;
  metrics?: Metrics;
  /**
   * Your own axios instance (proxies, interceptors); redirects and timeouts are still handled here.
   * Without it requests go through node's HTTP client, or through axios when the environment
   * names a proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`).
   */
  axios?: AxiosInstance;
  /** Agents for the client's connections; default: keep-alive agents of this client's own. */
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
  /** Redirects (renamed portal) followed per request, default 3. */
  maxRedirects?: number;
  userAgent?: string;
}

/** A REST client with the typed methods in `api`. */
export interface BitrixRestClient extends RestClient {
  readonly api: BitrixApi;
}

const METHOD_NAME = /^[A-Za-z0-9_.]+$/;
const NO_OPTIONS = Object.freeze({});
const OUTCOME_OK = { outcome: 'ok' };
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
export function createRestClient(options: RestClientOptions): BitrixRestClient {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new ConfigError([`timeoutMs must be a positive number, got ${timeoutMs}`]);
  const transport: HttpTransport = options.axios
    ? createAxiosTransport(options.axios)
    : proxyConfiguredInEnv()
      ? createAxiosTransport(
          axios.create({
            adapter: 'http',
            ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
            ...(options.httpsAgent ? { httpsAgent: options.httpsAgent } : {}),
          }),
        )
      : createNodeTransport({ httpAgent: options.httpAgent, httpsAgent: options.httpsAgent });
  const userAgent = options.userAgent ?? 'openlines-bot';
  const auth: RestAuth =
    options.auth?.type === 'oauth'
      ? createOAuthAuth(options.auth, { transport, clock, timeoutMs, userAgent })
      : options.auth?.type === 'webhook'
        ? createWebhookAuth(options.auth)
        : (() => {
            throw new ConfigError(["auth.type must be 'webhook' or 'oauth'"]);
          })();
  const budget = options.rateBudget ?? createRateBudget({ clock });
  const policy = retryPolicy(options.retries);
  const metrics = options.metrics ?? noopMetrics;
  const portal = auth.portalId;

  async function execute<T>(method: string, body: RestParams, o: CallOptions): Promise<T> {
    // A refresh may only pick up the tokens another process stored, which can have expired too:
    // a call gets two refreshes, and a third expiry is a real error.
    let refreshes = 0;
    for (let attempt = 0; ;) {
      const waited = await budget.acquire(o.signal ? { signal: o.signal } : NO_OPTIONS);
      if (waited > 0) metrics.observe(METRIC.rateLimitWait, waited / 1000, { portal });
      const prepared = await auth.prepare(method, body);
      try {
        const answer = await sendHttp({
          transport,
          clock,
          verb: 'POST',
          url: prepared.url,
          body: serialize(method, prepared.body),
          method,
          timeoutMs: o.timeoutMs ?? timeoutMs,
          signal: o.signal,
          maxRedirects: options.maxRedirects,
          userAgent,
        });
        const result = resultOf<T>(method, answer);
        metrics.inc(METRIC.restRequestsTotal, OUTCOME_OK);
        return result;
      } catch (e) {
        if (
          isApiError(e) &&
          e.status === 401 &&
          e.error === 'expired_token' &&
          auth.refresh &&
          refreshes < MAX_REFRESHES_PER_CALL
        ) {
          refreshes += 1;
          metrics.inc(METRIC.restRequestsTotal, { outcome: 'expired' });
          await auth.refresh(prepared.credential);
          continue;
        }
        if (isApiError(e) && e.error === 'QUERY_LIMIT_EXCEEDED') budget.saturate();
        if (o.noRetry || attempt >= policy.retries || !shouldRetry(e)) {
          metrics.inc(METRIC.restRequestsTotal, { outcome: 'failed' });
          throw e;
        }
        const delay = backoffDelay(policy, attempt, isApiError(e) ? e.retryAfterMs : undefined);
        metrics.inc(METRIC.restRequestsTotal, { outcome: 'retried' });
        options.logger?.warn(
          { portal, method, attempt: attempt + 1, delayMs: delay, err: e },
          'REST call failed, retrying',
        );
        attempt += 1;
        await sleep(clock, delay, method, o.signal);
      }
    }
  }

  const client: RestClient = {
    portalId: portal,
    call<T = unknown>(method: string, params: RestParams = {}, o: CallOptions = {}): Promise<T> {
      if (typeof params !== 'object' || params === null || Array.isArray(params)) {
        return Promise.reject(new ConfigError([`params of ${String(method)} must be an object`]));
      }
      if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
        return Promise.reject(
          new ConfigError([`invalid REST method name: ${JSON.stringify(method)}`]),
        );
      }
      if (method.toLowerCase() === 'batch')
        return Promise.reject(new ConfigError(['use batch() for batch requests']));
      return execute<T>(method, auth.decorate(method, params, o.botApiVersion), o);
    },
    async batch(
      calls: BatchCall[],
      o: CallOptions & { halt?: boolean } = {},
    ): Promise<BatchItemResult[]> {
      const out: BatchItemResult[] = [];
      let halted = false;
      for (let i = 0; i < calls.length; i += BATCH_LIMIT) {
        const chunk = calls.slice(i, i + BATCH_LIMIT);
        if (halted) {
          out.push(...readBatchResult(chunk.length, {}));
          continue;
        }
        const cmd = buildBatchCommands(chunk, (m, p, v) => auth.decorate(m, p, v));
        const answer = await execute<unknown>('batch', { halt: o.halt ? 1 : 0, cmd }, o);
        const items = readBatchResult(chunk.length, answer);
        out.push(...items);
        if (o.halt && items.some((r) => r.status === 'error')) halted = true;
      }
      return out;
    },
  };
  return { ...client, api: createBitrixApi(client) };
}

function serialize(method: string, body: RestParams): string {
  try {
    return JSON.stringify(body);
  } catch {
    throw new ConfigError([`params of ${method} are not JSON-serialisable`]);
  }
}
