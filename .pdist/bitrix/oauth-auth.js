"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createOAuthAuth = createOAuthAuth;
exports.tokenUrlOf = tokenUrlOf;
const errors_1 = require("../errors");
const endpoint_url_1 = require("./endpoint-url");
const http_send_1 = require("./http-send");
const rest_errors_1 = require("./rest-errors");
const DEFAULT_OAUTH_SERVER = 'https://oauth.bitrix.info/rest/';
/**
 * Builds the OAuth auth strategy; throws `ConfigError` for bad endpoints or missing fields.
 *
 * @example
 * const auth = createOAuthAuth({ type: 'oauth', clientId, clientSecret, tokens, onTokens }, { axios, clock, timeoutMs: 30_000 });
 */
function createOAuthAuth(options, http) {
    const t = options.tokens;
    for (const s of [options.clientId, options.clientSecret, t.accessToken, t.refreshToken])
        (0, errors_1.registerSecret)(s);
    const problems = [
        ...['clientId', 'clientSecret']
            .filter((k) => !options[k])
            .map((k) => `${k} is required`),
        ...['memberId', 'accessToken', 'refreshToken']
            .filter((k) => !t[k])
            .map((k) => `tokens.${k} is required`),
        ...endpointProblems(t),
    ];
    if (typeof options.onTokens !== 'function')
        problems.push('onTokens(tokens) is required: refreshed tokens must be persisted');
    if (problems.length)
        throw new errors_1.ConfigError(problems, 'Invalid OAuth auth');
    let tokens = { ...t, clientEndpoint: (0, endpoint_url_1.withTrailingSlash)(t.clientEndpoint) };
    let persisted = true;
    // One promise per portal for "refresh and persist"; concurrent 401s all wait on it.
    let pending;
    const persist = async () => {
        try {
            await options.onTokens({ ...tokens });
            persisted = true;
        }
        catch (e) {
            throw new rest_errors_1.AuthRefreshError({
                error: 'persist_failed',
                description: 'onTokens rejected the refreshed tokens',
                cause: e,
            });
        }
    };
    const singleFlight = (work) => {
        pending ??= work().finally(() => {
            pending = undefined;
        });
        return pending;
    };
    const ready = async () => {
        if (pending)
            await pending;
        // A previous persist failed: the only valid refresh token is in memory, so try again first.
        if (!persisted)
            await singleFlight(persist);
    };
    const refreshNow = async () => {
        const next = await requestTokens(options, tokens, http);
        tokens = next;
        persisted = false;
        await persist();
    };
    /**
     * Takes the stored tokens when they are not the ones the failed request carried (another
     * process refreshed them) and not known to be expired. True when they were taken.
     */
    const adoptStored = async (shared, used) => {
        const stored = await shared.load();
        if (!stored?.accessToken || !stored.refreshToken || stored.accessToken === used)
            return false;
        if (stored.expiresAt !== undefined && stored.expiresAt <= http.clock.now())
            return false;
        (0, errors_1.registerSecret)(stored.accessToken);
        (0, errors_1.registerSecret)(stored.refreshToken);
        tokens = { ...stored, clientEndpoint: (0, endpoint_url_1.withTrailingSlash)(stored.clientEndpoint) };
        persisted = true;
        return true;
    };
    const refreshShared = async (shared, used) => {
        if (await adoptStored(shared, used))
            return;
        await shared.exclusive(async () => {
            // Whoever held the lock before us may have refreshed meanwhile.
            if (await adoptStored(shared, used))
                return;
            // Refresh with the newest stored refresh token, never an older one kept in memory.
            const stored = await shared.load();
            if (stored?.refreshToken && stored.refreshToken !== tokens.refreshToken) {
                (0, errors_1.registerSecret)(stored.refreshToken);
                (0, errors_1.registerSecret)(stored.accessToken);
                tokens = { ...stored, clientEndpoint: (0, endpoint_url_1.withTrailingSlash)(stored.clientEndpoint) };
            }
            try {
                await refreshNow();
            }
            catch (e) {
                // A process that does not take the lock (an older version, a reinstall) may have
                // rotated the tokens: take its tokens rather than fail.
                if (persisted && (await adoptStored(shared, used)))
                    return;
                throw e;
            }
        });
    };
    return {
        mode: 'oauth',
        portalId: t.memberId,
        decorate: (_method, params) => params,
        async prepare(method, params) {
            await ready();
            return {
                url: tokens.clientEndpoint + method,
                body: { ...params, auth: tokens.accessToken },
                credential: tokens.accessToken,
            };
        },
        async refresh(usedCredential) {
            if (pending)
                return pending;
            // Someone else already refreshed after our request left: just retry with the new token.
            if (usedCredential !== tokens.accessToken)
                return ready();
            const { shared } = options;
            return singleFlight(shared ? () => refreshShared(shared, usedCredential) : refreshNow);
        },
    };
}
function endpointProblems(t) {
    const out = [];
    const client = t.clientEndpoint
        ? (0, endpoint_url_1.checkEndpoint)(t.clientEndpoint, 'tokens.clientEndpoint')
        : 'tokens.clientEndpoint is required';
    if (typeof client === 'string')
        out.push(client);
    const server = (0, endpoint_url_1.checkEndpoint)(t.serverEndpoint ?? DEFAULT_OAUTH_SERVER, 'tokens.serverEndpoint');
    if (typeof server === 'string')
        out.push(server);
    return out;
}
/**
 * `https://oauth.bitrix.info/rest/` → `https://oauth.bitrix.info/oauth/token/` (region-specific host kept).
 *
 * @example
 * tokenUrlOf('https://oauth.bitrix.info/rest/'); // 'https://oauth.bitrix.info/oauth/token/'
 */
function tokenUrlOf(serverEndpoint) {
    const url = new URL(serverEndpoint ?? DEFAULT_OAUTH_SERVER);
    const path = url.pathname.replace(/\/rest\/?$/, '/').replace(/\/?$/, '/');
    return `${url.origin}${path}oauth/token/`;
}
async function requestTokens(options, current, http) {
    const query = new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        refresh_token: current.refreshToken,
    });
    let answer;
    try {
        answer = await (0, http_send_1.sendHttp)({
            ...http,
            verb: 'GET',
            url: `${tokenUrlOf(current.serverEndpoint)}?${query.toString()}`,
            method: 'oauth.token',
        });
    }
    catch (e) {
        const reason = (0, rest_errors_1.isHttpError)(e) ? e.reason : 'network error';
        throw new rest_errors_1.AuthRefreshError({
            error: (0, rest_errors_1.isHttpError)(e) && e.code === 'TIMEOUT' ? 'timeout' : 'network',
            description: reason,
            cause: e,
        });
    }
    const body = (answer.json ?? {});
    const str = (k) => {
        const v = body[k];
        return typeof v === 'string' && v !== '' ? v : undefined;
    };
    if (answer.status !== 200 || str('error') || !str('access_token') || !str('refresh_token')) {
        throw new rest_errors_1.AuthRefreshError({
            error: str('error') ?? 'invalid_response',
            description: str('error_description'),
            status: answer.status,
        });
    }
    const accessToken = str('access_token');
    const refreshToken = str('refresh_token');
    (0, errors_1.registerSecret)(accessToken);
    (0, errors_1.registerSecret)(refreshToken);
    const memberId = str('member_id') ?? current.memberId;
    if (memberId !== current.memberId) {
        throw new rest_errors_1.AuthRefreshError({
            error: 'member_mismatch',
            description: 'the OAuth server answered for another portal',
        });
    }
    const clientEndpoint = (0, endpoint_url_1.withTrailingSlash)(str('client_endpoint') ?? current.clientEndpoint);
    const serverEndpoint = str('server_endpoint') ?? current.serverEndpoint;
    for (const [what, url] of [
        ['client_endpoint', clientEndpoint],
        ['server_endpoint', serverEndpoint ?? DEFAULT_OAUTH_SERVER],
    ]) {
        const checked = (0, endpoint_url_1.checkEndpoint)(url, what);
        if (typeof checked === 'string')
            throw new rest_errors_1.AuthRefreshError({ error: 'invalid_response', description: checked });
    }
    const expires = Number(body.expires);
    const expiresIn = Number(body.expires_in);
    const expiresAt = Number.isFinite(expires) && expires > 0
        ? expires * 1000
        : Number.isFinite(expiresIn)
            ? http.clock.now() + expiresIn * 1000
            : undefined;
    return {
        memberId,
        // `domain` in the token answer is the OAuth server's; the portal host comes from client_endpoint.
        domain: new URL(clientEndpoint).host,
        clientEndpoint,
        ...(serverEndpoint === undefined ? {} : { serverEndpoint }),
        accessToken,
        refreshToken,
        ...(expiresAt === undefined ? {} : { expiresAt }),
    };
}
