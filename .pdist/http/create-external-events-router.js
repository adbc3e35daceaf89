"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.createExternalEventsRouter = createExternalEventsRouter;
/**
 * `POST /dialog-events`: the host application's own events into running dialogs over HTTP,
 * protected by a bearer token (`OPENLINES_EXTERNAL_EVENTS_TOKEN`; without it the route does not
 * exist). The body is one delivery or `{ deliveries: [...] }` (JSON):
 * `{ "dialog": "<member id>:<bot id>:<chat id>", "event": { "type": "crm.booking.confirmed", ... }, "key": "deal-15" }`.
 * Answers 202 (accepted), 200 `duplicate`, 404 `NO_DIALOG`, 400 with the problems, 401 without
 * the token.
 */
const node_crypto_1 = require("node:crypto");
const express_1 = __importStar(require("express"));
const errors_1 = require("../errors");
const external_event_1 = require("../runtime/external-event");
const MAX_DELIVERIES = 100;
function digest(value) {
    return (0, node_crypto_1.createHash)('sha256').update(value, 'utf8').digest();
}
/** Constant-time comparison of the presented token with the expected one. */
function tokenMatches(header, expected) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m)
        return false;
    return (0, node_crypto_1.timingSafeEqual)(digest(m[1]), expected);
}
/**
 * Creates the router; mount it only when a token is configured.
 *
 * @example
 * app.use(createExternalEventsRouter({ runtime, token: config.externalEventsToken, logger }));
 */
function createExternalEventsRouter(options) {
    const { runtime, logger } = options;
    const expected = digest(options.token);
    const router = (0, express_1.Router)();
    const path = options.path ?? '/dialog-events';
    router.post(path, (req, res, next) => {
        // Checked before the body is read: an anonymous caller costs nothing.
        if (!tokenMatches(req.get('authorization'), expected)) {
            logger.warn({ ip: req.ip }, 'external event refused: missing or wrong bearer token');
            res
                .status(401)
                .setHeader('WWW-Authenticate', 'Bearer realm="openlines-bot"')
                .json({ code: 'UNAUTHORIZED', message: 'a valid bearer token is required' });
            return;
        }
        next();
    }, express_1.default.json({ limit: external_event_1.MAX_EXTERNAL_EVENT_BYTES * 4, type: () => true }), async (req, res) => {
        const body = req.body;
        const many = Array.isArray(body?.deliveries);
        const deliveries = (many ? body?.deliveries : [body]);
        if (deliveries.length === 0 || deliveries.length > MAX_DELIVERIES) {
            res.status(400).json({
                code: 'BAD_REQUEST',
                message: `send 1 to ${MAX_DELIVERIES} deliveries`,
            });
            return;
        }
        let results;
        try {
            results = await runtime.deliver(deliveries);
        }
        catch (e) {
            if ((0, errors_1.isOpenlinesError)(e) && e.code === 'CONFIG') {
                res.status(400).json({
                    code: 'BAD_REQUEST',
                    message: 'invalid external event',
                    problems: e.problems,
                });
                return;
            }
            throw e;
        }
        if (many) {
            res.status(results.some((r) => r.status === 'accepted') ? 202 : 200).json({ results });
            return;
        }
        const r = results[0];
        if (r.status === 'no-dialog') {
            res.status(404).json({
                code: 'NO_DIALOG',
                message: 'the dialog has no running conversation',
            });
            return;
        }
        res.status(r.status === 'accepted' ? 202 : 200).json(r);
    });
    return router;
}
