"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkWebhook = checkWebhook;
/**
 * One look at the incoming webhook when `serve` starts: a wrong secret or a webhook without the
 * `imbot` / `imopenlines` scopes otherwise shows only later, as refused calls in the middle of a
 * client's dialog.
 */
const create_rest_client_1 = require("../bitrix/create-rest-client");
const rest_errors_1 = require("../bitrix/rest-errors");
const AUTH_ERRORS = new Set([
    'NO_AUTH_FOUND',
    'INVALID_CREDENTIALS',
    'invalid_token',
    'WRONG_AUTH_TYPE',
    'ACCESS_DENIED',
]);
/**
 * Calls `scope` once through the webhook and says whether the secret and the scopes are right.
 * Never throws.
 *
 * @example
 * const result = await checkWebhook({ webhook: config.webhook });
 * if (result.status !== 'ok') console.error(result.message);
 */
async function checkWebhook(options) {
    const required = options.required ?? ['imbot', 'imopenlines'];
    const { webhook } = options;
    const client = (0, create_rest_client_1.createRestClient)({
        auth: { type: 'webhook', url: webhook.url },
        timeoutMs: options.timeoutMs ?? 10_000,
        retries: { retries: 0 },
    });
    let answer;
    try {
        answer = await client.call('scope');
    }
    catch (e) {
        if ((0, rest_errors_1.isApiError)(e) && (e.status === 401 || AUTH_ERRORS.has(e.error))) {
            return {
                status: 'wrong-secret',
                message: `the portal ${webhook.domain} refused the incoming webhook (${e.error}): check the user id and secret in B24_WEBHOOK_URL, and that the webhook still exists`,
            };
        }
        const why = (0, rest_errors_1.isApiError)(e) ? e.error : (0, rest_errors_1.isHttpError)(e) ? e.message : String(e);
        return {
            status: 'unreachable',
            message: `could not check the incoming webhook on ${webhook.domain} (${why}); the server keeps running and will retry its calls`,
        };
    }
    const scopes = Array.isArray(answer)
        ? answer.filter((s) => typeof s === 'string')
        : [];
    const missing = required.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
        return {
            status: 'missing-scopes',
            missing,
            scopes,
            message: `the incoming webhook on ${webhook.domain} lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has: ${scopes.join(', ') || 'none'}): edit the webhook in Bitrix24 and add ${missing.join(' and ')}, or its bot calls will be refused`,
        };
    }
    return { status: 'ok', scopes, message: `incoming webhook checked: scopes ${scopes.join(', ')}` };
}
