"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createPortalRegistry = createPortalRegistry;
/**
 * Which REST client serves which portal. Webhook mode: one client for the configured incoming
 * webhook (with its `CLIENT_ID` / bot token), whatever the portal id. App mode: one OAuth client
 * per installed portal, built from the store; refreshed tokens are persisted to the store before
 * they are used (the refresh token rotates). One rate budget per portal, shared by every client
 * of that portal, so the runtime, the poller and the installer never overrun it together; with a
 * store that has `reserveRate` (every built-in one) the budget lives in the store, so that every
 * process serving the portal shares it too.
 */
const clock_1 = require("../clock");
const errors_1 = require("../errors");
const create_rest_client_1 = require("../bitrix/create-rest-client");
const node_os_1 = require("node:os");
const rest_errors_1 = require("../bitrix/rest-errors");
const rate_budget_1 = require("../bitrix/rate-budget");
const shared_rate_budget_1 = require("../bitrix/shared-rate-budget");
/**
 * Creates the portal registry.
 *
 * @example
 * const portals = createPortalRegistry({ config, store });
 * const runtime = createRuntime({ bots, store, clients: portals.clients });
 */
function createPortalRegistry(options) {
    const { config, store } = options;
    const clock = options.clock ?? clock_1.systemClock;
    const make = options.createClient ?? create_rest_client_1.createRestClient;
    const budgets = new Map();
    const cache = new Map();
    const common = {
        clock,
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.metrics ? { metrics: options.metrics } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    };
    const budgetOf = (portalId) => {
        let b = budgets.get(portalId);
        if (b)
            return b;
        const limit = { burst: config.rate.burst, drainPerSecond: config.rate.perSecond, clock };
        const { reserveRate, saturateRate } = store;
        b =
            reserveRate && saturateRate
                ? (0, shared_rate_budget_1.createSharedRateBudget)({
                    ...limit,
                    key: portalId,
                    store: {
                        reserveRate: (key, o) => reserveRate.call(store, key, o),
                        saturateRate: (key, o) => saturateRate.call(store, key, o),
                    },
                    ...(options.logger ? { logger: options.logger } : {}),
                })
                : (0, rate_budget_1.createRateBudget)(limit);
        budgets.set(portalId, b);
        return b;
    };
    /** This process, as the owner of the refresh locks it takes. */
    const lockOwner = `${(0, node_os_1.hostname)()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
    // A refresh is one request to the OAuth server, bounded by the client's timeout.
    const lockLeaseMs = Math.max(30_000, 2 * (options.timeoutMs ?? 30_000));
    /** The portal's tokens as every process sees them: the store's record, and its refresh lock. */
    const sharedTokens = (portalId) => {
        const { acquireLock, releaseLock } = store;
        if (!acquireLock || !releaseLock)
            return undefined;
        const name = `oauth:${portalId}`;
        return {
            async load() {
                const record = await store.getPortal(portalId);
                return record ? tokensOf(record) : undefined;
            },
            async exclusive(work) {
                const started = clock.now();
                for (let wait = 10;; wait = Math.min(wait * 2, 200)) {
                    if (await acquireLock.call(store, name, lockOwner, lockLeaseMs, clock.now()))
                        break;
                    if (clock.now() - started > lockLeaseMs) {
                        throw new rest_errors_1.AuthRefreshError({
                            error: 'lock_timeout',
                            description: `another process held the token refresh lock of portal ${portalId} for ${lockLeaseMs} ms`,
                        });
                    }
                    await new Promise((resolve) => clock.setTimeout(resolve, wait));
                }
                try {
                    return await work();
                }
                finally {
                    await releaseLock.call(store, name, lockOwner).catch((err) => {
                        options.logger?.warn({ err, portal: portalId }, 'could not release the token refresh lock; it expires by itself');
                    });
                }
            },
        };
    };
    const oauthClient = ({ tokens, onTokens, shared }) => {
        const app = config.app;
        if (!app)
            throw new errors_1.ConfigError(['OAuth clients need app mode (B24_APP_CLIENT_ID, B24_APP_CLIENT_SECRET)'], 'Wrong mode');
        return make({
            ...common,
            auth: {
                type: 'oauth',
                clientId: app.clientId,
                clientSecret: app.clientSecret,
                tokens,
                onTokens,
                ...(shared ? { shared } : {}),
            },
            rateBudget: budgetOf(tokens.memberId),
        });
    };
    async function appClient(portalId) {
        const record = await store.getPortal(portalId);
        if (!record?.accessToken || !record.refreshToken || !record.clientEndpoint) {
            throw new errors_1.ConfigError([`portal ${portalId} is not installed (no stored OAuth tokens)`], 'Unknown portal');
        }
        const shared = sharedTokens(portalId);
        return oauthClient({
            tokens: tokensOf(record),
            ...(shared ? { shared } : {}),
            onTokens: async (t) => {
                // Re-read: bot ids or the application token may have changed since the client was built.
                const current = (await store.getPortal(portalId)) ?? record;
                await store.savePortal({
                    ...current,
                    accessToken: t.accessToken,
                    refreshToken: t.refreshToken,
                    clientEndpoint: t.clientEndpoint,
                    ...(t.serverEndpoint ? { serverEndpoint: t.serverEndpoint } : {}),
                    ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
                    updatedAt: clock.now(),
                });
            },
        });
    }
    function webhookClient() {
        const w = config.webhook;
        if (!w)
            throw new errors_1.ConfigError([
                'no portal is configured: set B24_WEBHOOK_URL (webhook mode) or B24_APP_CLIENT_ID/SECRET (app mode)',
            ], 'No portal');
        return make({
            ...common,
            auth: {
                type: 'webhook',
                url: w.url,
                ...(w.clientId ? { clientId: w.clientId } : {}),
                ...(w.botToken ? { botToken: w.botToken } : {}),
            },
            rateBudget: budgetOf(w.memberId),
        });
    }
    return {
        mode: config.mode,
        clients(portalId) {
            const key = config.mode === 'app' ? portalId : '*';
            let c = cache.get(key);
            if (!c) {
                c = config.mode === 'app' ? appClient(portalId) : Promise.resolve().then(webhookClient);
                cache.set(key, c);
                // A portal that is not installed yet may be installed later: do not cache the refusal.
                const mine = c;
                mine.catch(() => {
                    if (cache.get(key) === mine)
                        cache.delete(key);
                });
            }
            return c;
        },
        oauthClient,
        forget(portalId) {
            cache.delete(config.mode === 'app' ? portalId : '*');
        },
    };
}
/** The OAuth tokens of a stored portal record; undefined when it has none. */
function tokensOf(record) {
    if (!record.accessToken || !record.refreshToken || !record.clientEndpoint)
        return undefined;
    return {
        memberId: record.memberId,
        domain: record.domain,
        clientEndpoint: record.clientEndpoint,
        ...(record.serverEndpoint ? { serverEndpoint: record.serverEndpoint } : {}),
        accessToken: record.accessToken,
        refreshToken: record.refreshToken,
        ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
    };
}
