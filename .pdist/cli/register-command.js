"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.webhookClient = webhookClient;
exports.runRegisterCommand = runRegisterCommand;
exports.runUnregisterCommand = runUnregisterCommand;
/**
 * `openlines-bot register <bot>` and `unregister <bot>`: manage the bot on the portal of the
 * configured incoming webhook (`B24_WEBHOOK_URL`), idempotently.
 */
const create_rest_client_1 = require("../bitrix/create-rest-client");
const register_bot_1 = require("../bitrix/register-bot");
const load_config_1 = require("../config/load-config");
const errors_1 = require("../errors");
const load_bot_1 = require("./load-bot");
const lines_command_1 = require("./lines-command");
/** The REST client of the configured incoming webhook, with the bot credential of `apiVersion`. */
function webhookClient(io, apiVersion) {
    const config = (0, load_config_1.loadConfig)({ env: io.env, purpose: 'manage' });
    if (config.mode !== 'webhook' || !config.webhook) {
        throw new errors_1.ConfigError([
            config.mode === 'app'
                ? 'app mode (B24_APP_CLIENT_ID) registers bots when the app is installed on a portal: register needs B24_WEBHOOK_URL'
                : 'no portal is configured: set B24_WEBHOOK_URL to an incoming webhook of your portal (scopes imbot, imopenlines)',
        ], 'Cannot reach a portal');
    }
    const w = config.webhook;
    if (apiVersion === 2 && !w.botToken)
        throw new errors_1.ConfigError([
            'B24_BOT_TOKEN is required for a v2 bot (drop --v1? it is the token you choose for the bot, at most 40 characters)',
        ], 'Cannot register');
    if (apiVersion === 1 && !w.clientId)
        throw new errors_1.ConfigError(['B24_CLIENT_ID is required for a v1 bot (--v1)'], 'Cannot register');
    return (0, create_rest_client_1.createRestClient)({
        auth: {
            type: 'webhook',
            url: w.url,
            ...(apiVersion === 2 ? { botToken: w.botToken } : { clientId: w.clientId }),
        },
    });
}
/**
 * Registers or updates the bot and prints its id; resolves with the exit code.
 *
 * @example
 * await runRegisterCommand({ botSpec: 'bots/support', url: 'https://bot.example.com/events', io: processIo() });
 */
async function runRegisterCommand(options) {
    const { io } = options;
    // Checked first: a wrong --line must not leave a registered but unattached bot behind.
    const line = options.line?.line !== undefined ? (0, lines_command_1.parseLineOptions)(options.line) : undefined;
    const bot = await (0, load_bot_1.loadBot)({ spec: options.botSpec, cwd: io.cwd });
    // The bot's own declaration decides; --v1 forces v1 for a bot that does not declare it.
    const apiVersion = options.v1 ? 1 : bot.apiVersion;
    if (apiVersion === 1 && options.fetch)
        throw new errors_1.ConfigError([
            `--fetch exists only for v2 bots: bot "${bot.code}" registers through v1 (${options.v1 ? '--v1' : 'apiVersion: 1'})`,
        ], 'Cannot register');
    const publicUrl = io.env.PUBLIC_URL?.trim().replace(/\/+$/, '');
    const url = options.url ?? (publicUrl ? `${publicUrl}/events` : undefined);
    if (!options.fetch && url === undefined) {
        throw new errors_1.ConfigError([
            'the handler URL is missing: pass --url https://<your host>/events (or set PUBLIC_URL), or use --fetch',
        ], 'Cannot register');
    }
    if (!options.fetch && url !== undefined && !/^https?:\/\/[^\s/]+/.test(url))
        throw new errors_1.ConfigError([`--url "${url}" is not an http(s) URL`], 'Cannot register');
    if (bot.apiVersion !== apiVersion) {
        io.stderr.write(`warning: bot "${bot.code}" declares apiVersion ${bot.apiVersion} but is registered through v${apiVersion}\n`);
    }
    const client = webhookClient(io, apiVersion);
    const id = await (0, register_bot_1.ensureBotRegistered)(client.api, {
        code: bot.code,
        name: bot.name,
        apiVersion,
        ...(options.fetch ? { mode: 'fetch' } : { mode: 'webhook', url }),
        ...(Object.keys(bot.properties).length > 0
            ? { properties: apiVersion === 1 ? upperKeys(bot.properties) : { ...bot.properties } }
            : {}),
        ...(bot.commands ? { commands: bot.commands } : {}),
    });
    io.stdout.write(`${id}\n`);
    io.stderr.write(`Bot "${bot.code}" is registered with id ${id} (v${apiVersion}, ${options.fetch ? 'fetch mode' : `events to ${url}`}).\n` +
        (line
            ? ''
            : 'Next: attach it to an open line: openlines-bot attach <bot> --line <id> (see openlines-bot lines).\n'));
    if (line)
        await (0, lines_command_1.attachBot)({ io, apiVersion, botId: id, code: bot.code, line });
    return 0;
}
/** v1 `PROPERTIES` keys are UPPER_SNAKE (`WORK_POSITION`). */
function upperKeys(properties) {
    return Object.fromEntries(Object.entries(properties).map(([k, v]) => [
        k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(),
        v,
    ]));
}
/**
 * Removes the bot (by its code) from the portal; resolves with the exit code (0 also when there was none).
 *
 * @example
 * await runUnregisterCommand({ botSpec: 'bots/support', io: processIo() });
 */
async function runUnregisterCommand(options) {
    const { io } = options;
    const bot = await (0, load_bot_1.loadBot)({ spec: options.botSpec, cwd: io.cwd });
    const apiVersion = options.v1 ? 1 : bot.apiVersion;
    const removed = await (0, register_bot_1.unregisterBot)(webhookClient(io, apiVersion).api, {
        code: bot.code,
        apiVersion,
    });
    io.stdout.write(removed
        ? `Bot "${bot.code}" is unregistered.\n`
        : `No bot "${bot.code}" on the portal: nothing to do.\n`);
    return 0;
}
