"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createOAuthTokens = createOAuthTokens;
/**
 * OAuth side of the fake portal: access tokens with a lifetime on the portal clock, a refresh
 * token that rotates on every refresh, and the `/oauth/token/` endpoint's answers.
 */
const node_crypto_1 = require("node:crypto");
const fault_1 = require("./fault");
const token = () => (0, node_crypto_1.randomBytes)(16).toString('hex');
/**
 * Creates the token store of one portal with an initial pair.
 *
 * @example
 * const tokens = createOAuthTokens({ clientId, clientSecret, ttlSeconds: 3600, clock });
 * tokens.check(params.auth);
 */
function createOAuthTokens(options) {
    // Older access tokens stay valid until they expire, as on a real portal.
    const access = new Map();
    let current = token();
    let refresh = token();
    let count = 0;
    let refused = 0;
    access.set(current, options.clock.now() + options.ttlSeconds * 1000);
    return {
        accessToken: () => current,
        refreshToken: () => refresh,
        expiresAt: () => access.get(current) ?? 0,
        check(value) {
            const expiresAt = value ? access.get(value) : undefined;
            if (expiresAt === undefined)
                throw new fault_1.Fault('NO_AUTH_FOUND', 'Wrong authorization data', 401);
            if (options.clock.now() >= expiresAt) {
                throw new fault_1.Fault('expired_token', 'The access token provided has expired.', 401);
            }
        },
        expireAll() {
            for (const key of access.keys())
                access.set(key, Number.NEGATIVE_INFINITY);
        },
        refresh(params) {
            // Bitrix24 refuses a rotated-out refresh token: counted, so tests can assert none was sent.
            const refuse = (fault) => {
                refused += 1;
                throw fault;
            };
            if ((0, fault_1.strval)(params.grant_type) !== 'refresh_token') {
                refuse(new fault_1.Fault('invalid_request', 'Unsupported grant_type', 400));
            }
            if ((0, fault_1.strval)(params.client_id) !== options.clientId || (0, fault_1.strval)(params.client_secret) !== options.clientSecret) {
                refuse(new fault_1.Fault('invalid_client', 'Invalid client credentials', 401));
            }
            if ((0, fault_1.strval)(params.refresh_token) !== refresh) {
                refuse(new fault_1.Fault('invalid_grant', 'Invalid refresh token', 400));
            }
            current = token();
            refresh = token();
            count += 1;
            const expiresAt = options.clock.now() + options.ttlSeconds * 1000;
            access.set(current, expiresAt);
            return {
                access_token: current,
                refresh_token: refresh,
                expires: Math.floor(expiresAt / 1000),
                expires_in: options.ttlSeconds,
                scope: 'imbot,imopenlines,im,crm',
                status: 'L',
                user_id: 1,
            };
        },
        refreshes: () => count,
        refusedRefreshes: () => refused,
    };
}
