"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_REDIS_URL = void 0;
exports.registerRedisUrlSecrets = registerRedisUrlSecrets;
exports.parseRedisSpec = parseRedisSpec;
exports.describeRedisUrl = describeRedisUrl;
exports.connectRedis = connectRedis;
/**
 * Opens the ioredis connection of a Redis store from a URL, with the password registered as a
 * secret before anything can print it, and remembers the last connection error for messages.
 */
const ioredis_1 = require("ioredis");
const errors_1 = require("../errors");
const store_error_1 = require("./store-error");
/** The URL used when neither `url` nor `client` is given. */
exports.DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/**
 * Registers the password of a `redis://` URL as a secret (and the user part when there is no
 * password: `redis://s3cret@host` is a common way to write a bare password).
 */
function registerRedisUrlSecrets(url) {
    try {
        const parsed = new URL(url);
        const secret = parsed.password === '' ? parsed.username : parsed.password;
        (0, errors_1.registerSecret)(secret);
        (0, errors_1.registerSecret)(decodeURIComponent(secret));
    }
    catch {
        // Not a URL: nothing to register; the caller reports the problem without echoing it.
    }
}
/**
 * Splits an `OPENLINES_STORE` Redis spec into the URL for ioredis and the store's key prefix
 * (query parameter `prefix`). Undefined when it is not a valid URL.
 */
function parseRedisSpec(spec) {
    registerRedisUrlSecrets(spec);
    let parsed;
    try {
        parsed = new URL(spec);
    }
    catch {
        return undefined;
    }
    if (parsed.hostname === '')
        return undefined;
    const prefix = parsed.searchParams.get('prefix') ?? undefined;
    parsed.searchParams.delete('prefix');
    return { url: parsed.toString(), ...(prefix === undefined ? {} : { prefix }) };
}
/** Redis-side address of a URL without credentials, for messages. */
function describeRedisUrl(url) {
    try {
        const parsed = new URL(url);
        return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
    }
    catch {
        return 'the configured Redis URL';
    }
}
function connectRedis(url, options = {}) {
    registerRedisUrlSecrets(url);
    if (!/^rediss?:\/\//i.test(url))
        throw new store_error_1.StoreError('The Redis store URL must start with redis:// or rediss://');
    let lastError;
    const client = new ioredis_1.Redis(url, {
        // Fail a command after a few reconnect attempts instead of holding it for minutes: callers
        // (the runtime, /healthz) retry at their own pace and must see an outage.
        maxRetriesPerRequest: 3,
        // Reconnect soon after an outage (the default backs off to 2 s): leases and claims are
        // extended, and waiting work resumes, as soon as Redis is back.
        retryStrategy: (times) => Math.min(times * 50, 500),
        connectTimeout: 5000,
        // How long ioredis keeps a socket that never connected after disconnect() (default 2 s holds
        // the process open after close()).
        disconnectTimeout: 200,
        ...options,
    });
    // Without a listener ioredis prints every reconnect failure to the console.
    client.on('error', (error) => {
        lastError = error.message;
    });
    client.on('ready', () => {
        lastError = undefined;
    });
    return { client, lastError: () => lastError };
}
