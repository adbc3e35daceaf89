"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startLocalSimulator = startLocalSimulator;
/**
 * The local portal simulator `serve` uses when no portal is configured: the test kit's fake
 * portal on loopback, set up as an incoming webhook, with the bots registered on it and every
 * call the bots make printed as a chat line. A newcomer sees the server work before owning a
 * Bitrix24 portal.
 */
const create_rest_client_1 = require("../bitrix/create-rest-client");
const register_bot_1 = require("../bitrix/register-bot");
const fake_portal_1 = require("../testing/fake-portal");
const describe_rest_call_1 = require("./describe-rest-call");
const BOT_TOKEN = 'local-simulator-bot-token';
const CLIENT_ID = 'local-simulator-client-id';
const APPLICATION_TOKEN = 'local-simulator-application-token';
/**
 * Starts the simulator.
 *
 * @example
 * const sim = await startLocalSimulator({ print: (l) => console.log(l) });
 * const config = loadConfig({ env: { ...process.env, ...sim.env } });
 */
async function startLocalSimulator(options) {
    const portal = await (0, fake_portal_1.createFakePortal)({
        // A fixed member id keeps the dialogs of earlier runs (SQLite store) under the same key.
        memberId: 'local-simulator',
        rateLimit: false,
        lines: [
            {
                ID: 1,
                LINE_NAME: 'Local line',
                WELCOME_MESSAGE_TEXT: 'Welcome to our support chat!',
                QUEUE: [5],
            },
            { ID: 2, LINE_NAME: 'Sales', QUEUE: [6] },
        ],
    });
    let seen = 0;
    const timer = setInterval(() => {
        const calls = portal.calls;
        for (; seen < calls.length; seen++) {
            const call = calls[seen];
            if (!call || call.method.toLowerCase() === 'batch')
                continue;
            const ref = [call.params.CHAT_ID, call.params.DIALOG_ID, call.params.dialogId].find((v) => typeof v === 'string' || typeof v === 'number');
            const chat = ref === undefined ? '' : String(ref);
            const where = chat === '' ? '' : ` ${/^\d+$/.test(chat) ? `chat${chat}` : chat}`;
            const out = (0, describe_rest_call_1.describeRestCall)({ method: call.method, params: call.params });
            if (out === undefined)
                continue;
            if (call.error) {
                options.print(`[simulator]${where} ${call.method} refused: ${call.error}`);
                continue;
            }
            for (const line of (0, describe_rest_call_1.formatChatOutput)(out))
                options.print(`[simulator]${where} ${line}`);
        }
    }, options.pollMs ?? 100);
    timer.unref();
    const env = {
        B24_WEBHOOK_URL: portal.webhookUrl,
        B24_BOT_TOKEN: BOT_TOKEN,
        B24_CLIENT_ID: CLIENT_ID,
        B24_APPLICATION_TOKEN: APPLICATION_TOKEN,
        B24_MEMBER_ID: portal.memberId,
        B24_EVENT_MODE: 'webhook',
    };
    return {
        portal,
        env,
        async registerBots(bots, handlerUrl) {
            const ids = new Map();
            for (const bot of bots) {
                const auth = bot.apiVersion === 2 ? { botToken: BOT_TOKEN } : { clientId: CLIENT_ID };
                const client = (0, create_rest_client_1.createRestClient)({
                    auth: { type: 'webhook', url: portal.webhookUrl, ...auth },
                });
                ids.set(bot.code, await (0, register_bot_1.ensureBotRegistered)(client.api, {
                    code: bot.code,
                    name: bot.name,
                    apiVersion: bot.apiVersion,
                    mode: 'webhook',
                    url: handlerUrl,
                }));
            }
            return ids;
        },
        sampleRequests({ eventsUrl, bot, botId }) {
            const chat = {
                id: 1,
                dialogId: 'chat1',
                type: 'lines',
                entityType: 'LINES',
                entityId: 'livechat|1|1|100',
            };
            const user = { id: 100, name: 'Ann', firstName: 'Ann', connector: true };
            const auth = {
                domain: portal.domain,
                member_id: portal.memberId,
                application_token: `custom${BOT_TOKEN}`,
            };
            const join = {
                event: 'ONIMBOTV2JOINCHAT',
                data: { bot: { id: botId, code: bot.code }, dialogId: 'chat1', chat, user },
                auth,
            };
            const message = {
                event: 'ONIMBOTV2MESSAGEADD',
                data: {
                    bot: { id: botId, code: bot.code },
                    chat,
                    user,
                    message: { id: 1, chatId: 1, authorId: 100, text: 'I want to talk to a human' },
                },
                auth,
            };
            const curl = (body) => `curl -s -H 'content-type: application/json' -d '${JSON.stringify(body)}' ${eventsUrl}`;
            return [curl(join), curl(message)];
        },
        async close() {
            clearInterval(timer);
            await portal.close();
        },
    };
}
