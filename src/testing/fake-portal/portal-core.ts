/**
 * The transport-free heart of the fake portal: takes one HTTP request (method, path, query,
 * body), answers it like Bitrix24 would and logs every REST call. The loopback server and the
 * nock twin both feed requests through here, so the same scenario logs the same calls.
 */
import { randomBytes } from 'node:crypto';
import type { CallRecord, FakePortalOptions } from './types';
import { checkPortalOptions } from './check-options';
import { Fault, strval, type Params } from './fault';
import { createFailureRules, type FailureRules } from './failure-rules';
import { createLeakyBucket, type LeakyBucket } from './leaky-bucket';
import { eventGet } from './method-event-get';
import { runBatch, type SubCallOutcome } from './method-batch';
import { imbotV1Methods } from './methods-imbot-v1';
import { imbotV2Methods } from './methods-imbot-v2';
import { openlinesMethods } from './methods-openlines';
import { openlinesMoreMethods } from './methods-openlines-more';
import { imbotV2MoreMethods } from './methods-imbot-v2-more';
import { createOAuthTokens, type OAuthTokens } from './oauth-tokens';
import { decodeRequestParams } from './request-params';
import { createPortalState, timeBlock, type MethodHandler, type PortalState } from './portal-state';

export interface CoreRequest {
  method: string;
  /** Path without query, e.g. `/rest/1/secret/imbot.message.add.json`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  contentType?: string;
  body: string;
}

export type CoreResponse =
  | { kind: 'reply'; status: number; body: unknown }
  | { kind: 'destroy' }
  /** Never answer: the request was handled, the answer is lost in a stalled connection. */
  | { kind: 'stall' };

export interface PortalConfig {
  memberId: string;
  domain: string;
  applicationToken: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  webhookUserId: number;
}

export interface PortalCore {
  readonly config: PortalConfig;
  readonly clock: { now(): number };
  state: PortalState;
  readonly calls: CallRecord[];
  readonly counters: { requests: number; rejected503: number };
  readonly failures: FailureRules;
  readonly oauth: OAuthTokens;
  readonly bucket: LeakyBucket | undefined;
  /** Current public base address (set by the transport; used in token answers). */
  base: () => string;
  handle(request: CoreRequest): CoreResponse;
  reset(options?: { keepState?: boolean }): void;
}

const METHODS: Record<string, MethodHandler> = {
  ...imbotV1Methods,
  ...imbotV2Methods,
  'imbot.v2.event.get': eventGet,
  ...openlinesMethods,
  ...openlinesMoreMethods,
  ...imbotV2MoreMethods,
};

const reply = (status: number, body: unknown): CoreResponse => ({ kind: 'reply', status, body });
const errorBody = (f: Fault) => ({ error: f.error, error_description: f.message });

/**
 * Creates the core of one portal.
 *
 * @example
 * const core = createPortalCore({ clock: { now: () => 0 } });
 * core.handle({ method: 'POST', path: `/rest/1/${core.config.webhookSecret}/imbot.bot.list`, query: '', body: '' });
 */
export function createPortalCore(options: FakePortalOptions = {}): PortalCore {
  checkPortalOptions(options);
  const clock = options.clock ?? { now: () => Date.now() };
  const config: PortalConfig = {
    memberId: options.memberId ?? randomBytes(16).toString('hex'),
    domain: options.domain ?? 'fake.bitrix24.test',
    applicationToken: options.applicationToken ?? randomBytes(16).toString('hex'),
    clientId: options.clientId ?? `local.${randomBytes(7).toString('hex')}`,
    clientSecret: options.clientSecret ?? randomBytes(24).toString('hex'),
    webhookSecret: options.webhookSecret ?? randomBytes(8).toString('hex'),
    webhookUserId: options.webhookUserId ?? 1,
  };
  const limit = options.rateLimit === false ? undefined : options.rateLimit ?? {};
  const bucket = limit
    ? createLeakyBucket({ burst: limit.burst ?? 50, drainPerSecond: limit.drainPerSecond ?? 2, clock })
    : undefined;
  const failures = createFailureRules();
  const scopes = options.scopes ?? ['imbot', 'imopenlines', 'im', 'crm'];
  const oauth = createOAuthTokens({ clientId: config.clientId, clientSecret: config.clientSecret, ttlSeconds: options.tokenTtlSeconds ?? 3600, clock });
  const calls: CallRecord[] = [];
  const counters = { requests: 0, rejected503: 0 };
  const stateOptions = {
    ...(options.lines ? { lines: options.lines } : {}),
    ...(options.firstBotId ? { firstBotId: options.firstBotId } : {}),
    ...(options.eventGetMinIntervalMs !== undefined ? { eventGetMinIntervalMs: options.eventGetMinIntervalMs } : {}),
  };

  const core: PortalCore = {
    config,
    clock,
    state: createPortalState(stateOptions),
    calls,
    counters,
    failures,
    oauth,
    bucket,
    base: () => '',
    handle,
    reset(resetOptions = {}) {
      calls.length = 0;
      counters.requests = 0;
      counters.rejected503 = 0;
      failures.clear();
      bucket?.reset();
      if (!resetOptions.keepState) core.state = createPortalState(stateOptions);
    },
  };

  function log(record: Omit<CallRecord, 'at'>): CallRecord {
    const full: CallRecord = { ...record, at: clock.now() };
    calls.push(full);
    return full;
  }

  /** Executes one REST method (top-level or inside a batch), with injected failures. */
  function execute(record: CallRecord, auth: CallRecord['auth']): SubCallOutcome {
    const injected = failures.next(record.method);
    const run = (): SubCallOutcome => {
      const handler =
        record.method.toLowerCase() === 'scope' ? () => [...scopes] : METHODS[record.method.toLowerCase()];
      if (!handler) return { ok: false, fault: new Fault('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404) };
      try {
        // Handlers get a copy: the log keeps what was sent, even if a handler normalises values.
        return { ok: true, result: handler(structuredClone(record.params), { state: core.state, auth, now: clock.now(), method: record.method }) };
      } catch (e) {
        if (e instanceof Fault) return { ok: false, fault: e };
        return { ok: false, fault: new Fault('INTERNAL_SERVER_ERROR', String(e), 500) };
      }
    };
    let outcome: SubCallOutcome | undefined;
    if (injected?.stall) {
      const done = run();
      record.error = 'STALLED';
      if ('ok' in done && !done.ok) record.error = done.fault.error;
      return { stall: true };
    }
    if (injected?.afterEffect) outcome = run();
    if (injected) outcome = injected.network ? { network: true } : { ok: false, fault: new Fault(injected.error, injected.description, injected.status) };
    outcome ??= run();
    if ('network' in outcome) record.error = 'NETWORK';
    else if ('stall' in outcome) record.error = 'STALLED';
    else if (!outcome.ok) record.error = outcome.fault.error;
    return outcome;
  }

  function answer(outcome: SubCallOutcome): CoreResponse {
    if ('network' in outcome) return { kind: 'destroy' };
    if ('stall' in outcome) return { kind: 'stall' };
    if (!outcome.ok) {
      if (outcome.fault.status === 503) counters.rejected503 += 1;
      return reply(outcome.fault.status, errorBody(outcome.fault));
    }
    return reply(200, { result: outcome.result, time: timeBlock(clock.now()) });
  }

  function handleToken(request: CoreRequest): CoreResponse {
    const injected = failures.next('oauth/token');
    if (injected?.network) return { kind: 'destroy' };
    if (injected) return reply(injected.status, { error: injected.error, error_description: injected.description });
    try {
      const base = core.base();
      return reply(200, {
        ...oauth.refresh(decodeRequestParams(request)),
        client_endpoint: `${base}/rest/`,
        server_endpoint: `${base}/rest/`,
        domain: base.replace(/^https?:\/\//, ''),
        member_id: config.memberId,
      });
    } catch (e) {
      if (e instanceof Fault) return reply(e.status, errorBody(e));
      throw e;
    }
  }

  function handle(request: CoreRequest): CoreResponse {
    counters.requests += 1;
    const httpRequest = counters.requests;
    if (/^\/oauth\/token\/?$/.test(request.path)) return handleToken(request);
    const m = /^\/rest\/(?:(\d+)\/([^/]+)\/)?([^/]+?)(?:\.(?:json|xml))?\/?$/.exec(request.path);
    if (!m?.[3]) return reply(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    const method = decodeURIComponent(m[3]);
    const auth: CallRecord['auth'] = m[2] === undefined ? 'oauth' : 'webhook';
    let params: Params;
    try {
      params = decodeRequestParams(request);
    } catch (e) {
      const fault = e instanceof Fault ? e : new Fault('INVALID_REQUEST', 'Malformed request body', 400);
      log({ method, params: {}, auth, viaBatch: false, httpRequest, error: fault.error });
      return reply(fault.status, errorBody(fault));
    }
    const token = strval(params.auth ?? params.access_token) || undefined;
    delete params.auth;
    delete params.access_token;
    const record = log({ method, params, auth, viaBatch: false, httpRequest });
    const refuse = (fault: Fault): CoreResponse => {
      record.error = fault.error;
      return answer({ ok: false, fault });
    };
    if (bucket && !bucket.take()) return refuse(new Fault('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503));
    if (auth === 'webhook') {
      if (Number(m[1]) !== config.webhookUserId || m[2] !== config.webhookSecret) {
        return refuse(new Fault('NO_AUTH_FOUND', 'Wrong authorization data', 401));
      }
    } else {
      try {
        oauth.check(token);
      } catch (e) {
        return refuse(e as Fault);
      }
    }
    if (method.toLowerCase() !== 'batch') return answer(execute(record, auth));
    const injected = failures.next('batch');
    if (injected?.network) return { kind: 'destroy' };
    if (injected && !injected.stall) return refuse(new Fault(injected.error, injected.description, injected.status));
    try {
      const outcome = runBatch({
        params,
        now: clock.now(),
        run: (key, subMethod, subParams) =>
          execute(log({ method: subMethod, params: subParams, auth, viaBatch: true, batchKey: key, httpRequest }), auth),
      });
      if ('network' in outcome) return { kind: 'destroy' };
      if ('stall' in outcome || injected?.stall) {
        record.error = 'STALLED';
        return { kind: 'stall' };
      }
      return answer({ ok: true, result: outcome.result });
    } catch (e) {
      if (e instanceof Fault) return refuse(e);
      throw e;
    }
  }

  return core;
}
