"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createFakePortal = createFakePortal;
/**
 * `createFakePortal`: a real HTTP server on 127.0.0.1 (random port) that answers like a
 * Bitrix24 portal for the REST methods the framework uses.
 */
const node_http_1 = require("node:http");
const portal_core_1 = require("./portal-core");
const portal_api_1 = require("./portal-api");
const MAX_BODY = 20 * 1024 * 1024;
function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        req.on('data', (chunk) => {
            size += chunk.length;
            if (size <= MAX_BODY)
                chunks.push(chunk);
        });
        req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}
async function serve(core, listener, req, res) {
    const body = await readBody(req);
    const target = req.url ?? '/';
    if (listener.redirectTo) {
        res.writeHead(302, { location: `${listener.redirectTo}${target}`, 'content-length': '0' });
        res.end();
        return;
    }
    if (body === undefined) {
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'INVALID_REQUEST', error_description: 'Request body too large' }));
        return;
    }
    const q = target.indexOf('?');
    const answer = core.handle({
        method: req.method ?? 'GET',
        path: q < 0 ? target : target.slice(0, q),
        query: q < 0 ? '' : target.slice(q + 1),
        body,
        ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
    });
    if (answer.kind === 'destroy') {
        req.socket.destroy();
        return;
    }
    // The client times out; `close()` ends the connection.
    if (answer.kind === 'stall')
        return;
    const json = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    res.end(json);
}
async function listen(core) {
    const server = (0, node_http_1.createServer)();
    const listener = { server, base: '' };
    server.on('request', (req, res) => {
        serve(core, listener, req, res).catch(() => {
            if (!res.headersSent)
                res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: 'INTERNAL_SERVER_ERROR', error_description: 'Fake portal failure' }));
        });
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    listener.base = `http://127.0.0.1:${server.address().port}`;
    return listener;
}
function closeListener(listener) {
    return new Promise((resolve) => {
        listener.server.close(() => resolve());
        listener.server.closeAllConnections();
    });
}
/**
 * Starts a fake Bitrix24 portal on 127.0.0.1: webhook (`/rest/<user>/<secret>/<method>`) and
 * OAuth (`/rest/<method>` + `auth`) URL forms, `batch`, `/oauth/token/` refresh, Bitrix
 * envelopes and errors, the leaky-bucket limit, injectable failures, a v2 `Event.get` queue,
 * per-chat state and a log of every call.
 *
 * @example
 * const portal = await createFakePortal({ clock: fakeClock });
 * await axios.post(`${portal.webhookUrl}imopenlines.bot.session.operator`, { CHAT_ID: 1777 });
 * expect(portal.chat(1777).session).toBe('operator');
 * await portal.close();
 */
async function createFakePortal(options = {}) {
    const core = (0, portal_core_1.createPortalCore)(options);
    const listeners = [await listen(core)];
    let current = listeners[0];
    const hostOf = (base) => base.replace(/^https?:\/\//, '');
    if (!options.domain)
        core.config.domain = hostOf(current.base);
    core.base = () => current.base;
    const api = (0, portal_api_1.createPortalApi)({ core, base: core.base });
    const extra = {
        async rename(target) {
            if (target !== undefined) {
                const to = (typeof target === 'string' ? target : target.url).replace(/\/+$/, '');
                current.redirectTo = to;
                return to;
            }
            const next = await listen(core);
            listeners.push(next);
            current.redirectTo = next.base;
            current = next;
            if (!options.domain)
                core.config.domain = hostOf(next.base);
            return next.base;
        },
        async close() {
            await Promise.all(listeners.map(closeListener));
        },
    };
    return Object.assign(api, extra);
}
