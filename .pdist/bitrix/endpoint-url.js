"use strict";
/**
 * URL checks shared by the auth modes: HTTPS everywhere, plain HTTP only for loopback hosts
 * (local fake portals and tests).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.isLoopbackHost = isLoopbackHost;
exports.checkEndpoint = checkEndpoint;
exports.withTrailingSlash = withTrailingSlash;
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);
/**
 * True for `localhost`, `127.0.0.0/8` and `::1`.
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 */
function isLoopbackHost(hostname) {
    if (LOOPBACK_HOSTS.has(hostname.toLowerCase()))
        return true;
    const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
    return m !== null && m.slice(1).every((n) => Number(n) <= 255);
}
/**
 * Parses `raw` and checks its scheme. Returns the URL or a problem description (never containing
 * the URL itself, which may carry a secret).
 *
 * @example
 * const url = checkEndpoint('https://acme.bitrix24.com/rest/', 'clientEndpoint'); // URL
 */
function checkEndpoint(raw, what) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        return `${what} is not a valid URL`;
    }
    if (url.protocol === 'https:')
        return url;
    if (url.protocol === 'http:') {
        return isLoopbackHost(url.hostname)
            ? url
            : `${what} uses http:// for a non-loopback host (${url.hostname}); use https://`;
    }
    return `${what} must use https:// (got ${url.protocol})`;
}
/**
 * Ensures a trailing slash so that `new URL(method, base)` appends instead of replacing.
 *
 * @example
 * withTrailingSlash('https://acme.bitrix24.com/rest'); // 'https://acme.bitrix24.com/rest/'
 */
function withTrailingSlash(url) {
    return url.endsWith('/') ? url : `${url}/`;
}
