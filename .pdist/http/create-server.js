"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createServer = createServer;
const node_http_1 = require("node:http");
const express_1 = __importDefault(require("express"));
const clock_1 = require("../clock");
const load_config_1 = require("../config/load-config");
const parse_store_url_1 = require("../config/parse-store-url");
const logger_1 = require("../logger");
const metrics_1 = require("../metrics");
const create_portal_registry_1 = require("../portals/create-portal-registry");
const create_runtime_1 = require("../runtime/create-runtime");
const open_store_1 = require("../store/open-store");
const create_fetch_transport_1 = require("../transport/create-fetch-transport");
const errors_1 = require("../errors");
const create_inspector_router_1 = require("../inspector/create-inspector-router");
const create_playground_router_1 = require("../inspector/create-playground-router");
const inspector_settings_1 = require("../inspector/inspector-settings");
const pages_1 = require("../inspector/pages");
const create_bot_router_1 = require("./create-bot-router");
const create_external_events_router_1 = require("./create-external-events-router");
const create_ops_router_1 = require("./create-ops-router");
const lazy_store_1 = require("./lazy-store");
/**
 * Creates the server.
 *
 * @example
 * const server = createServer({ bots: [supportBot] });
 * const { url } = await server.listen(3000);
 * installShutdown(server, { deadlineMs: 15_000 });
 */
function createServer(options) {
    const config = options.config ?? (0, load_config_1.loadConfig)();
    const clock = options.clock ?? clock_1.systemClock;
    const logger = options.logger ?? (0, logger_1.createLogger)({ level: config.logLevel });
    const metrics = options.metrics ?? (0, metrics_1.createMetrics)();
    const ownsStore = options.store === undefined || options.closeStore === true;
    // The parts below hold the store from now on; an opened one fills in once `openStore` is done.
    const opened = options.store
        ? { store: options.store, ready: Promise.resolve() }
        : (0, lazy_store_1.lazyStore)({ kind: config.store.kind, open: () => (0, open_store_1.openStore)((0, parse_store_url_1.storeSpecUrl)(config.store)) });
    const { store } = opened;
    const portals = options.portals ?? (0, create_portal_registry_1.createPortalRegistry)({ config, store, clock, logger, metrics });
    const runtime = options.runtime ??
        (0, create_runtime_1.createRuntime)({
            joinWindowMs: config.joinWindowMs,
            ...options.runtimeOptions,
            bots: options.bots,
            store,
            clients: (id) => portals.clients(id),
            clock,
            logger,
            metrics,
        });
    const fetchTransport = config.eventMode === 'fetch'
        ? (0, create_fetch_transport_1.createFetchTransport)({
            ...options.fetch,
            bots: options.bots,
            store,
            portals,
            runtime,
            config,
            clock,
            logger,
            metrics,
        })
        : undefined;
    let stopping = false;
    let httpServer;
    let closing;
    const app = (0, express_1.default)();
    app.disable('x-powered-by');
    // While shutting down, every answer asks the client to close its keep-alive connection, so busy
    // connections drain instead of carrying new requests until the forced close.
    app.use((_req, res, next) => {
        if (stopping)
            res.setHeader('Connection', 'close');
        next();
    });
    app.use((0, create_ops_router_1.createOpsRouter)({ store, metrics, logger, isStopping: () => stopping, now: () => clock.now() }));
    // The host's own events into dialogs: only with a token (off by default).
    if (config.externalEventsToken !== undefined) {
        const deliver = runtime.deliver?.bind(runtime);
        if (!deliver)
            throw new errors_1.ConfigError(['OPENLINES_EXTERNAL_EVENTS_TOKEN is set but the runtime given has no deliver()'], 'Cannot serve external events');
        app.use((0, create_external_events_router_1.createExternalEventsRouter)({
            runtime: { deliver },
            token: config.externalEventsToken,
            logger,
        }));
    }
    const inspector = options.inspector ?? (0, inspector_settings_1.inspectorSettingsFromEnv)({ env: process.env, mode: config.mode });
    const firstBot = options.bots[0];
    const playground = inspector.enabled && inspector.development && firstBot
        ? (0, create_playground_router_1.createPlaygroundRouter)({
            bot: firstBot,
            base: `${create_inspector_router_1.INSPECTOR_BASE}/play`,
            nav: (0, pages_1.inspectorNav)(create_inspector_router_1.INSPECTOR_BASE, true),
        })
        : undefined;
    const operator = runtime.operator;
    app.use(create_inspector_router_1.INSPECTOR_BASE, (0, create_inspector_router_1.createInspectorRouter)({
        settings: inspector,
        store,
        bots: options.bots,
        ...(operator ? { operator } : {}),
        metrics,
        clock,
        logger,
        ...(playground ? { playground: playground.router } : {}),
    }));
    const botRouter = (0, create_bot_router_1.createBotRouter)({
        bots: options.bots,
        store,
        runtime,
        config,
        portals,
        clock,
        logger,
        metrics,
        hooks: {
            onInstalled: (record) => fetchTransport?.addPortal(record),
            onUninstalled: (memberId) => fetchTransport?.removePortal(memberId),
            onBotDeleted: (memberId, botId) => fetchTransport?.removeBot(memberId, botId),
            ...(options.onOpenLineEvent ? { onOpenLineEvent: options.onOpenLineEvent } : {}),
        },
    });
    app.use(botRouter);
    app.use((_req, res) => {
        res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' });
    });
    // Express 5 routes rejected promises here; a bug must still answer JSON and leave the process up.
    app.use((err, _req, res, _next) => {
        const status = typeof err?.status === 'number'
            ? err.status
            : 500;
        if (status >= 500)
            logger.error({ err }, 'request failed');
        if (!res.headersSent)
            res.status(status).json({
                code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
                message: status >= 500 ? 'internal error' : 'bad request',
            });
    });
    // `POST /events` (every event Bitrix24 sends) skips express's router and middleware: the fast
    // path answers it as the route would, and hands to the app whatever it does not answer itself.
    const fastEvents = (0, create_bot_router_1.eventsFastPathOf)(botRouter);
    const listener = (req, res) => {
        const url = req.url;
        if (fastEvents === undefined ||
            req.method !== 'POST' ||
            url === undefined ||
            !(url === '/events' || url.startsWith('/events?'))) {
            void app(req, res);
            return;
        }
        // The same as the first middleware of the app: a draining server asks clients to close.
        if (stopping)
            res.setHeader('Connection', 'close');
        fastEvents(req, res, () => void app(req, res)).catch((err) => {
            logger.error({ err }, 'request failed');
            if (!res.headersSent) {
                const text = JSON.stringify({ code: 'INTERNAL', message: 'internal error' });
                res.writeHead(500, {
                    'Content-Type': 'application/json; charset=utf-8',
                    'Content-Length': Buffer.byteLength(text),
                });
                res.end(text);
            }
        });
    };
    const server = {
        app,
        runtime,
        store,
        portals,
        config,
        fetchTransport,
        get httpServer() {
            return httpServer;
        },
        async listen(port, host) {
            if (httpServer)
                throw new Error('already listening');
            await opened.ready;
            await runtime.start();
            await fetchTransport?.start();
            const s = (0, node_http_1.createServer)(listener);
            httpServer = s;
            await new Promise((resolve, reject) => {
                s.once('error', reject);
                s.listen(port ?? config.port, host ?? config.host, () => {
                    s.off('error', reject);
                    resolve();
                });
            });
            const address = s.address();
            const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
            const url = `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? 'localhost' : shownHost}:${address.port}`;
            logger.info({
                url,
                mode: config.mode,
                eventMode: config.eventMode,
                store: store.kind,
                bots: options.bots.map((b) => b.code),
            }, 'listening');
            return { port: address.port, url };
        },
        close(closeOptions = {}) {
            closing ??= (async () => {
                const deadlineMs = closeOptions.deadlineMs ?? 10_000;
                const deadline = Date.now() + deadlineMs;
                stopping = true;
                await fetchTransport?.stop();
                const s = httpServer;
                if (s) {
                    const closed = new Promise((resolve) => s.close(() => resolve()));
                    s.closeIdleConnections();
                    // At most half of the deadline for HTTP: the runtime needs the rest to drain turns and the outbox.
                    const force = setTimeout(() => s.closeAllConnections(), Math.max(0, (deadline - Date.now()) / 2));
                    force.unref();
                    await closed;
                    clearTimeout(force);
                }
                await runtime.stop({ deadlineMs: Math.max(0, deadline - Date.now()) });
                await playground?.close();
                if (ownsStore)
                    await store.close();
                logger.info('server closed');
            })();
            return closing;
        },
    };
    return server;
}
