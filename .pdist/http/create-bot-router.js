"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.eventsFastPathOf = eventsFastPathOf;
exports.createBotRouter = createBotRouter;
const express_1 = require("express");
const clock_1 = require("../clock");
const event_validation_error_1 = require("../events/event-validation-error");
const logger_1 = require("../logger");
const metrics_1 = require("../metrics");
const create_portal_registry_1 = require("../portals/create-portal-registry");
const create_event_handler_1 = require("../transport/create-event-handler");
const create_installer_1 = require("../transport/create-installer");
const parse_install_request_1 = require("../transport/parse-install-request");
const install_page_1 = require("./install-page");
const read_raw_body_1 = require("./read-raw-body");
function contentTypeOf(req) {
    const ct = req.headers['content-type'];
    return typeof ct === 'string' ? ct.toLowerCase() : undefined;
}
/** Bitrix24 sends form bodies; JSON is accepted too (v2 docs disagree with themselves). */
function supported(contentType) {
    return (contentType === undefined ||
        contentType.startsWith('application/x-www-form-urlencoded') ||
        contentType.startsWith('application/json'));
}
/**
 * Answers with a JSON body straight through node's response: every event pays for this, and
 * express's `res.json` adds an ETag (a hash of the body) and content negotiation no webhook uses.
 */
function sendJson(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
}
/** Where a router made by {@link createBotRouter} keeps its {@link EventsFastPath}. */
const FAST_PATH = Symbol('openlines.eventsFastPath');
/** A body the fast path already read (over the limit), handed on to the router's route. */
const PRE_READ = Symbol('openlines.preReadBody');
/** The fast path of a router made by {@link createBotRouter}, or undefined for any other router. */
function eventsFastPathOf(router) {
    return router[FAST_PATH];
}
/**
 * Creates the router of `POST /events` and `POST /install`. When mounted under a path, include
 * that path in `config.publicUrl` (handler URLs are `<publicUrl>/events`).
 *
 * @example
 * const app = express();
 * app.use('/bitrix', createBotRouter({ bots: [supportBot], store, runtime, config: { ...config, publicUrl: 'https://example.com/bitrix' } }));
 */
function createBotRouter(options) {
    const { store, config, runtime } = options;
    const clock = options.clock ?? clock_1.systemClock;
    const logger = options.logger ?? (0, logger_1.silentLogger)();
    const metrics = options.metrics ?? metrics_1.noopMetrics;
    const limitBytes = config.bodyLimitBytes ?? read_raw_body_1.DEFAULT_BODY_LIMIT_BYTES;
    const hooks = options.hooks ?? {};
    const isApp = config.mode === 'app';
    let installer = options.installer;
    if (!installer && isApp) {
        const portals = options.portals ?? (0, create_portal_registry_1.createPortalRegistry)({ config, store, clock, logger, metrics });
        installer = (0, create_installer_1.createInstaller)({
            bots: options.bots,
            store,
            portals,
            eventMode: config.eventMode,
            ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
            clock,
            logger,
            ...(hooks.onInstalled ? { onInstalled: hooks.onInstalled } : {}),
            ...(hooks.onUninstalled ? { onUninstalled: hooks.onUninstalled } : {}),
        });
    }
    const handle = (0, create_event_handler_1.createEventHandler)({
        policy: isApp
            ? { kind: 'stored' }
            : {
                kind: 'static',
                tokens: config.webhook?.applicationTokens ?? [],
                ...(config.webhook?.acceptedTokens ? { forms: config.webhook.acceptedTokens } : {}),
            },
        store,
        runtime,
        ...(installer ? { installer } : {}),
        ...(hooks.onBotDeleted ? { onBotDeleted: hooks.onBotDeleted } : {}),
        ...(hooks.onOpenLineEvent ? { onOpenLineEvent: hooks.onOpenLineEvent } : {}),
        ...(!isApp && config.webhook
            ? { assumePortal: { memberId: config.webhook.memberId, domain: config.webhook.domain } }
            : {}),
        maxBytes: limitBytes,
        clock,
        logger,
        metrics,
    });
    const router = (0, express_1.Router)();
    router.post('/events', async (req, res) => {
        const contentType = contentTypeOf(req);
        if (!supported(contentType)) {
            req.resume();
            metrics.inc(metrics_1.METRIC.eventsTotal, { type: 'unknown', outcome: 'invalid' });
            res.status(415).json({
                code: 'EVENT_VALIDATION',
                message: 'expected application/x-www-form-urlencoded or application/json',
            });
            return;
        }
        const preRead = req[PRE_READ];
        const read = preRead ?? (await (0, read_raw_body_1.readRawBody)({ req, limitBytes }));
        if (read.status === 'aborted')
            return;
        if (read.status === 'too-large') {
            metrics.inc(metrics_1.METRIC.eventsTotal, { type: 'unknown', outcome: 'too_large' });
            res
                .set('Connection', 'close')
                .status(413)
                .json({ code: 'EVENT_VALIDATION', message: `body larger than ${limitBytes} bytes` });
            return;
        }
        const result = await handle({ body: read.body, contentType });
        sendJson(res, result.status, result.body);
    });
    const fastPath = async (req, res, fallback) => {
        const contentType = contentTypeOf(req);
        if (!supported(contentType))
            return fallback();
        const read = await (0, read_raw_body_1.readRawBody)({ req, limitBytes });
        if (read.status === 'aborted')
            return;
        if (read.status === 'too-large') {
            req[PRE_READ] = read;
            return fallback();
        }
        const result = await handle({ body: read.body, contentType });
        sendJson(res, result.status, result.body);
    };
    router[FAST_PATH] = fastPath;
    router.post('/install', async (req, res) => {
        if (!installer) {
            req.resume();
            res.status(404).json({
                code: 'CONFIG',
                message: 'installation needs app mode (B24_APP_CLIENT_ID, B24_APP_CLIENT_SECRET, PUBLIC_URL)',
            });
            return;
        }
        const read = await (0, read_raw_body_1.readRawBody)({ req, limitBytes });
        if (read.status === 'aborted')
            return;
        if (read.status === 'too-large') {
            res
                .set('Connection', 'close')
                .status(413)
                .json({ code: 'EVENT_VALIDATION', message: `body larger than ${limitBytes} bytes` });
            return;
        }
        let parsed;
        try {
            parsed = (0, parse_install_request_1.parseInstallRequest)({
                body: read.body,
                contentType: contentTypeOf(req),
                query: req.query,
                now: clock.now(),
            });
        }
        catch (e) {
            if (!(0, event_validation_error_1.isEventValidationError)(e))
                logger.error({ err: e }, 'install request decoder failed unexpectedly');
            res
                .status(400)
                .json((0, event_validation_error_1.isEventValidationError)(e)
                ? e.toJSON()
                : { code: 'EVENT_VALIDATION', message: 'the install request could not be decoded' });
            return;
        }
        let result;
        try {
            result = await installer.install(parsed.input);
        }
        catch (e) {
            logger.error({ err: e, portal: parsed.input.memberId }, 'installation failed');
            result = { status: 'failed', reason: 'installation could not be completed' };
        }
        const status = result.status === 'installed' ? 200 : result.status === 'refused' ? 401 : 502;
        res
            .status(status)
            .type('html')
            .send((0, install_page_1.installPage)({ status: result.status, ui: parsed.ui }));
    });
    return router;
}
