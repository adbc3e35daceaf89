"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createWebhookAuth = createWebhookAuth;
/**
 * Incoming-webhook auth: `https://<portal>/rest/<user>/<secret>/<method>`. The secret path
 * segment is the credential; it never expires, so there is nothing to refresh.
 */
const errors_1 = require("../errors");
const bot_credentials_1 = require("./bot-credentials");
const endpoint_url_1 = require("./endpoint-url");
const WEBHOOK_PATH = /^(.*\/rest\/)(\d+)\/([^/]+)\/?$/;
/**
 * Builds the auth strategy for an incoming webhook; throws `ConfigError` for a malformed URL.
 *
 * @example
 * const auth = createWebhookAuth({ type: 'webhook', url: 'https://acme.bitrix24.com/rest/1/secret/' });
 */
function createWebhookAuth(options) {
    const problems = [];
    const checked = (0, endpoint_url_1.checkEndpoint)(options.url, 'webhook url');
    let base = '';
    let host = '';
    if (typeof checked === 'string')
        problems.push(checked);
    else {
        const m = WEBHOOK_PATH.exec(checked.pathname);
        if (!m || checked.search || checked.hash)
            problems.push('webhook url must look like https://<portal>/rest/<user id>/<secret>/');
        else {
            (0, errors_1.registerSecret)(m[3]);
            (0, errors_1.registerSecret)(decodeURIComponent(m[3] ?? ''));
            base = (0, endpoint_url_1.withTrailingSlash)(`${checked.origin}${checked.pathname}`);
            host = checked.host;
        }
    }
    if (options.botToken !== undefined &&
        (options.botToken.length === 0 || options.botToken.length > 40)) {
        problems.push('botToken must have 1 to 40 characters');
    }
    (0, errors_1.registerSecret)(options.clientId);
    (0, errors_1.registerSecret)(options.botToken);
    if (problems.length)
        throw new errors_1.ConfigError(problems, 'Invalid webhook auth');
    const creds = { clientId: options.clientId, botToken: options.botToken };
    return {
        mode: 'webhook',
        portalId: options.memberId ?? host,
        decorate: (method, params, botApiVersion) => (0, bot_credentials_1.withBotCredentials)(method, params, creds, botApiVersion),
        prepare: async (method, params) => ({
            url: base + method,
            body: params,
            credential: undefined,
        }),
    };
}
