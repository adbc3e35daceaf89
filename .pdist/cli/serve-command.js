"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runServeCommand = runServeCommand;
/**
 * `openlines-bot serve <bot...>`: the HTTP server for one or more bots. With a portal configured
 * (`B24_*`) it serves that portal; without one it serves a local portal simulator, so that
 * `npm start` works on a fresh clone and shows what to do next.
 */
const load_config_1 = require("../config/load-config");
const runtime_env_1 = require("../config/runtime-env");
const create_server_1 = require("../http/create-server");
const inspector_settings_1 = require("../inspector/inspector-settings");
const install_shutdown_1 = require("../http/install-shutdown");
const logger_1 = require("../logger");
const redis_connection_1 = require("../store/redis-connection");
const redis_persistence_1 = require("../store/redis-persistence");
const redis_keys_1 = require("../store/redis-keys");
const check_webhook_1 = require("./check-webhook");
const create_rest_client_1 = require("../bitrix/create-rest-client");
const read_api_revisions_1 = require("../bitrix/read-api-revisions");
const cli_io_1 = require("./cli-io");
const load_bot_1 = require("./load-bot");
const local_simulator_1 = require("./local-simulator");
function storeText(config) {
    const { store } = config;
    if (store.kind === 'memory')
        return 'memory store (nothing survives a restart)';
    if (store.kind === 'sqlite')
        return `SQLite store ${store.path}`;
    // Host, port and database only: the URL may carry a password.
    return `Redis store ${(0, redis_connection_1.describeRedisUrl)(store.url)}, key prefix "${store.prefix ?? redis_keys_1.DEFAULT_REDIS_PREFIX}"`;
}
function quoteNames(bots) {
    return bots.map((b) => `"${b.code}"`).join(', ');
}
function localBanner(o) {
    const first = o.bots.find((b) => b.apiVersion === 2);
    const spec = o.specs[0] ?? 'bots/support';
    const samples = first
        ? o.sim.sampleRequests({
            eventsUrl: `${o.url}/events`,
            bot: first,
            botId: o.ids.get(first.code) ?? 0,
        })
        : [];
    return [
        '',
        `openlines-bot is serving ${quoteNames(o.bots)} at ${o.url} (${storeText(o.config)}).`,
        '',
        'No Bitrix24 portal is configured, so it runs against a local portal simulator',
        `(${o.sim.portal.url}). The bots are registered there; whatever they send shows below as [simulator] lines.`,
        '',
        'Try it:',
        `  curl ${o.url}/healthz`,
        ...(samples.length > 0
            ? ['  # a client opens a chat, then asks for a human:', ...samples.map((s) => `  ${s}`)]
            : []),
        `  # or chat with the bot in your terminal, offline: npx openlines-bot chat ${spec}`,
        '',
        'Connect a real portal (README: "Connect a real portal"):',
        '  1. In Bitrix24 create an incoming webhook with the scopes imbot and imopenlines.',
        '  2. export B24_WEBHOOK_URL=<the webhook URL> B24_BOT_TOKEN=<a secret you choose, at most 40 characters>',
        `  3. npx openlines-bot register ${spec} --url https://<your public address>/events   (or --fetch: no public address needed)`,
        '  4. Attach the bot to an open line: Contact Center > Open Channels > line settings > chatbot.',
        `  5. Start again with the same variables: npx openlines-bot serve ${spec}   (add B24_EVENT_MODE=fetch for fetch mode)`,
        '',
        'Stop with Ctrl+C.',
        '',
    ];
}
function portalBanner(o) {
    const { config } = o;
    const where = config.mode === 'app'
        ? 'OAuth app mode (portals install the app)'
        : `portal ${config.webhook?.domain ?? ''} (incoming webhook)`;
    const events = config.eventMode === 'fetch'
        ? 'fetch mode: polling imbot.v2.Event.get'
        : `events at ${config.publicUrl ?? o.url}/events`;
    return [
        `openlines-bot is serving ${quoteNames(o.bots)} at ${o.url}: ${where}, ${events}, ${storeText(config)}.`,
        ...(config.mode === 'webhook' && config.eventMode === 'webhook'
            ? [
                `Register the handler once: npx openlines-bot register ${o.specs[0] ?? '<bot>'} --url <public URL>/events`,
            ]
            : []),
        `Health: ${o.url}/healthz   Metrics: ${o.url}/metrics   Stop with Ctrl+C (graceful).`,
    ];
}
function inspectorLine(url, s) {
    if (!s.enabled)
        return s.development
            ? 'Inspector: off (OPENLINES_INSPECTOR=off).'
            : 'Inspector: off (set OPENLINES_INSPECTOR_TOKEN to serve it at /inspector).';
    const access = s.token ? 'token required' : 'this machine';
    const actions = s.actions ? 'operator actions on' : 'read-only';
    const play = s.development ? `   Playground: ${url}/inspector/play` : '';
    return `Inspector: ${url}/inspector (${access}, ${actions})${play}`;
}
/**
 * Serves the bots until SIGTERM/SIGINT. Resolves only if `exit` is injected and returns.
 *
 * @example
 * await runServeCommand({ botSpecs: ['bots/support'], io: processIo() });
 */
async function runServeCommand(options) {
    const { io } = options;
    if (options.botSpecs.length === 0)
        throw new cli_io_1.UsageError('serve needs at least one bot (a module or a folder holding bot.ts)');
    const bots = [];
    for (const spec of options.botSpecs)
        bots.push(await (0, load_bot_1.loadBot)({ spec, cwd: io.cwd }));
    const env = {
        ...io.env,
        ...(options.port !== undefined ? { PORT: options.port } : {}),
        ...(options.host !== undefined ? { HOST: options.host } : {}),
    };
    let config = (0, load_config_1.loadConfig)({ env });
    let sim;
    if (config.mode === 'local') {
        sim = await (0, local_simulator_1.startLocalSimulator)({ print: (line) => (0, cli_io_1.writeLines)(io.stdout, [line]) });
        // The simulator is for this machine only: listen on loopback unless HOST says otherwise.
        config = (0, load_config_1.loadConfig)({ env: { HOST: '127.0.0.1', ...env, ...sim.env } });
    }
    const logger = (0, logger_1.createLogger)({ level: config.logLevel });
    // With the local simulator the configuration points at it (webhook mode), but this is development.
    const inspector = (0, inspector_settings_1.inspectorSettingsFromEnv)({ env, mode: sim ? 'local' : config.mode });
    const history = (0, runtime_env_1.historyFromEnv)(env);
    const maxAttempts = (0, runtime_env_1.effectMaxAttemptsFromEnv)(env);
    const server = (0, create_server_1.createServer)({
        bots,
        config,
        logger,
        inspector,
        runtimeOptions: {
            ...(history !== undefined ? { history } : {}),
            ...(maxAttempts !== undefined ? { dispatcher: { maxAttempts } } : {}),
        },
    });
    let url;
    let port;
    try {
        ({ url, port } = await server.listen());
    }
    catch (e) {
        await server.close({ deadlineMs: 1000 });
        await sim?.close();
        throw e;
    }
    if (sim) {
        const ids = await sim.registerBots(bots, `http://127.0.0.1:${port}/events`);
        (0, cli_io_1.writeLines)(io.stdout, localBanner({ url, bots, specs: options.botSpecs, sim, ids, config }));
    }
    else {
        (0, cli_io_1.writeLines)(io.stdout, portalBanner({ url, bots, specs: options.botSpecs, config }));
        if (config.mode === 'webhook' && config.webhook) {
            // Once, in the background: the server answers (/healthz included) whatever the outcome.
            void (0, check_webhook_1.checkWebhook)({ webhook: config.webhook }).then((result) => {
                if (result.status === 'ok') {
                    logger.info({ scopes: result.scopes }, result.message);
                    (0, cli_io_1.writeLines)(io.stdout, [`openlines-bot: ${result.message}`]);
                    return;
                }
                logger.error({ check: result.status }, result.message);
                (0, cli_io_1.writeLines)(io.stderr, [`openlines-bot: ${result.message}`]);
            });
            // Once, in the background: the portal's API revisions go to the log.
            const webhookUrl = config.webhook.url;
            void (0, read_api_revisions_1.readApiRevisions)({
                client: (0, create_rest_client_1.createRestClient)({ auth: { type: 'webhook', url: webhookUrl }, logger }),
                logger,
            }).catch((e) => logger.warn({ err: e }, 'could not read the portal API revisions'));
        }
    }
    if (config.store.kind === 'redis') {
        // Once, in the background: acknowledged events live in Redis, so say when Redis would lose them.
        void (0, redis_persistence_1.checkRedisPersistenceAt)(config.store.url).then((p) => {
            if (p.status === 'aof' && p.appendfsync !== 'no') {
                logger.info(p.message);
                return;
            }
            logger.warn({ persistence: p.status }, p.message);
            (0, cli_io_1.writeLines)(io.stderr, [`openlines-bot: warning: ${p.message}`]);
        });
    }
    (0, cli_io_1.writeLines)(io.stdout, [inspectorLine(url, inspector)]);
    const simulator = sim;
    return new Promise((resolve) => {
        (0, install_shutdown_1.installShutdown)({
            async close(o) {
                await server.close(o);
                await simulator?.close();
            },
        }, {
            logger,
            exit: (code) => {
                if (options.exit)
                    options.exit(code);
                else
                    process.exit(code);
                resolve(code);
            },
        });
    });
}
