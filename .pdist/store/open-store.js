"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_STORE_SPEC = void 0;
exports.openStore = openStore;
/**
 * Opens a store from a one-line spec, as given in the `OPENLINES_STORE` environment variable.
 */
const errors_1 = require("../errors");
const memory_store_1 = require("./memory-store");
const redis_connection_1 = require("./redis-connection");
const redis_store_1 = require("./redis-store");
const sqlite_store_1 = require("./sqlite-store");
/** The spec used when none is given. */
exports.DEFAULT_STORE_SPEC = `sqlite:${sqlite_store_1.DEFAULT_SQLITE_PATH}`;
const ACCEPTED = `accepted forms: "memory:", "sqlite:<path>" (default "${exports.DEFAULT_STORE_SPEC}"), "redis://[user:password@]host:port[/db][?prefix=<key prefix>]", "rediss://…"`;
/**
 * Opens the store named by `spec`:
 * - `memory:` — {@link memoryStore} (nothing survives a restart);
 * - `sqlite:<path>` (also `sqlite://<path>`; `sqlite:` alone means the default path) — {@link sqliteStore};
 * - `redis://…` / `rediss://…` (TLS) — {@link redisStore}; `?prefix=` sets its key prefix. The
 *   password is registered as a secret, and the connection is checked once: an unreachable
 *   Redis is a `StoreError` naming host and port only.
 *
 * Anything else is a `ConfigError`. The spec is never echoed whole into an error, because a
 * connection URL may carry a password.
 *
 * @example
 * const store = await openStore(process.env.OPENLINES_STORE);
 */
async function openStore(spec = exports.DEFAULT_STORE_SPEC, options = {}) {
    const trimmed = spec.trim() === '' ? exports.DEFAULT_STORE_SPEC : spec.trim();
    const colon = trimmed.indexOf(':');
    const scheme = colon < 0 ? trimmed.toLowerCase() : trimmed.slice(0, colon).toLowerCase();
    const rest = colon < 0 ? '' : trimmed.slice(colon + 1);
    switch (scheme) {
        case 'memory':
            if (rest !== '' && rest !== '//')
                throw storeSpecError(`"memory:" takes no argument`);
            return (0, memory_store_1.memoryStore)();
        case 'sqlite': {
            const path = rest.startsWith('//') ? rest.slice(2) : rest;
            return (0, sqlite_store_1.sqliteStore)({ ...options.sqlite, path: path === '' ? sqlite_store_1.DEFAULT_SQLITE_PATH : path });
        }
        case 'redis':
        case 'rediss':
            return openRedis(trimmed, options.redis);
        default:
            // Echo the scheme only when it looks like one: the spec may be a mistyped URL with a password.
            throw storeSpecError(/^[a-z][a-z0-9+.-]{0,15}$/.test(scheme) && colon >= 0
                ? `unknown store scheme "${scheme}"`
                : 'the store spec has no known scheme');
    }
}
async function openRedis(spec, options) {
    const parsed = (0, redis_connection_1.parseRedisSpec)(spec);
    if (!parsed)
        throw storeSpecError('the Redis URL is not a valid URL with a host');
    const store = (0, redis_store_1.redisStore)({ ...options, ...parsed });
    try {
        await store.ping();
    }
    catch (error) {
        await store.close();
        throw error;
    }
    return store;
}
function storeSpecError(problem) {
    return new errors_1.ConfigError([`OPENLINES_STORE: ${problem} (${ACCEPTED})`], 'Invalid store');
}
