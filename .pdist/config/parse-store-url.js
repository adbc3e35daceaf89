"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SQLITE_PATH = void 0;
exports.parseStoreUrl = parseStoreUrl;
exports.storeSpecUrl = storeSpecUrl;
/**
 * `OPENLINES_STORE` values: `memory:`, `sqlite:<path>`, `redis://…` / `rediss://…` (TLS). A Redis
 * URL may carry a password: it is registered as a secret before anything is checked, and no
 * problem line ever repeats the URL.
 */
const errors_1 = require("../errors");
/** The embedded default: survives restarts, needs no setup. */
exports.DEFAULT_SQLITE_PATH = './.openlines-bot/state.db';
const REDIS_FORM = 'redis://[user:password@]host:port[/db][?prefix=<key prefix>]';
const FORMS = `"sqlite:<path>" (default ${exports.DEFAULT_SQLITE_PATH}), "memory:" or "${REDIS_FORM}" (rediss:// for TLS)`;
/**
 * Parses a store URL (the `OPENLINES_STORE` syntax).
 *
 * @example
 * parseStoreUrl({ url: 'sqlite:./data/bot.db' }); // { status: 'ok', spec: { kind: 'sqlite', path: './data/bot.db' } }
 */
function parseStoreUrl(options) {
    const raw = options.url?.trim();
    if (raw === undefined || raw === '')
        return { status: 'ok', spec: { kind: 'sqlite', path: exports.DEFAULT_SQLITE_PATH } };
    if (raw === 'memory:' || raw === 'memory')
        return { status: 'ok', spec: { kind: 'memory' } };
    if (raw.startsWith('sqlite:')) {
        let path = raw.slice('sqlite:'.length);
        // Accept the URL-ish spelling `sqlite://./x.db` as well as `sqlite:./x.db`.
        if (path.startsWith('//'))
            path = path.slice(2);
        if (path === '')
            return { status: 'ok', spec: { kind: 'sqlite', path: exports.DEFAULT_SQLITE_PATH } };
        if (path.includes('\0'))
            return { status: 'invalid', problem: 'OPENLINES_STORE: the sqlite path contains a NUL byte' };
        return { status: 'ok', spec: { kind: 'sqlite', path } };
    }
    if (/^rediss?:\/\//i.test(raw))
        return parseRedis(raw);
    // Name the scheme only when it looks like one: a mistyped URL may start with a password.
    const scheme = /^([a-z][a-z0-9+.-]{0,15}):/i.exec(raw)?.[1];
    return {
        status: 'invalid',
        problem: `OPENLINES_STORE: ${scheme ? `unknown store "${scheme}"` : 'no known store'}; use ${FORMS}`,
    };
}
/**
 * The spec as `openStore` (src/store/open-store.ts) takes it.
 *
 * @example
 * storeSpecUrl({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'bot:' }); // 'redis://127.0.0.1:6379?prefix=bot%3A'
 */
function storeSpecUrl(spec) {
    if (spec.kind === 'memory')
        return 'memory:';
    // The `//` form keeps a path that itself starts with `//` intact.
    if (spec.kind === 'sqlite')
        return `sqlite://${spec.path}`;
    if (spec.prefix === undefined)
        return spec.url;
    const url = new URL(spec.url);
    url.searchParams.set('prefix', spec.prefix);
    return url.toString();
}
function parseRedis(raw) {
    registerRedisSecrets(raw);
    const invalid = (why) => ({
        status: 'invalid',
        problem: `OPENLINES_STORE: ${why}; expected ${REDIS_FORM} (rediss:// for TLS)`,
    });
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        return invalid('the Redis URL is not a valid URL');
    }
    if (url.hostname === '')
        return invalid('the Redis URL has no host');
    if (!/^\/?(\d{1,5})?$/.test(url.pathname))
        return invalid('the Redis database (the URL path) must be a number such as /0');
    const prefix = url.searchParams.get('prefix');
    if (prefix === '')
        return invalid('"?prefix=" is empty (leave it out for the default prefix "openlines:")');
    url.searchParams.delete('prefix');
    return {
        status: 'ok',
        spec: { kind: 'redis', url: url.toString(), ...(prefix === null ? {} : { prefix }) },
    };
}
/**
 * Registers the password of a Redis URL (or the user part when there is no password: `redis://s3cret@host`
 * is a common way to write a bare password), also when the URL does not parse.
 */
function registerRedisSecrets(raw) {
    const userinfo = /^rediss?:\/\/([^/?#]*)@/i.exec(raw)?.[1];
    if (userinfo === undefined)
        return;
    const colon = userinfo.indexOf(':');
    const secret = colon < 0 ? userinfo : userinfo.slice(colon + 1);
    (0, errors_1.registerSecret)(secret);
    try {
        (0, errors_1.registerSecret)(decodeURIComponent(secret));
    }
    catch {
        // Malformed percent-encoding: the raw form is registered already.
    }
}
