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
exports.INSPECTOR_BASE = void 0;
exports.securityHeaders = securityHeaders;
exports.serveAssets = serveAssets;
exports.isLoopback = isLoopback;
exports.createInspectorRouter = createInspectorRouter;
/**
 * The inspector, served under `/inspector`: a list of dialogs, a page per dialog (transcript
 * with the REST call of each reply, the machine diagram with the current state and the path
 * taken, context, timers, outbox), live metrics charts, and operator actions behind the guard.
 * Pages are static shells; their script polls the JSON API below and renders it as text.
 */
const node_crypto_1 = require("node:crypto");
const express_1 = __importStar(require("express"));
const describe_rest_call_1 = require("../cli/describe-rest-call");
const effect_call_1 = require("../runtime/effect-call");
const assets_1 = require("./assets");
const machine_outline_1 = require("./machine-outline");
const metrics_sampler_1 = require("./metrics-sampler");
const pages_1 = require("./pages");
/** Where the inspector is mounted. */
exports.INSPECTOR_BASE = '/inspector';
const COOKIE = 'olb_inspector';
const LIST_LIMIT = 1000;
/** Security headers of every inspector answer. */
function securityHeaders(_req, res, next) {
    res.setHeader('Content-Security-Policy', pages_1.CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    next();
}
/** Serves the shared script and stylesheet. */
function serveAssets(router) {
    router.get('/assets/app.js', (_req, res) => {
        res.type('application/javascript; charset=utf-8').send(assets_1.APP_JS);
    });
    router.get('/assets/app.css', (_req, res) => {
        res.type('text/css; charset=utf-8').send(assets_1.APP_CSS);
    });
}
function cookieValue(token) {
    return (0, node_crypto_1.createHash)('sha256').update(`openlines-inspector:${token}`).digest('hex');
}
function sameText(a, b) {
    const x = (0, node_crypto_1.createHash)('sha256').update(a).digest();
    const y = (0, node_crypto_1.createHash)('sha256').update(b).digest();
    return (0, node_crypto_1.timingSafeEqual)(x, y);
}
function cookieOf(req, name) {
    for (const part of (req.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === name)
            return part.slice(eq + 1).trim();
    }
    return undefined;
}
/** Whether the request carries the token (bearer header) or the login cookie. */
function signedIn(req, token) {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer '))
        return sameText(auth.slice(7).trim(), token);
    const cookie = cookieOf(req, COOKIE);
    return cookie !== undefined && sameText(cookie, cookieValue(token));
}
/** Whether a peer address is this machine. */
function isLoopback(address) {
    if (!address)
        return false;
    const a = address.startsWith('::ffff:') ? address.slice(7) : address;
    return a === '::1' || a.startsWith('127.');
}
const notFound = (res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' });
};
function partsOf(key) {
    const parts = key.split(':');
    return { portal: parts.slice(0, -2).join(':'), chat: parts.at(-1) ?? '' };
}
function stateValue(record) {
    const s = record.snapshot;
    return s && typeof s === 'object' ? (s.value ?? null) : null;
}
function leafText(value) {
    if (value === null || value === undefined)
        return '(ended)';
    const all = (0, machine_outline_1.activePaths)(value);
    return all.filter((p) => !all.some((q) => q !== p && q.startsWith(`${p}.`))).join(', ');
}
/** The states a dialog went through (from its history's turns) and every state it was in. */
function pathTaken(history) {
    const path = [];
    const visited = new Set();
    for (const e of history) {
        if (e.kind !== 'turn')
            continue;
        const state = e.data.state;
        (0, machine_outline_1.activePaths)(state).forEach((p) => visited.add(p));
        const text = leafText(state);
        if (path.at(-1) !== text)
            path.push(text);
    }
    return { path, visited: [...visited] };
}
/** Adds to each turn effect what a person in the chat saw (text, buttons). */
function annotate(history) {
    return history.map((e) => {
        if (e.kind !== 'turn')
            return e;
        const data = e.data;
        return {
            ...e,
            data: {
                ...data,
                effects: (data.effects ?? []).map((ef) => {
                    const shown = ef.call
                        ? (0, describe_rest_call_1.describeRestCall)({ method: ef.call.method, params: ef.call.params })
                        : undefined;
                    return shown ? { ...ef, shown } : ef;
                }),
            },
        };
    });
}
function methodOf(effect, meta) {
    try {
        return (0, effect_call_1.effectToCall)(effect, meta).method;
    }
    catch {
        return effect.type === 'call' ? effect.method : `(${effect.type})`;
    }
}
/**
 * Creates the inspector's router; mount it at {@link INSPECTOR_BASE}.
 *
 * @example
 * app.use(INSPECTOR_BASE, createInspectorRouter({ settings, store, bots, operator: runtime.operator, metrics, clock, logger }));
 */
function createInspectorRouter(options) {
    const { settings, store, clock, logger } = options;
    const base = exports.INSPECTOR_BASE;
    const router = (0, express_1.Router)();
    const outlines = new Map();
    const outlineOf = (code) => {
        if (code === undefined)
            return undefined;
        let o = outlines.get(code);
        const bot = options.bots.find((b) => b.code === code);
        if (!o && bot)
            outlines.set(code, (o = (0, machine_outline_1.machineOutline)(bot.machine)));
        return o;
    };
    const sampler = (0, metrics_sampler_1.createMetricsSampler)({ metrics: options.metrics, store, clock });
    router.use((req, res, next) => {
        // Without a token (local development) only this machine may look, whatever HOST says.
        if (!settings.enabled || (!settings.token && !isLoopback(req.socket.remoteAddress))) {
            notFound(res);
            return;
        }
        next();
    });
    router.use(securityHeaders);
    serveAssets(router);
    const { token } = settings;
    if (token) {
        router.get('/login', (_req, res) => {
            res.type('html').send((0, pages_1.loginPage)(base));
        });
        router.post('/login', express_1.default.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
            const given = req.body?.token;
            if (typeof given !== 'string' || !sameText(given, token)) {
                logger.warn('inspector sign-in with a wrong token');
                res.status(401).type('html').send((0, pages_1.loginPage)(base, 'Wrong token.'));
                return;
            }
            res.setHeader('Set-Cookie', `${COOKIE}=${cookieValue(token)}; Path=${base}; HttpOnly; SameSite=Strict; Max-Age=43200`);
            res.redirect(303, `${base}/`);
        });
        router.use((req, res, next) => {
            if (signedIn(req, token)) {
                next();
                return;
            }
            if (req.headers.authorization || cookieOf(req, COOKIE))
                logger.warn('inspector: wrong token');
            if (req.path.startsWith('/api/') || req.method !== 'GET')
                res.status(401).json({ code: 'UNAUTHORIZED', message: 'inspector token required' });
            else
                res.status(401).type('html').send((0, pages_1.loginPage)(base));
        });
    }
    const dev = settings.development;
    router.get('/', (_req, res) => void res.type('html').send((0, pages_1.listPage)(base, dev)));
    router.get('/dialog', (_req, res) => void res.type('html').send((0, pages_1.dialogPage)(base, dev)));
    router.get('/metrics', (_req, res) => void res.type('html').send((0, pages_1.metricsPage)(base, dev)));
    if (dev && options.playground)
        router.use('/play', options.playground);
    router.get('/api/dialogs', async (_req, res) => {
        if (!store.listDialogs) {
            res
                .status(501)
                .json({ code: 'UNSUPPORTED', message: `the ${store.kind} store cannot list dialogs` });
            return;
        }
        const dialogs = await store.listDialogs({ limit: LIST_LIMIT });
        res.json({
            now: clock.now(),
            actions: settings.actions,
            development: dev,
            dialogs: dialogs.map((d) => {
                const pending = d.timers.filter((t) => !t.fired);
                return {
                    key: d.dialogKey,
                    ...partsOf(d.dialogKey),
                    bot: d.meta?.botCode ?? '',
                    state: stateValue(d),
                    updatedAt: d.updatedAt,
                    timersPending: pending.length,
                    nextTimer: pending.length ? Math.min(...pending.map((t) => t.deadline)) : null,
                    outboxDepth: d.outboxDepth,
                    deadLetters: d.deadLetters,
                };
            }),
        });
    });
    router.get('/api/dialog', async (req, res) => {
        const key = typeof req.query.key === 'string' ? req.query.key : '';
        const record = key ? await store.loadDialog(key) : undefined;
        if (!record) {
            res.status(404).json({ code: 'NOT_FOUND', message: 'no such dialog' });
            return;
        }
        const meta = record.meta;
        const history = store.readHistory ? await store.readHistory(key) : [];
        const effects = store.dialogEffects ? await store.dialogEffects(key) : [];
        const { path, visited } = pathTaken(history);
        const snapshot = record.snapshot;
        res.json({
            key,
            ...partsOf(key),
            bot: meta?.botCode ?? '',
            conversation: meta?.conversation ?? 0,
            revision: record.revision,
            updatedAt: record.updatedAt,
            now: clock.now(),
            state: stateValue(record),
            context: snapshot?.context ?? null,
            outline: outlineOf(meta?.botCode) ?? null,
            path,
            visited,
            historyEnabled: history.length > 0 || store.readHistory !== undefined,
            history: annotate(history),
            timers: record.timers.map((t) => ({
                timerKey: t.timerKey,
                deadline: t.deadline,
                fired: t.fired === true,
                event: t.event?.type,
            })),
            effects: effects.map((e) => {
                const m = e.meta;
                return {
                    seq: e.seq,
                    status: e.status,
                    attempts: e.attempts,
                    ...(e.error !== undefined ? { error: e.error } : {}),
                    method: methodOf(e.effect, e.meta),
                    meta: { turn: m?.turn, index: m?.index },
                    availableAt: e.availableAt,
                };
            }),
            actions: settings.actions && options.operator !== undefined,
            development: dev,
        });
    });
    router.get('/api/metrics', async (_req, res) => {
        res.json({ samples: await sampler.samples() });
    });
    // Operator actions: JSON with a custom header, which a cross-site form cannot send.
    const act = (name, run, devOnly = false) => {
        router.post(`/api/actions/${name}`, express_1.default.json({ limit: '4kb' }), async (req, res) => {
            if (req.headers['x-inspector-action'] !== '1') {
                res.status(403).json({ code: 'FORBIDDEN', message: 'missing X-Inspector-Action header' });
                return;
            }
            const operator = options.operator;
            if (!settings.actions || !operator || (devOnly && !dev)) {
                res.status(403).json({ code: 'FORBIDDEN', message: 'operator actions are not enabled' });
                return;
            }
            const body = (req.body ?? {});
            if (typeof body.key !== 'string' || body.key === '') {
                res.status(400).json({ code: 'BAD_REQUEST', message: 'key is required' });
                return;
            }
            const done = await run(operator, body);
            logger.info({ action: name, dialog: body.key, done }, 'inspector operator action');
            res.status(done ? 200 : 409).json({
                ok: done,
                ...(done
                    ? {}
                    : { message: `${name}: nothing to do (already done, or the dialog is busy)` }),
            });
        });
    };
    act('retry', (op, b) => op.retryDeadLetter(b.key, Number(b.seq)));
    act('fire-timer', (op, b) => op.fireTimer(b.key, String(b.timerKey)), true);
    act('reset', (op, b) => op.resetDialog(b.key));
    router.use((_req, res) => notFound(res));
    return router;
}
