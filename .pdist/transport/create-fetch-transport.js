"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createFetchTransport = createFetchTransport;
/**
 * Runs one fetch poller per (portal, v2 bot). Webhook mode: the configured portal; the bot ids come
 * from the store, or from an idempotent `ensureBotRegistered(... mode: 'fetch')` on first start.
 * App mode: every installed portal with the bot registered; installs and uninstalls add and
 * remove pollers while running.
 */
const register_bot_1 = require("../bitrix/register-bot");
const clock_1 = require("../clock");
const logger_1 = require("../logger");
const metrics_1 = require("../metrics");
const forget_bot_1 = require("./forget-bot");
const fetch_poller_1 = require("./fetch-poller");
function refOf(record) {
    return {
        memberId: record.memberId,
        domain: record.domain,
        ...(record.clientEndpoint ? { clientEndpoint: record.clientEndpoint } : {}),
        ...(record.serverEndpoint ? { serverEndpoint: record.serverEndpoint } : {}),
    };
}
/**
 * Creates the fetch transport.
 *
 * @example
 * const fetchTransport = createFetchTransport({ bots, store, portals, runtime, config });
 * await fetchTransport.start();
 */
function createFetchTransport(options) {
    const { store, portals, runtime, config } = options;
    const clock = options.clock ?? clock_1.systemClock;
    const logger = options.logger ?? (0, logger_1.silentLogger)();
    const metrics = options.metrics ?? metrics_1.noopMetrics;
    const register = options.register ?? register_bot_1.ensureBotRegistered;
    const v2Bots = options.bots.filter((b) => b.apiVersion === 2);
    const running = new Map();
    let stopped = false;
    for (const b of options.bots) {
        if (b.apiVersion !== 2)
            logger.warn({ botCode: b.code }, 'fetch mode exists only for v2 bots: this v1 bot receives no events');
    }
    const keyOf = (memberId, botId) => `${memberId}:${botId}`;
    async function startPoller(record, botId) {
        const key = keyOf(record.memberId, botId);
        if (stopped || running.has(key))
            return;
        const client = await portals.clients(record.memberId);
        const poller = (0, fetch_poller_1.createFetchPoller)({
            ...options.poller,
            client,
            botId,
            portal: refOf(record),
            runtime,
            store,
            clock,
            logger,
            metrics,
            ...(config.fetchIdleMs !== undefined ? { idleMs: config.fetchIdleMs } : {}),
            onBotDeleted: (id) => {
                logger.info({ portal: record.memberId, bot: id }, 'bot deleted on the portal: polling stops');
                (0, forget_bot_1.forgetBot)({ store, memberId: record.memberId, botId: id, now: clock.now() })
                    .catch((e) => logger.error({ err: e, portal: record.memberId, bot: id }, 'could not forget the deleted bot'))
                    .finally(() => void transport.removeBot(record.memberId, id));
            },
        });
        running.set(key, poller);
        poller.start();
    }
    /** Webhook mode: make sure each v2 bot exists in fetch mode and its id is stored. */
    async function webhookPortal() {
        const w = config.webhook;
        if (!w)
            throw new Error('fetch transport: webhook mode without a webhook configuration');
        const now = clock.now();
        let record = (await store.getPortal(w.memberId)) ?? {
            memberId: w.memberId,
            domain: w.domain,
            bots: {},
            installedAt: now,
            updatedAt: now,
        };
        const missing = v2Bots.filter((b) => !record.bots[b.code]);
        if (missing.length > 0) {
            const client = await portals.clients(w.memberId);
            const bots = { ...record.bots };
            for (const b of missing) {
                const id = await register(client.api, {
                    code: b.code,
                    name: b.name,
                    apiVersion: 2,
                    mode: 'fetch',
                    properties: { ...b.properties },
                    ...(b.commands ? { commands: b.commands } : {}),
                });
                bots[b.code] = { id, apiVersion: 2 };
                logger.info({ portal: w.memberId, bot: id, botCode: b.code }, 'bot registered in fetch mode');
            }
            record = { ...record, bots, updatedAt: clock.now() };
            await store.savePortal(record);
        }
        return record;
    }
    const transport = {
        async start() {
            stopped = false;
            const records = config.mode === 'app' ? await store.listPortals() : [await webhookPortal()];
            for (const record of records)
                await transport.addPortal(record);
        },
        async stop() {
            stopped = true;
            const all = [...running.values()];
            running.clear();
            await Promise.all(all.map((p) => p.stop()));
        },
        async addPortal(record) {
            for (const b of v2Bots) {
                const bot = record.bots[b.code];
                if (bot && bot.apiVersion === 2)
                    await startPoller(record, bot.id);
            }
        },
        async removePortal(memberId) {
            const mine = [...running.entries()].filter(([k]) => k.startsWith(`${memberId}:`));
            for (const [k] of mine)
                running.delete(k);
            await Promise.all(mine.map(([, p]) => p.stop()));
        },
        async removeBot(memberId, botId) {
            const key = keyOf(memberId, botId);
            const p = running.get(key);
            running.delete(key);
            await p?.stop();
        },
        pollers: () => [...running.values()],
    };
    return transport;
}
