"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runCli = runCli;
exports.main = main;
/**
 * The `openlines-bot` command line: `serve`, `register`, `unregister`, `chat`, `play`, `diagram`, `init`.
 * `bin/openlines-bot.js` calls {@link main}; tests call {@link runCli} with their own streams.
 */
const node_util_1 = require("node:util");
const errors_1 = require("../errors");
const chat_command_1 = require("./chat-command");
const cli_io_1 = require("./cli-io");
const diagram_command_1 = require("./diagram-command");
const init_command_1 = require("./init-command");
const lines_command_1 = require("./lines-command");
const play_command_1 = require("./play-command");
const help_text_1 = require("./help-text");
const register_command_1 = require("./register-command");
const serve_command_1 = require("./serve-command");
const OPTIONS = {
    serve: { port: { type: 'string' }, host: { type: 'string' } },
    register: {
        url: { type: 'string' },
        fetch: { type: 'boolean' },
        v1: { type: 'boolean' },
        line: { type: 'string' },
        join: { type: 'string' },
        time: { type: 'string' },
        left: { type: 'string' },
    },
    lines: { json: { type: 'boolean' } },
    attach: {
        line: { type: 'string' },
        join: { type: 'string' },
        time: { type: 'string' },
        left: { type: 'string' },
        v1: { type: 'boolean' },
    },
    detach: { line: { type: 'string' }, v1: { type: 'boolean' } },
    unregister: { v1: { type: 'boolean' } },
    chat: { name: { type: 'string' }, verbose: { type: 'boolean' } },
    diagram: { out: { type: 'string', short: 'o' }, lr: { type: 'boolean' } },
    init: { name: { type: 'string' } },
    play: { port: { type: 'string' }, name: { type: 'string' }, 'no-open': { type: 'boolean' } },
};
function parse(command, args) {
    try {
        return (0, node_util_1.parseArgs)({
            args,
            options: { ...OPTIONS[command], help: { type: 'boolean', short: 'h' } },
            allowPositionals: true,
            strict: true,
        });
    }
    catch (e) {
        throw new cli_io_1.UsageError(e.message);
    }
}
function oneBot(command, positionals) {
    if (positionals.length !== 1) {
        throw new cli_io_1.UsageError(`${command} needs exactly one bot (a module or a folder holding bot.ts), got ${positionals.length}`);
    }
    return positionals[0];
}
async function dispatch(options) {
    const { io } = options;
    const [command, ...rest] = options.argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
        io.stdout.write(help_text_1.MAIN_HELP);
        return command === undefined ? 2 : 0;
    }
    if (!(command in OPTIONS))
        throw new cli_io_1.UsageError(`unknown command "${command}"`);
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
        io.stdout.write(help_text_1.COMMAND_HELP[command] ?? help_text_1.MAIN_HELP);
        return 0;
    }
    const all = values;
    const str = (name) => (typeof all[name] === 'string' ? all[name] : undefined);
    const flag = (name) => all[name] === true;
    const lineText = () => Object.fromEntries(['line', 'join', 'time', 'left'].flatMap((k) => (str(k) !== undefined ? [[k, str(k)]] : [])));
    switch (command) {
        case 'serve':
            return (0, serve_command_1.runServeCommand)({
                botSpecs: positionals,
                io,
                ...(str('port') !== undefined ? { port: str('port') } : {}),
                ...(str('host') !== undefined ? { host: str('host') } : {}),
                ...(options.exit ? { exit: options.exit } : {}),
            });
        case 'register':
            if (str('line') === undefined && ['join', 'time', 'left'].some((k) => str(k) !== undefined))
                throw new cli_io_1.UsageError('--join, --time and --left need --line <id>');
            return (0, register_command_1.runRegisterCommand)({
                botSpec: oneBot(command, positionals),
                io,
                fetch: flag('fetch'),
                v1: flag('v1'),
                ...(str('url') !== undefined ? { url: str('url') } : {}),
                ...(str('line') !== undefined ? { line: lineText() } : {}),
            });
        case 'lines':
            if (positionals.length > 0)
                throw new cli_io_1.UsageError('lines takes no arguments');
            return (0, lines_command_1.runLinesCommand)({ io, json: flag('json') });
        case 'attach':
            return (0, lines_command_1.runAttachCommand)({
                botSpec: oneBot(command, positionals),
                io,
                v1: flag('v1'),
                line: lineText(),
            });
        case 'detach':
            return (0, lines_command_1.runDetachCommand)({
                botSpec: oneBot(command, positionals),
                io,
                v1: flag('v1'),
                ...(str('line') !== undefined ? { line: str('line') } : {}),
            });
        case 'unregister':
            return (0, register_command_1.runUnregisterCommand)({ botSpec: oneBot(command, positionals), io, v1: flag('v1') });
        case 'init':
            if (positionals.length !== 1)
                throw new cli_io_1.UsageError(`init needs exactly one folder, got ${positionals.length}`);
            return (0, init_command_1.runInitCommand)({
                dir: positionals[0],
                io,
                ...(str('name') !== undefined ? { name: str('name') } : {}),
            });
        case 'chat':
            return (0, chat_command_1.runChatCommand)({
                botSpec: oneBot(command, positionals),
                io,
                verbose: flag('verbose'),
                ...(str('name') !== undefined ? { clientName: str('name') } : {}),
            });
        case 'play':
            return (0, play_command_1.runPlayCommand)({
                botSpec: oneBot(command, positionals),
                io,
                open: !flag('no-open'),
                ...(str('port') !== undefined ? { port: str('port') } : {}),
                ...(str('name') !== undefined ? { clientName: str('name') } : {}),
                ...(options.exit ? { exit: options.exit } : {}),
            });
        default:
            return (0, diagram_command_1.runDiagramCommand)({
                botSpec: oneBot(command, positionals),
                io,
                ...(str('out') !== undefined ? { out: str('out') } : {}),
                ...(flag('lr') ? { direction: 'LR' } : {}),
            });
    }
}
/**
 * Runs one CLI invocation with the given streams; resolves with the exit code (0 success,
 * 1 failure, 2 wrong usage). Errors are printed, never thrown.
 *
 * @example
 * const code = await runCli({ argv: ['diagram', 'bots/support'], io: processIo() });
 */
async function runCli(options) {
    const { io } = options;
    try {
        return await dispatch(options);
    }
    catch (e) {
        if (e instanceof cli_io_1.UsageError) {
            io.stderr.write(`openlines-bot: ${e.message}\nRun "openlines-bot --help" for usage.\n`);
            return 2;
        }
        if ((0, errors_1.isOpenlinesError)(e)) {
            io.stderr.write(`openlines-bot: ${e.message}\n`);
            return 1;
        }
        const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
        io.stderr.write(`openlines-bot: unexpected error: ${(0, errors_1.redact)(text)}\n`);
        return 1;
    }
}
/**
 * The entry point of `bin/openlines-bot.js`.
 *
 * @example
 * main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
 */
function main(argv) {
    return runCli({ argv, io: (0, cli_io_1.processIo)() });
}
