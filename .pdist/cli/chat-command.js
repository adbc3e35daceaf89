"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDuration = parseDuration;
exports.runChatCommand = runChatCommand;
/**
 * `openlines-bot chat <bot>`: a terminal conversation with a bot, offline. Reads standard input
 * line by line (a terminal or a pipe) and ends on `/quit` or at the end of input.
 */
const node_readline_1 = require("node:readline");
const cli_io_1 = require("./cli-io");
const chat_session_1 = require("./chat-session");
const describe_rest_call_1 = require("./describe-rest-call");
const load_bot_1 = require("./load-bot");
const UNITS = {
    ms: 1,
    s: 1000,
    m: 60_000,
    min: 60_000,
    h: 3_600_000,
    d: 86_400_000,
};
/**
 * Parses `10m`, `30s`, `1h30m`, `600` (seconds) into milliseconds.
 *
 * @example
 * parseDuration('10m'); // 600000
 */
function parseDuration(text) {
    const t = text.trim().toLowerCase();
    if (/^\d+(\.\d+)?$/.test(t))
        return Math.round(Number(t) * 1000);
    let total = 0;
    let rest = t;
    const part = /^(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/;
    for (let i = 0; i < 8 && rest.length > 0; i++) {
        const m = part.exec(rest);
        if (!m)
            break;
        total += Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000);
        rest = rest.slice(m[0].length).trimStart();
    }
    if (rest.length > 0 || t.length === 0)
        throw new cli_io_1.UsageError(`"${text}" is not a duration (examples: 30s, 10m, 1h30m)`);
    return Math.round(total);
}
const IN_CHAT_HELP = [
    'In the chat: <text> sends a message; <n> presses button n; /wait 10m lets time pass;',
    '/join starts a new session; /fail <method> [CODE] makes the portal refuse the next call;',
    '/<command> [params] sends a slash command; /quit leaves.',
];
async function handleLine(line, chat, out) {
    const text = line.trim();
    if (text === '')
        return;
    if (text.startsWith('/')) {
        const [head = '', ...args] = text.slice(1).split(/\s+/);
        switch (head.toLowerCase()) {
            case 'quit':
            case 'exit':
                return 'quit';
            case 'help':
                out(IN_CHAT_HELP);
                return;
            case 'wait': {
                const ms = parseDuration(args.join(' ') || '');
                out([`[${args.join(' ')} pass]`]);
                await chat.wait(ms);
                return;
            }
            case 'join':
                out(['[a new session starts: the bot joins the chat]']);
                await chat.join();
                return;
            case 'fail': {
                const [method, code = 'WRONG_CHAT'] = args;
                if (!method)
                    throw new cli_io_1.UsageError('/fail needs a REST method, e.g. /fail imopenlines.bot.session.operator WRONG_CHAT');
                chat.failNext(method, code);
                out([`[the portal will refuse the next ${method} with ${code}]`]);
                return;
            }
            default:
                if (chat.session !== 'bot')
                    break;
                await chat.command(head, args.join(' '), 'slash');
                return;
        }
    }
    if (chat.session !== 'bot') {
        const who = chat.session === 'finished'
            ? 'the session is finished'
            : 'the dialog is with an operator now';
        out([`[${who}: the bot does not see this message; /join starts a new session, /quit leaves]`]);
        return;
    }
    const choice = /^\d{1,2}$/.test(text) ? chat.choices[Number(text) - 1] : undefined;
    if (choice === undefined) {
        await chat.send(line);
        return;
    }
    if ('command' in choice) {
        out([`[you pressed "${choice.text}"]`]);
        await chat.command(choice.command, choice.params, 'keyboard');
    }
    else if ('link' in choice) {
        out([`[the button opens ${choice.link}]`]);
    }
    else if (choice.action === 'SEND' || choice.action === 'PUT') {
        await chat.send(choice.value);
    }
    else {
        out([`[the button would ${choice.action.toLowerCase()} "${choice.value}"]`]);
    }
}
/**
 * Runs the chat until `/quit` or the end of input; resolves with the exit code.
 *
 * @example
 * const code = await runChatCommand({ botSpec: 'bots/support', clientName: 'Ann', io: processIo() });
 */
async function runChatCommand(options) {
    const { io } = options;
    const bot = await (0, load_bot_1.loadBot)({ spec: options.botSpec, cwd: io.cwd });
    const out = (lines) => (0, cli_io_1.writeLines)(io.stdout, lines);
    const interactive = io.stdin.isTTY === true;
    const chat = await (0, chat_session_1.createChatSession)({
        bot,
        ...(options.clientName ? { clientName: options.clientName } : {}),
        onOutput: (o) => out((0, describe_rest_call_1.formatChatOutput)(o)),
        ...(options.verbose ? { logDestination: io.stderr } : {}),
    });
    const rl = (0, node_readline_1.createInterface)({
        input: io.stdin,
        ...(interactive ? { output: io.stdout, prompt: 'you> ' } : {}),
        terminal: interactive,
    });
    // Taken at once: lines (and the end of a piped input) that arrive while the bot is still
    // joining would otherwise be lost to an iterator created later.
    const lines = rl[Symbol.asyncIterator]();
    try {
        out([
            `Chatting with "${bot.name}" (${bot.code}, version ${bot.version}) offline: real runtime, memory store, simulated portal.`,
            'Type a message, a button number, /help or /quit.',
            '[a client opened the chat: the bot joins]',
        ]);
        await chat.join();
        if (interactive)
            rl.prompt();
        for await (const line of { [Symbol.asyncIterator]: () => lines }) {
            if (!interactive && line.trim() !== '')
                out([`you: ${line}`]);
            try {
                if ((await handleLine(line, chat, out)) === 'quit')
                    break;
            }
            catch (e) {
                if (!(e instanceof cli_io_1.UsageError))
                    throw e;
                out([`[${e.message}]`]);
            }
            if (interactive)
                rl.prompt();
        }
    }
    finally {
        rl.close();
        await chat.close();
    }
    return 0;
}
