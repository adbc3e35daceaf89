"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadConfig = loadConfig;
/**
 * Configuration from environment variables, validated with zod at start-up. Every problem is
 * collected and reported at once (a `ConfigError` with one line per problem), so a deployment is
 * fixed in one round instead of one variable at a time.
 */
const zod_1 = require("zod");
const errors_1 = require("../errors");
const parse_store_url_1 = require("./parse-store-url");
const parse_webhook_url_1 = require("./parse-webhook-url");
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_JOIN_WINDOW_MS = 1000;
/** A number in range, with one readable message for every way it can be wrong. */
function numberIn(min, max, def, kind) {
    const error = `must be ${kind === 'integer' ? 'an integer' : 'a number'} from ${min} to ${max}`;
    const n = zod_1.z.coerce.number({ error }).min(min, { error }).max(max, { error });
    return (kind === 'integer' ? n.int({ error }) : n).default(def);
}
const schema = zod_1.z.object({
    PORT: numberIn(0, 65535, 3000, 'integer'),
    HOST: zod_1.z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: zod_1.z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://bot.example.com' })
        .optional(),
    B24_EVENT_MODE: zod_1.z
        .enum(['webhook', 'fetch'], { error: 'must be "webhook" or "fetch"' })
        .optional(),
    LOG_LEVEL: zod_1.z
        .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
        .default('info'),
    B24_RATE_BURST: numberIn(1, 10_000, 50, 'integer'),
    B24_RATE_PER_SECOND: numberIn(0.01, 1000, 2, 'number'),
    // Bitrix24 asks for 5 to 30 s between polls of an empty queue (README trap 16).
    B24_FETCH_IDLE_SECONDS: numberIn(5, 30, 10, 'number'),
    OPENLINES_BODY_LIMIT: numberIn(1024, 64 * 1024 * 1024, DEFAULT_BODY_LIMIT, 'integer'),
    OPENLINES_JOIN_WINDOW_MS: numberIn(0, 60_000, DEFAULT_JOIN_WINDOW_MS, 'integer'),
    B24_BOT_TOKEN: zod_1.z
        .string()
        .max(40, { error: 'at most 40 characters (Bitrix24 rejects longer bot tokens)' })
        .optional(),
    B24_CLIENT_ID: zod_1.z.string().optional(),
    B24_APPLICATION_TOKEN: zod_1.z.string().optional(),
    B24_ACCEPTED_BOT_TOKENS: zod_1.z.string().optional(),
    B24_MEMBER_ID: zod_1.z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'letters, digits, "_", "-" and "." only' })
        .optional(),
    B24_APP_CLIENT_ID: zod_1.z.string().optional(),
    B24_APP_CLIENT_SECRET: zod_1.z.string().optional(),
    OPENLINES_EXTERNAL_EVENTS_TOKEN: zod_1.z
        .string()
        .min(16, { error: 'at least 16 characters (it guards delivery into every dialog)' })
        .max(512)
        .regex(/^\S+$/, { error: 'no spaces' })
        .optional(),
});
const SECRET_VARS = [
    'B24_WEBHOOK_URL',
    'B24_BOT_TOKEN',
    'B24_CLIENT_ID',
    'B24_APPLICATION_TOKEN',
    'B24_ACCEPTED_BOT_TOKENS',
    'B24_APP_CLIENT_SECRET',
    'OPENLINES_EXTERNAL_EVENTS_TOKEN',
];
/** `a, b,,c` → `['a', 'b', 'c']`. */
function list(value) {
    return (value ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
}
/**
 * Every form of `auth[application_token]` a portal may send for the configured bot, without
 * duplicates (the first form of a value wins).
 */
function acceptedTokensOf(v) {
    const out = [];
    const add = (form, token) => {
        if (token && !out.some((t) => t.token === token))
            out.push({ form, token });
    };
    add('B24_APPLICATION_TOKEN', v.B24_APPLICATION_TOKEN);
    add('CLIENT_ID', v.B24_CLIENT_ID);
    add('custom+CLIENT_ID', v.B24_CLIENT_ID && `custom${v.B24_CLIENT_ID}`);
    for (const bot of [v.B24_BOT_TOKEN, ...v.extraBotTokens]) {
        add('custom+bot token', bot && `custom${bot}`);
        add('bot token', bot);
    }
    return out;
}
/** Empty strings mean "unset": `FOO=` in a .env file should not fail validation. */
function clean(env) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (typeof v === 'string' && v.trim() !== '')
            out[k] = v.trim();
    return out;
}
/**
 * Reads and validates the configuration. Throws a `ConfigError` listing every problem.
 *
 * @example
 * const config = loadConfig({ env: process.env });
 * if (config.mode === 'local') console.log('no portal configured: using the local simulator');
 */
function loadConfig(options = {}) {
    const env = clean(options.env ?? process.env);
    for (const name of SECRET_VARS)
        (0, errors_1.registerSecret)(env[name]);
    const problems = [];
    const parsed = schema.safeParse(env);
    if (!parsed.success) {
        for (const issue of parsed.error.issues)
            problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
    const v = parsed.success ? parsed.data : schema.partial().parse({});
    const store = (0, parse_store_url_1.parseStoreUrl)({ url: env.OPENLINES_STORE });
    if (store.status === 'invalid')
        problems.push(store.problem);
    const wantsWebhook = env.B24_WEBHOOK_URL !== undefined;
    const wantsApp = env.B24_APP_CLIENT_ID !== undefined || env.B24_APP_CLIENT_SECRET !== undefined;
    if (wantsWebhook && wantsApp) {
        problems.push('B24_WEBHOOK_URL and B24_APP_CLIENT_ID/B24_APP_CLIENT_SECRET are both set: choose webhook mode (one portal) or app mode (many portals)');
    }
    const mode = wantsApp ? 'app' : wantsWebhook ? 'webhook' : 'local';
    const eventMode = v.B24_EVENT_MODE ?? 'webhook';
    if (!wantsWebhook) {
        for (const name of [
            'B24_BOT_TOKEN',
            'B24_CLIENT_ID',
            'B24_APPLICATION_TOKEN',
            'B24_ACCEPTED_BOT_TOKENS',
        ]) {
            if (env[name] !== undefined && !wantsApp)
                problems.push(`${name} is set but B24_WEBHOOK_URL is not: webhook mode needs the incoming webhook URL`);
        }
    }
    let webhook;
    if (wantsWebhook) {
        const url = (0, parse_webhook_url_1.parseWebhookUrl)({ url: env.B24_WEBHOOK_URL ?? '' });
        if (url.status === 'invalid')
            problems.push(`B24_WEBHOOK_URL: ${url.problem}`);
        if (env.B24_BOT_TOKEN === undefined && env.B24_CLIENT_ID === undefined) {
            problems.push('B24_BOT_TOKEN (v2 bots) or B24_CLIENT_ID (v1 bots) is required with B24_WEBHOOK_URL: Bitrix24 needs it on every bot call made through a webhook');
        }
        const extraBotTokens = list(v.B24_ACCEPTED_BOT_TOKENS);
        for (const t of extraBotTokens)
            (0, errors_1.registerSecret)(t);
        if (extraBotTokens.some((t) => t.length > 40))
            problems.push('B24_ACCEPTED_BOT_TOKENS: every bot token has at most 40 characters');
        const accepted = acceptedTokensOf({ ...v, extraBotTokens });
        for (const t of accepted)
            (0, errors_1.registerSecret)(t.token);
        if (url.status === 'ok') {
            webhook = {
                url: url.url,
                domain: url.domain,
                memberId: v.B24_MEMBER_ID ?? url.hostname,
                ...(v.B24_BOT_TOKEN ? { botToken: v.B24_BOT_TOKEN } : {}),
                ...(v.B24_CLIENT_ID ? { clientId: v.B24_CLIENT_ID } : {}),
                ...(extraBotTokens.length > 0 ? { acceptedBotTokens: extraBotTokens } : {}),
                applicationTokens: accepted.map((t) => t.token),
                acceptedTokens: accepted,
            };
        }
        if (eventMode === 'fetch' && env.B24_BOT_TOKEN === undefined) {
            problems.push('B24_EVENT_MODE=fetch needs a v2 bot (B24_BOT_TOKEN): v1 bots only receive events by webhook');
        }
    }
    let app;
    if (wantsApp) {
        if (env.B24_APP_CLIENT_ID === undefined)
            problems.push("B24_APP_CLIENT_ID is required in app mode (the application's client_id)");
        if (env.B24_APP_CLIENT_SECRET === undefined)
            problems.push("B24_APP_CLIENT_SECRET is required in app mode (the application's client_secret)");
        if (env.PUBLIC_URL === undefined) {
            problems.push('PUBLIC_URL is required in app mode: installation registers the bots with <PUBLIC_URL>/events and binds uninstall to it');
        }
        if (env.B24_APP_CLIENT_ID !== undefined && env.B24_APP_CLIENT_SECRET !== undefined) {
            app = { clientId: env.B24_APP_CLIENT_ID, clientSecret: env.B24_APP_CLIENT_SECRET };
        }
    }
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems);
    return {
        mode,
        port: v.PORT ?? 3000,
        host: v.HOST ?? '0.0.0.0',
        ...(v.PUBLIC_URL ? { publicUrl: v.PUBLIC_URL.replace(/\/+$/, '') } : {}),
        store: store.status === 'ok' ? store.spec : { kind: 'memory' },
        eventMode,
        logLevel: v.LOG_LEVEL ?? 'info',
        rate: { burst: v.B24_RATE_BURST ?? 50, perSecond: v.B24_RATE_PER_SECOND ?? 2 },
        fetchIdleMs: (v.B24_FETCH_IDLE_SECONDS ?? 10) * 1000,
        bodyLimitBytes: v.OPENLINES_BODY_LIMIT ?? DEFAULT_BODY_LIMIT,
        joinWindowMs: v.OPENLINES_JOIN_WINDOW_MS ?? DEFAULT_JOIN_WINDOW_MS,
        ...(webhook ? { webhook } : {}),
        ...(app ? { app } : {}),
        ...(v.OPENLINES_EXTERNAL_EVENTS_TOKEN
            ? { externalEventsToken: v.OPENLINES_EXTERNAL_EVENTS_TOKEN }
            : {}),
    };
}
