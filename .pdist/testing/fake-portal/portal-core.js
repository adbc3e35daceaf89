"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createPortalCore = createPortalCore;
/**
 * The transport-free heart of the fake portal: takes one HTTP request (method, path, query,
 * body), answers it like Bitrix24 would and logs every REST call. The loopback server and the
 * nock twin both feed requests through here, so the same scenario logs the same calls.
 */
const node_crypto_1 = require("node:crypto");
const check_options_1 = require("./check-options");
const fault_1 = require("./fault");
const failure_rules_1 = require("./failure-rules");
const leaky_bucket_1 = require("./leaky-bucket");
const method_event_get_1 = require("./method-event-get");
const method_batch_1 = require("./method-batch");
const methods_imbot_v1_1 = require("./methods-imbot-v1");
const methods_imbot_v2_1 = require("./methods-imbot-v2");
const methods_openlines_1 = require("./methods-openlines");
const methods_openlines_more_1 = require("./methods-openlines-more");
const methods_imbot_v2_more_1 = require("./methods-imbot-v2-more");
const oauth_tokens_1 = require("./oauth-tokens");
const request_params_1 = require("./request-params");
const portal_state_1 = require("./portal-state");
const METHODS = {
    ...methods_imbot_v1_1.imbotV1Methods,
    ...methods_imbot_v2_1.imbotV2Methods,
    'imbot.v2.event.get': method_event_get_1.eventGet,
    ...methods_openlines_1.openlinesMethods,
    ...methods_openlines_more_1.openlinesMoreMethods,
    ...methods_imbot_v2_more_1.imbotV2MoreMethods,
};
const reply = (status, body) => ({ kind: 'reply', status, body });
const errorBody = (f) => ({ error: f.error, error_description: f.message });
/**
 * Creates the core of one portal.
 *
 * @example
 * const core = createPortalCore({ clock: { now: () => 0 } });
 * core.handle({ method: 'POST', path: `/rest/1/${core.config.webhookSecret}/imbot.bot.list`, query: '', body: '' });
 */
function createPortalCore(options = {}) {
    (0, check_options_1.checkPortalOptions)(options);
    const clock = options.clock ?? { now: () => Date.now() };
    const config = {
        memberId: options.memberId ?? (0, node_crypto_1.randomBytes)(16).toString('hex'),
        domain: options.domain ?? 'fake.bitrix24.test',
        applicationToken: options.applicationToken ?? (0, node_crypto_1.randomBytes)(16).toString('hex'),
        clientId: options.clientId ?? `local.${(0, node_crypto_1.randomBytes)(7).toString('hex')}`,
        clientSecret: options.clientSecret ?? (0, node_crypto_1.randomBytes)(24).toString('hex'),
        webhookSecret: options.webhookSecret ?? (0, node_crypto_1.randomBytes)(8).toString('hex'),
        webhookUserId: options.webhookUserId ?? 1,
    };
    const limit = options.rateLimit === false ? undefined : options.rateLimit ?? {};
    const bucket = limit
        ? (0, leaky_bucket_1.createLeakyBucket)({ burst: limit.burst ?? 50, drainPerSecond: limit.drainPerSecond ?? 2, clock })
        : undefined;
    const failures = (0, failure_rules_1.createFailureRules)();
    const scopes = options.scopes ?? ['imbot', 'imopenlines', 'im', 'crm'];
    const oauth = (0, oauth_tokens_1.createOAuthTokens)({ clientId: config.clientId, clientSecret: config.clientSecret, ttlSeconds: options.tokenTtlSeconds ?? 3600, clock });
    const calls = [];
    const counters = { requests: 0, rejected503: 0 };
    const stateOptions = {
        ...(options.lines ? { lines: options.lines } : {}),
        ...(options.firstBotId ? { firstBotId: options.firstBotId } : {}),
        ...(options.eventGetMinIntervalMs !== undefined ? { eventGetMinIntervalMs: options.eventGetMinIntervalMs } : {}),
    };
    const core = {
        config,
        clock,
        state: (0, portal_state_1.createPortalState)(stateOptions),
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
            if (!resetOptions.keepState)
                core.state = (0, portal_state_1.createPortalState)(stateOptions);
        },
    };
    function log(record) {
        const full = { ...record, at: clock.now() };
        calls.push(full);
        return full;
    }
    /** Executes one REST method (top-level or inside a batch), with injected failures. */
    function execute(record, auth) {
        const injected = failures.next(record.method);
        const run = () => {
            const handler = record.method.toLowerCase() === 'scope' ? () => [...scopes] : METHODS[record.method.toLowerCase()];
            if (!handler)
                return { ok: false, fault: new fault_1.Fault('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404) };
            try {
                // Handlers get a copy: the log keeps what was sent, even if a handler normalises values.
                return { ok: true, result: handler(structuredClone(record.params), { state: core.state, auth, now: clock.now(), method: record.method }) };
            }
            catch (e) {
                if (e instanceof fault_1.Fault)
                    return { ok: false, fault: e };
                return { ok: false, fault: new fault_1.Fault('INTERNAL_SERVER_ERROR', String(e), 500) };
            }
        };
        let outcome;
        if (injected?.stall) {
            const done = run();
            record.error = 'STALLED';
            if ('ok' in done && !done.ok)
                record.error = done.fault.error;
            return { stall: true };
        }
        if (injected?.afterEffect)
            outcome = run();
        if (injected)
            outcome = injected.network ? { network: true } : { ok: false, fault: new fault_1.Fault(injected.error, injected.description, injected.status) };
        outcome ??= run();
        if ('network' in outcome)
            record.error = 'NETWORK';
        else if ('stall' in outcome)
            record.error = 'STALLED';
        else if (!outcome.ok)
            record.error = outcome.fault.error;
        return outcome;
    }
    function answer(outcome) {
        if ('network' in outcome)
            return { kind: 'destroy' };
        if ('stall' in outcome)
            return { kind: 'stall' };
        if (!outcome.ok) {
            if (outcome.fault.status === 503)
                counters.rejected503 += 1;
            return reply(outcome.fault.status, errorBody(outcome.fault));
        }
        return reply(200, { result: outcome.result, time: (0, portal_state_1.timeBlock)(clock.now()) });
    }
    function handleToken(request) {
        const injected = failures.next('oauth/token');
        if (injected?.network)
            return { kind: 'destroy' };
        if (injected)
            return reply(injected.status, { error: injected.error, error_description: injected.description });
        try {
            const base = core.base();
            return reply(200, {
                ...oauth.refresh((0, request_params_1.decodeRequestParams)(request)),
                client_endpoint: `${base}/rest/`,
                server_endpoint: `${base}/rest/`,
                domain: base.replace(/^https?:\/\//, ''),
                member_id: config.memberId,
            });
        }
        catch (e) {
            if (e instanceof fault_1.Fault)
                return reply(e.status, errorBody(e));
            throw e;
        }
    }
    function handle(request) {
        counters.requests += 1;
        const httpRequest = counters.requests;
        if (/^\/oauth\/token\/?$/.test(request.path))
            return handleToken(request);
        const m = /^\/rest\/(?:(\d+)\/([^/]+)\/)?([^/]+?)(?:\.(?:json|xml))?\/?$/.exec(request.path);
        if (!m?.[3])
            return reply(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
        const method = decodeURIComponent(m[3]);
        const auth = m[2] === undefined ? 'oauth' : 'webhook';
        let params;
        try {
            params = (0, request_params_1.decodeRequestParams)(request);
        }
        catch (e) {
            const fault = e instanceof fault_1.Fault ? e : new fault_1.Fault('INVALID_REQUEST', 'Malformed request body', 400);
            log({ method, params: {}, auth, viaBatch: false, httpRequest, error: fault.error });
            return reply(fault.status, errorBody(fault));
        }
        const token = (0, fault_1.strval)(params.auth ?? params.access_token) || undefined;
        delete params.auth;
        delete params.access_token;
        const record = log({ method, params, auth, viaBatch: false, httpRequest });
        const refuse = (fault) => {
            record.error = fault.error;
            return answer({ ok: false, fault });
        };
        if (bucket && !bucket.take())
            return refuse(new fault_1.Fault('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503));
        if (auth === 'webhook') {
            if (Number(m[1]) !== config.webhookUserId || m[2] !== config.webhookSecret) {
                return refuse(new fault_1.Fault('NO_AUTH_FOUND', 'Wrong authorization data', 401));
            }
        }
        else {
            try {
                oauth.check(token);
            }
            catch (e) {
                return refuse(e);
            }
        }
        if (method.toLowerCase() !== 'batch')
            return answer(execute(record, auth));
        const injected = failures.next('batch');
        if (injected?.network)
            return { kind: 'destroy' };
        if (injected && !injected.stall)
            return refuse(new fault_1.Fault(injected.error, injected.description, injected.status));
        try {
            const outcome = (0, method_batch_1.runBatch)({
                params,
                now: clock.now(),
                run: (key, subMethod, subParams) => execute(log({ method: subMethod, params: subParams, auth, viaBatch: true, batchKey: key, httpRequest }), auth),
            });
            if ('network' in outcome)
                return { kind: 'destroy' };
            if ('stall' in outcome || injected?.stall) {
                record.error = 'STALLED';
                return { kind: 'stall' };
            }
            return answer({ ok: true, result: outcome.result });
        }
        catch (e) {
            if (e instanceof fault_1.Fault)
                return refuse(e);
            throw e;
        }
    }
    return core;
}
