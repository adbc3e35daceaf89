"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.mockPortal = mockPortal;
/**
 * `mockPortal(nock)`: the fake portal's method semantics and call log, installed as nock
 * interceptors on an https host instead of a loopback server. nock is passed in (it is a
 * devDependency of the user's project, not a dependency of the framework).
 */
const errors_1 = require("../../errors");
const portal_core_1 = require("./portal-core");
const portal_api_1 = require("./portal-api");
function header(headers, name) {
    const v = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
}
function install(nock, core, host) {
    const scope = nock(host.base).persist();
    const reply = async function (uri, body) {
        if (host.redirectTo)
            return [302, '', { location: `${host.redirectTo}${uri}` }];
        const q = uri.indexOf('?');
        const contentType = header(this.req.headers, 'content-type');
        const answer = core.handle({
            method: this.req.method ?? 'GET',
            path: q < 0 ? uri : uri.slice(0, q),
            query: q < 0 ? '' : uri.slice(q + 1),
            // nock hands JSON bodies over already parsed.
            body: body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body),
            ...(contentType ? { contentType } : {}),
        });
        if (answer.kind === 'destroy') {
            throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        // Never settles: the client's own timeout (or abort) ends the request.
        if (answer.kind === 'stall')
            return new Promise(() => undefined);
        return [answer.status, JSON.stringify(answer.body), { 'content-type': 'application/json; charset=utf-8' }];
    };
    for (const method of ['GET', 'POST']) {
        const interceptor = scope.intercept(() => true, method);
        host.interceptors.push(interceptor);
        interceptor.reply(reply);
    }
}
/**
 * Installs a fake Bitrix24 portal as nock interceptors: same methods, errors, limits, failure
 * injection and call log as {@link createFakePortal}, so one scenario records identical calls
 * against both.
 *
 * @example
 * import nock from 'nock';
 * const portal = mockPortal(nock, { host: 'https://fake.bitrix24.test' });
 * await axios.post(`${portal.webhookUrl}imbot.bot.list`, {});
 * expect(portal.calls[0]?.method).toBe('imbot.bot.list');
 * portal.close();
 */
function mockPortal(nock, options = {}) {
    if (typeof nock !== 'function' || typeof nock.removeInterceptor !== 'function') {
        throw new errors_1.ConfigError(['mockPortal needs the nock module as its first argument: mockPortal(nock)'], 'Invalid mockPortal call');
    }
    if (options.host !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(options.host)) {
        throw new errors_1.ConfigError([`host must be an origin like https://fake.bitrix24.test`], 'Invalid mockPortal options');
    }
    const origin = (options.host ?? 'https://fake.bitrix24.test').replace(/\/+$/, '');
    const core = (0, portal_core_1.createPortalCore)({ domain: origin.replace(/^https?:\/\//, ''), ...options });
    const hosts = [{ base: origin, interceptors: [] }];
    let current = hosts[0];
    install(nock, core, current);
    core.base = () => current.base;
    const api = (0, portal_api_1.createPortalApi)({ core, base: core.base });
    const extra = {
        rename(target) {
            if (target !== undefined) {
                current.redirectTo = (typeof target === 'string' ? target : target.url).replace(/\/+$/, '');
                return current.redirectTo;
            }
            const next = { base: origin.replace('://', `://renamed${hosts.length}.`), interceptors: [] };
            install(nock, core, next);
            hosts.push(next);
            current.redirectTo = next.base;
            current = next;
            if (!options.domain)
                core.config.domain = next.base.replace(/^https?:\/\//, '');
            return next.base;
        },
        close() {
            for (const host of hosts)
                for (const interceptor of host.interceptors)
                    nock.removeInterceptor(interceptor);
        },
    };
    return Object.assign(api, extra);
}
