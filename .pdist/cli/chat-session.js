"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createChatSession = createChatSession;
/**
 * One offline conversation with a bot, through the real runtime: a memory store, a fake portal
 * on loopback (`createFakePortal`) and the real REST client. The client's turns become dialog
 * events; what the bot does comes back as the REST calls it made, described for a person.
 */
const create_rest_client_1 = require("../bitrix/create-rest-client");
const register_bot_1 = require("../bitrix/register-bot");
const logger_1 = require("../logger");
const create_runtime_1 = require("../runtime/create-runtime");
const memory_store_1 = require("../store/memory-store");
const store_1 = require("../store/store");
const fake_portal_1 = require("../testing/fake-portal");
const describe_rest_call_1 = require("./describe-rest-call");
const shifted_clock_1 = require("./shifted-clock");
/**
 * A logger whose failure lines become system lines of the chat: the developer sees why the bot
 * apologised without `--verbose`.
 */
function explainingLogger(onOutput, verbose) {
    return (0, logger_1.createLogger)({
        level: verbose ? 'debug' : 'warn',
        destination: {
            write(line) {
                verbose?.write(line);
                let o;
                try {
                    o = JSON.parse(line);
                }
                catch {
                    return;
                }
                const error = typeof o.error === 'string' ? o.error : undefined;
                if (o.msg === 'turn failed; dialog gets the fallback')
                    onOutput({ kind: 'system', text: `[the turn failed: ${error ?? 'unknown error'}]` });
                else if (o.msg === 'invoked REST call failed')
                    onOutput({
                        kind: 'system',
                        text: `[the invoked call ${String(o.method)} failed: ${error ?? 'unknown error'}]`,
                    });
            },
        },
    });
}
const CHAT_ID = 1;
const LINE_ID = 1;
const CLIENT_ID = 100;
const OFFLINE_HANDLER = 'http://127.0.0.1:9/openlines-bot-chat';
/** Reports every call the runtime's client made, with its outcome, in the order the portal answered. */
function watchClient(client, report) {
    return {
        portalId: client.portalId,
        async call(method, params, options) {
            try {
                const result = await client.call(method, params, options);
                report({ method, params: params ?? {} });
                return result;
            }
            catch (e) {
                report({ method, params: params ?? {} }, e.error ?? e.message);
                throw e;
            }
        },
        async batch(calls, options) {
            const results = await client.batch(calls, options);
            calls.forEach((c, i) => {
                const r = results[i];
                report(c, r?.status === 'error' ? r.error : undefined);
            });
            return results;
        },
    };
}
/**
 * Starts an offline chat with `bot`.
 *
 * @example
 * const chat = await createChatSession({ bot, clientName: 'Ann', onOutput: (o) => console.log(o) });
 * await chat.join();
 * await chat.send('order');
 * await chat.close();
 */
async function createChatSession(options) {
    const { bot } = options;
    const portal = await (0, fake_portal_1.createFakePortal)({
        rateLimit: false,
        lines: [
            {
                ID: 1,
                LINE_NAME: 'Local line',
                WELCOME_MESSAGE_TEXT: 'Welcome to our support chat!',
                QUEUE: [5],
            },
            { ID: 2, LINE_NAME: 'Sales', QUEUE: [6] },
            { ID: 3, LINE_NAME: 'Second line', QUEUE: [7] },
        ],
    });
    const clock = (0, shifted_clock_1.createShiftedClock)();
    const auth = bot.apiVersion === 2
        ? { botToken: 'local-chat-bot-token' }
        : { clientId: 'local-chat-client-id' };
    const client = (0, create_rest_client_1.createRestClient)({
        auth: { type: 'webhook', url: portal.webhookUrl, ...auth },
        clock,
    });
    const botId = await (0, register_bot_1.ensureBotRegistered)(client.api, {
        code: bot.code,
        name: bot.name,
        apiVersion: bot.apiVersion,
        ...(bot.apiVersion === 2
            ? { mode: 'fetch' }
            : { mode: 'webhook', url: OFFLINE_HANDLER }),
    });
    portal.openChat({
        chatId: CHAT_ID,
        lineId: LINE_ID,
        userCode: `livechat|${LINE_ID}|${CHAT_ID}|${CLIENT_ID}`,
    });
    const welcomeText = portal.lines.find((l) => l.ID === LINE_ID)?.WELCOME_MESSAGE_TEXT;
    let choices = [];
    const watched = watchClient(client, (call, error) => {
        if (error !== undefined) {
            options.onOutput({
                kind: 'system',
                text: `[${call.method} was refused by the portal: ${error}]`,
            });
            return;
        }
        const out = (0, describe_rest_call_1.describeRestCall)({
            method: call.method,
            params: call.params ?? {},
            ...(welcomeText ? { welcomeText } : {}),
        });
        if (!out)
            return;
        if (out.kind === 'bot')
            choices = out.choices;
        options.onOutput(out);
    });
    const store = options.store ?? (0, memory_store_1.memoryStore)();
    const runtime = (0, create_runtime_1.createRuntime)({
        bots: [bot],
        store,
        clients: () => watched,
        clock,
        logger: options.logger ?? explainingLogger(options.onOutput, options.logDestination),
        turnTimeoutMs: options.turnTimeoutMs ?? 10_000,
    });
    await runtime.start();
    let session = 0;
    let seq = 0;
    const v = bot.apiVersion === 2 ? 'V2' : '';
    const client_ = {
        id: CLIENT_ID,
        name: options.clientName ?? 'Guest',
        ...(options.clientName ? { firstName: options.clientName } : {}),
        isConnector: true,
    };
    const base = (rawType) => ({
        rawType,
        apiVersion: bot.apiVersion,
        delivery: 'webhook',
        dedupeKey: `chat:${session}:${++seq}`,
        ts: Math.floor(clock.now() / 1000),
        portal: { memberId: portal.memberId, domain: portal.domain },
        bot: { id: botId, code: bot.code, apiVersion: bot.apiVersion },
        chatId: CHAT_ID,
        dialogId: `chat${CHAT_ID}`,
        isOpenLine: true,
        connector: 'livechat',
        lineId: LINE_ID,
        connectorChatId: String(CHAT_ID),
        connectorUserId: String(CLIENT_ID),
        sessionId: session,
        crm: {},
        client: client_,
        language: 'en',
    });
    const deliver = async (event) => {
        await runtime.accept([event]);
        await runtime.idle();
    };
    return {
        get choices() {
            return choices;
        },
        get session() {
            return portal.chat(CHAT_ID).session;
        },
        async join() {
            session += 1;
            choices = [];
            portal.setSession(CHAT_ID, 'bot');
            await deliver({ ...base(`ONIMBOT${v}JOINCHAT`), kind: 'join', userId: CLIENT_ID });
        },
        async send(text) {
            const message = portal.addClientMessage({ chat: CHAT_ID, text });
            await deliver({
                ...base(`ONIMBOT${v}MESSAGEADD`),
                kind: 'message',
                messageId: message.id,
                text,
                files: [],
                author: client_,
                isSystem: false,
            });
        },
        async command(command, params = '', source = 'keyboard') {
            await deliver({
                ...base(bot.apiVersion === 2 ? 'ONIMBOTV2COMMANDADD' : 'ONIMCOMMANDADD'),
                kind: 'command',
                command,
                params,
                context: source === 'slash' ? 'textarea' : 'keyboard',
            });
        },
        async wait(ms) {
            clock.advance(ms);
            await runtime.runDueTimers();
            await runtime.idle();
        },
        failNext(method, code) {
            portal.failNext(method, code);
        },
        store,
        dialogKey: (0, store_1.dialogKeyOf)(portal.memberId, botId, CHAT_ID),
        now: () => clock.now(),
        async close() {
            await runtime.stop({ deadlineMs: 2000 });
            await store.close();
            await portal.close();
        },
    };
}
