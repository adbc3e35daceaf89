"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseLineOptions = parseLineOptions;
exports.runLinesCommand = runLinesCommand;
exports.attachBot = attachBot;
exports.runAttachCommand = runAttachCommand;
exports.runDetachCommand = runDetachCommand;
/**
 * `openlines-bot lines`, `attach <bot> --line <id>` and `detach <bot> --line <id>`: the portal's
 * open lines and their chatbot (`WELCOME_BOT_*`), through the configured incoming webhook.
 * Idempotent: a second run with the same options changes nothing.
 */
const attach_bot_1 = require("../bitrix/attach-bot");
const create_rest_client_1 = require("../bitrix/create-rest-client");
const register_bot_1 = require("../bitrix/register-bot");
const load_config_1 = require("../config/load-config");
const errors_1 = require("../errors");
const cli_io_1 = require("./cli-io");
const load_bot_1 = require("./load-bot");
const register_command_1 = require("./register-command");
/**
 * Checks `--line`, `--join`, `--time` and `--left`; throws a {@link UsageError}.
 *
 * @example
 * parseLineOptions({ line: '1', join: 'first' }); // { lineId: 1, join: 'first' }
 */
function parseLineOptions(text) {
    if (text.line === undefined)
        throw new cli_io_1.UsageError('--line <id> is required');
    if (!/^\d+$/.test(text.line) || Number(text.line) <= 0)
        throw new cli_io_1.UsageError(`--line must be a line id (see "openlines-bot lines"), got "${text.line}"`);
    if (text.join !== undefined && text.join !== 'first' && text.join !== 'always')
        throw new cli_io_1.UsageError(`--join must be "first" or "always", got "${text.join}"`);
    if (text.left !== undefined && text.left !== 'queue' && text.left !== 'close')
        throw new cli_io_1.UsageError(`--left must be "queue" or "close", got "${text.left}"`);
    if (text.time !== undefined && !/^\d{1,7}$/.test(text.time))
        throw new cli_io_1.UsageError(`--time must be a number of seconds, got "${text.time}"`);
    return {
        lineId: Number(text.line),
        ...(text.join !== undefined ? { join: text.join } : {}),
        ...(text.time !== undefined ? { timeSeconds: Number(text.time) } : {}),
        ...(text.left !== undefined ? { left: text.left } : {}),
    };
}
function describeChanges(result) {
    return Object.entries(result.changes)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
}
/**
 * Prints the portal's lines: id, name, active, the attached bot and its settings.
 *
 * @example
 * await runLinesCommand({ io: processIo(), json: false });
 */
async function runLinesCommand(options) {
    const { io } = options;
    const config = (0, load_config_1.loadConfig)({ env: io.env, purpose: 'manage' });
    if (config.mode !== 'webhook' || !config.webhook)
        throw new errors_1.ConfigError([
            'lines needs B24_WEBHOOK_URL: an incoming webhook of your portal with the imopenlines scope',
        ], 'Cannot reach a portal');
    const client = (0, create_rest_client_1.createRestClient)({ auth: { type: 'webhook', url: config.webhook.url } });
    const lines = await (0, attach_bot_1.listLines)(client.api);
    if (options.json) {
        io.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
        return 0;
    }
    const rows = [
        ['ID', 'NAME', 'ACTIVE', 'BOT', 'JOIN', 'TIME', 'LEFT'],
        ...lines.map((l) => [
            String(l.id),
            l.name,
            l.active ? 'yes' : 'no',
            l.botId ? String(l.botId) : '-',
            l.botId ? (l.join ?? '') : '',
            l.botId && l.timeSeconds !== undefined ? String(l.timeSeconds) : '',
            l.botId ? (l.left ?? '') : '',
        ]),
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    for (const r of rows)
        io.stdout.write(`${r
            .map((v, c) => v.padEnd(widths[c]))
            .join('  ')
            .trimEnd()}\n`);
    if (lines.length === 0)
        io.stderr.write('The portal has no open lines.\n');
    return 0;
}
/**
 * Attaches an already registered bot to a line; prints what changed.
 *
 * @example
 * await attachBot({ io, apiVersion: 2, botId: 571, code: 'support', line: { lineId: 1 } });
 */
async function attachBot(options) {
    const { io, line } = options;
    const client = (0, register_command_1.webhookClient)(io, options.apiVersion);
    const result = await (0, attach_bot_1.attachBotToLine)(client.api, { botId: options.botId, ...line });
    if (result.status === 'unchanged') {
        io.stderr.write(`Bot "${options.code}" (id ${options.botId}) is already attached to line ${line.lineId} as asked: nothing changed.\n`);
        return;
    }
    const replaced = result.previousBotId && result.previousBotId !== options.botId
        ? ` (it replaces bot ${result.previousBotId})`
        : '';
    io.stderr.write(`Bot "${options.code}" (id ${options.botId}) is attached to line ${line.lineId}${replaced}: ${describeChanges(result)}.\n`);
}
/**
 * `openlines-bot attach <bot> --line <id>`: the bot must be registered (by `register`).
 *
 * @example
 * await runAttachCommand({ botSpec: 'bots/support', io, v1: false, line: { line: '1', join: 'first' } });
 */
async function runAttachCommand(options) {
    const { io } = options;
    const line = parseLineOptions(options.line);
    const bot = await (0, load_bot_1.loadBot)({ spec: options.botSpec, cwd: io.cwd });
    const apiVersion = options.v1 ? 1 : bot.apiVersion;
    const botId = await (0, register_bot_1.findBotId)((0, register_command_1.webhookClient)(io, apiVersion).api, { code: bot.code, apiVersion });
    if (botId === undefined)
        throw new errors_1.ConfigError([
            `bot "${bot.code}" is not registered on the portal: run "openlines-bot register ${options.botSpec} --line ${line.lineId}"`,
        ], 'Cannot attach');
    await attachBot({ io, apiVersion, botId, code: bot.code, line });
    io.stdout.write(`${botId}\n`);
    return 0;
}
/**
 * `openlines-bot detach <bot> --line <id>`: removes the bot as the line's chatbot.
 *
 * @example
 * await runDetachCommand({ botSpec: 'bots/support', io, line: '1' });
 */
async function runDetachCommand(options) {
    const { io } = options;
    const { lineId } = parseLineOptions({
        ...(options.line !== undefined ? { line: options.line } : {}),
    });
    const bot = await (0, load_bot_1.loadBot)({ spec: options.botSpec, cwd: io.cwd });
    const apiVersion = options.v1 ? 1 : bot.apiVersion;
    const client = (0, register_command_1.webhookClient)(io, apiVersion);
    const botId = await (0, register_bot_1.findBotId)(client.api, { code: bot.code, apiVersion });
    const result = await (0, attach_bot_1.detachBotFromLine)(client.api, { botId, lineId });
    if (result.status === 'changed')
        io.stderr.write(`Bot "${bot.code}" (id ${botId ?? '?'}) is detached from line ${lineId}.\n`);
    else if (result.status === 'other-bot')
        io.stderr.write(`Line ${lineId} has another bot (id ${result.previousBotId}), not "${bot.code}": nothing changed.\n`);
    else
        io.stderr.write(`Line ${lineId} has no bot attached: nothing changed.\n`);
    return 0;
}
