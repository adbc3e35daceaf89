"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createInstaller = createInstaller;
/**
 * Installation of the OAuth app on a portal: register the app's bots there, bind the uninstall
 * event, and only then store the portal's tokens and application token.
 *
 * Proof: the tokens are used (bot registration) before anything is stored, and for a portal we
 * already know they are used against the STORED client endpoint. So a forged install request for
 * a known `member_id` cannot replace its application token: it would need a working access token
 * of that very portal.
 */
const rest_errors_1 = require("../bitrix/rest-errors");
const errors_1 = require("../errors");
const register_bot_1 = require("../bitrix/register-bot");
const AUTH_ERRORS = new Set([
    'NO_AUTH_FOUND',
    'INVALID_TOKEN',
    'invalid_token',
    'expired_token',
    'INVALID_CREDENTIALS',
    'WRONG_AUTH_TYPE',
]);
/**
 * Creates the installer used by `POST /install` and the `ONAPPINSTALL`/`ONAPPUNINSTALL` events.
 *
 * @example
 * const installer = createInstaller({ bots, store, portals, eventMode: 'webhook', publicUrl, clock, logger });
 * const result = await installer.install(parseInstallRequest({ body, now: Date.now() }).input);
 */
function createInstaller(options) {
    const { store, portals, clock, logger } = options;
    const register = options.register ?? register_bot_1.ensureBotRegistered;
    const handlerUrl = options.publicUrl ? `${options.publicUrl}/events` : undefined;
    async function bindLifecycle(client, needInstallEvent, memberId) {
        if (!handlerUrl)
            return;
        const events = needInstallEvent ? ['ONAPPUNINSTALL', 'ONAPPINSTALL'] : ['ONAPPUNINSTALL'];
        for (const event of events) {
            try {
                await client.call('event.bind', { event, handler: handlerUrl });
            }
            catch (e) {
                // Already bound on a re-install is the common case; anything else only costs us the event.
                logger.warn({ err: e, portal: memberId, event }, 'event.bind failed');
            }
        }
    }
    return {
        async install(input) {
            for (const secret of [input.accessToken, input.refreshToken, input.applicationToken])
                (0, errors_1.registerSecret)(secret);
            const existing = await store.getPortal(input.memberId);
            if (options.eventMode === 'webhook' && !handlerUrl)
                return { status: 'failed', reason: 'PUBLIC_URL is not configured' };
            let tokens = {
                memberId: input.memberId,
                domain: input.domain,
                clientEndpoint: existing?.clientEndpoint ?? input.clientEndpoint,
                ...(input.serverEndpoint ? { serverEndpoint: input.serverEndpoint } : {}),
                accessToken: input.accessToken,
                refreshToken: input.refreshToken,
                ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
            };
            const client = portals.oauthClient({
                tokens,
                onTokens: async (t) => {
                    tokens = t;
                },
            });
            const bots = { ...(existing?.bots ?? {}) };
            try {
                for (const bot of options.bots) {
                    const id = await register(client.api, {
                        code: bot.code,
                        name: bot.name,
                        apiVersion: bot.apiVersion,
                        mode: options.eventMode,
                        ...(options.eventMode === 'webhook' && handlerUrl ? { url: handlerUrl } : {}),
                        properties: { ...bot.properties },
                        ...(bot.commands ? { commands: bot.commands } : {}),
                    });
                    bots[bot.code] = { id, apiVersion: bot.apiVersion };
                }
            }
            catch (e) {
                const auth = ((0, rest_errors_1.isApiError)(e) && (e.status === 401 || AUTH_ERRORS.has(e.error))) ||
                    ((0, rest_errors_1.isHttpError)(e) && e.status === 401);
                logger.warn({ err: e, portal: input.memberId }, auth
                    ? 'install refused: the tokens do not work on this portal'
                    : 'install failed: bot registration failed');
                return auth
                    ? { status: 'refused', reason: 'the tokens were refused by the portal' }
                    : { status: 'failed', reason: 'bot registration failed' };
            }
            const applicationToken = input.applicationToken ?? existing?.applicationToken;
            await bindLifecycle(client, applicationToken === undefined, input.memberId);
            const now = clock.now();
            const record = {
                memberId: input.memberId,
                domain: input.domain,
                clientEndpoint: tokens.clientEndpoint,
                ...(tokens.serverEndpoint ? { serverEndpoint: tokens.serverEndpoint } : {}),
                ...(applicationToken ? { applicationToken } : {}),
                accessToken: tokens.accessToken,
                refreshToken: tokens.refreshToken,
                ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
                ...(input.scope ? { scope: input.scope } : {}),
                bots,
                installedAt: existing?.installedAt ?? now,
                updatedAt: now,
            };
            await store.savePortal(record);
            portals.forget(input.memberId);
            logger.info({
                portal: input.memberId,
                bots: Object.fromEntries(Object.entries(bots).map(([c, b]) => [c, b.id])),
            }, 'portal installed');
            await options.onInstalled?.(record);
            return { status: 'installed', record };
        },
        async uninstall(memberId) {
            await store.deletePortal(memberId);
            portals.forget(memberId);
            await options.onUninstalled?.(memberId);
        },
    };
}
