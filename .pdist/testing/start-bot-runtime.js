"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_KIT_TURN_TIMEOUT_MS = exports.DEFAULT_TEST_LINES = void 0;
exports.startBotRuntime = startBotRuntime;
/**
 * The wiring behind `testBot`: a fake portal (loopback HTTP, or nock), the real REST client
 * pointed at it, the bot registered there, and the real runtime on a memory store with a fake
 * clock. Kept apart from the chat API so that each reads on its own.
 */
const node_http_1 = require("node:http");
const rate_budget_1 = require("../bitrix/rate-budget");
const create_rest_client_1 = require("../bitrix/create-rest-client");
const register_bot_1 = require("../bitrix/register-bot");
const clock_1 = require("../clock");
const logger_1 = require("../logger");
const create_runtime_1 = require("../runtime/create-runtime");
const effect_call_1 = require("../runtime/effect-call");
const memory_store_1 = require("../store/memory-store");
const fake_portal_1 = require("./fake-portal");
const spy_store_1 = require("./spy-store");
const watch_rest_client_1 = require("./watch-rest-client");
/** Lines of the test portal unless a test gives its own: 1 (the chat's line) to 9, so any small line id is a valid transfer target. */
exports.DEFAULT_TEST_LINES = Array.from({ length: 9 }, (_, i) => ({
    ID: i + 1,
    LINE_NAME: i === 0 ? 'Support' : `Line ${i + 1}`,
    ACTIVE: 'Y',
    WELCOME_MESSAGE_TEXT: i === 0 ? 'Welcome! An operator will answer you soon.' : '',
    QUEUE: [100 + i + 1],
}));
/** True when `method(params)` is the call the outbox effect `e` becomes. */
function isCallOf(e, method, params) {
    try {
        const call = (0, effect_call_1.effectToCall)(e.effect, e.meta);
        return call.method === method && JSON.stringify(call.params) === JSON.stringify(params);
    }
    catch {
        return false;
    }
}
/** The kit's turn timeout, in real time: below jest's default test timeout (5 s). */
exports.DEFAULT_KIT_TURN_TIMEOUT_MS = 4_000;
const OFFLINE_HANDLER = 'http://127.0.0.1:9/openlines-bot-test';
const LEVELS = { 40: 'warn', 50: 'error', 60: 'fatal' };
function captureLogger(onLog) {
    return (0, logger_1.createLogger)({
        level: 'warn',
        destination: {
            write(line) {
                try {
                    const o = JSON.parse(line);
                    const level = LEVELS[o.level ?? 0];
                    if (!level)
                        return;
                    const error = typeof o.error === 'string' ? o.error : typeof o.code === 'string' ? o.code : undefined;
                    onLog({
                        level,
                        msg: o.msg ?? '',
                        ...(error !== undefined ? { error } : {}),
                        ...(typeof o.reason === 'string' ? { reason: o.reason } : {}),
                    });
                }
                catch {
                    // Not JSON: nothing a test can use.
                }
            },
        },
    });
}
/**
 * Starts a fake portal, registers the bot there and starts the runtime.
 *
 * @example
 * const rt = await startBotRuntime({ bot, clock, chatId: 1777, lineId: 1, onSettled, onLog });
 * await rt.runtime.accept([event]);
 */
async function startBotRuntime(options) {
    const { bot, clock } = options;
    const portalOptions = {
        clock,
        rateLimit: false,
        lines: (options.lines ?? exports.DEFAULT_TEST_LINES).map((l) => ({ ...l })),
    };
    const loopback = options.nock ? undefined : await (0, fake_portal_1.createFakePortal)(portalOptions);
    const nocked = options.nock ? (0, fake_portal_1.mockPortal)(options.nock, portalOptions) : undefined;
    const portal = (loopback ?? nocked);
    // One kept-alive connection per chat: a new TCP connection for every call would cost more than the call.
    const agent = new node_http_1.Agent({ keepAlive: true, maxSockets: 4 });
    const closePortal = async () => {
        agent.destroy();
        if (loopback)
            await loopback.close();
        nocked?.close();
    };
    try {
        const credential = bot.apiVersion === 2
            ? { botToken: `test-bot-token-${bot.code}` }
            : { clientId: `test-client-${bot.code}` };
        const client = (0, create_rest_client_1.createRestClient)({
            auth: { type: 'webhook', url: portal.webhookUrl, ...credential },
            clock,
            // Retries belong to the outbox dispatcher, whose backoff the test clock controls.
            retries: { retries: 0 },
            rateBudget: (0, rate_budget_1.createRateBudget)({ burst: 1_000_000, drainPerSecond: 1_000_000, clock }),
            httpAgent: agent,
        });
        const botId = await (0, register_bot_1.ensureBotRegistered)(client.api, {
            code: bot.code,
            name: bot.name,
            apiVersion: bot.apiVersion,
            ...(bot.apiVersion === 2
                ? { mode: 'fetch' }
                : { mode: 'webhook', url: OFFLINE_HANDLER }),
            // Registered as in production: a button works on a real portal only for a registered command.
            ...(bot.commands ? { commands: bot.commands } : {}),
        });
        portal.openChat({ chatId: options.chatId, lineId: options.lineId });
        const { store, inFlight } = (0, spy_store_1.spyStore)((0, memory_store_1.memoryStore)(), { settled: options.onSettled });
        const watched = (0, watch_rest_client_1.watchRestClient)({
            client,
            isEffectCall: (method, params) => inFlight().some((e) => isCallOf(e, method, params)),
            onInvoked: options.onInvoked,
        });
        const runtime = (0, create_runtime_1.createRuntime)({
            bots: [bot],
            store,
            clients: () => watched,
            clock,
            logger: captureLogger(options.onLog),
            turnTimeoutMs: options.turnTimeoutMs ?? exports.DEFAULT_KIT_TURN_TIMEOUT_MS,
            // Real time: a machine that never settles fails its step instead of waiting for a fake clock.
            turnClock: clock_1.systemClock,
            owner: 'openlines-bot-testing',
            // Retry jitter at its midpoint: the same test retries at the same (fake) time on every run.
            dispatcher: { random: () => 0.5 },
        });
        await runtime.start();
        return {
            portal,
            runtime,
            store,
            botId,
            firstCall: portal.calls.length,
            async close() {
                try {
                    await runtime.stop({ deadlineMs: 1_000 });
                    await store.close();
                }
                finally {
                    await closePortal();
                }
            },
        };
    }
    catch (e) {
        await closePortal();
        throw e;
    }
}
