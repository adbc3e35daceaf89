"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isLoopbackHost = isLoopbackHost;
exports.parseWebhookUrl = parseWebhookUrl;
/**
 * Incoming-webhook URLs: `https://<portal>/rest/<userId>/<secret>/`. The secret is a credential,
 * so it is registered for redaction before anything can print it.
 */
const errors_1 = require("../errors");
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/**
 * True for hosts that never leave the machine (the only ones allowed over plain http).
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('example.bitrix24.com'); // false
 */
function isLoopbackHost(hostname) {
    return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
/**
 * Validates and normalises an incoming-webhook URL (trailing slash added, method suffix refused).
 *
 * @example
 * parseWebhookUrl({ url: 'https://example.bitrix24.com/rest/1/abc123/' });
 * // { status: 'ok', url: 'https://example.bitrix24.com/rest/1/abc123/', domain: 'example.bitrix24.com', hostname: 'example.bitrix24.com', userId: 1 }
 */
function parseWebhookUrl(options) {
    let u;
    try {
        u = new URL(options.url);
    }
    catch {
        return {
            status: 'invalid',
            problem: 'not a URL; expected https://<portal>/rest/<user id>/<secret>/',
        };
    }
    const match = /^\/rest\/(\d+)\/([^/]+)\/?$/.exec(u.pathname);
    if (match?.[2])
        (0, errors_1.registerSecret)(match[2]);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
        return {
            status: 'invalid',
            problem: 'must use https (plain http is accepted only for loopback hosts)',
        };
    }
    if (!match) {
        return {
            status: 'invalid',
            problem: 'expected the form https://<portal>/rest/<user id>/<secret>/ (without a method name)',
        };
    }
    if (u.search || u.hash || u.username || u.password) {
        return { status: 'invalid', problem: 'must not carry a query string, fragment or credentials' };
    }
    const url = `${u.protocol}//${u.host}/rest/${match[1]}/${match[2]}/`;
    (0, errors_1.registerSecret)(url);
    return { status: 'ok', url, domain: u.host, hostname: u.hostname, userId: Number(match[1]) };
}
