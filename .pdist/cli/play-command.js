"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.runPlayCommand = runPlayCommand;
/**
 * `openlines-bot play <bot>`: the playground in a browser. A local page where you are the client
 * of an open line; the bot runs in the real runtime against the local portal simulator, as with
 * `chat`. Listens on loopback only and opens the page unless `--no-open`.
 */
const node_child_process_1 = require("node:child_process");
const node_http_1 = require("node:http");
const express_1 = __importDefault(require("express"));
const install_shutdown_1 = require("../http/install-shutdown");
const create_inspector_router_1 = require("../inspector/create-inspector-router");
const create_playground_router_1 = require("../inspector/create-playground-router");
const cli_io_1 = require("./cli-io");
const load_bot_1 = require("./load-bot");
function openBrowser(url) {
    const [cmd, args] = process.platform === 'darwin'
        ? ['open', [url]]
        : process.platform === 'win32'
            ? ['cmd', ['/c', 'start', '', url]]
            : ['xdg-open', [url]];
    try {
        const child = (0, node_child_process_1.spawn)(cmd, args, { detached: true, stdio: 'ignore' });
        child.on('error', () => undefined);
        child.unref();
    }
    catch {
        // No browser to open: the URL is printed anyway.
    }
}
/**
 * Serves the playground until SIGTERM/SIGINT.
 *
 * @example
 * await runPlayCommand({ botSpec: 'bots/support', io: processIo() });
 */
async function runPlayCommand(options) {
    const { io } = options;
    const bot = await (0, load_bot_1.loadBot)({ spec: options.botSpec, cwd: io.cwd });
    const portText = options.port ?? io.env.PORT ?? '0';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new cli_io_1.UsageError(`--port must be a port number, got "${portText}"`);
    const base = '/play';
    const playground = (0, create_playground_router_1.createPlaygroundRouter)({
        bot,
        base,
        ...(options.clientName ? { clientName: options.clientName } : {}),
    });
    const app = (0, express_1.default)();
    app.disable('x-powered-by');
    app.get('/', (_req, res) => res.redirect(302, `${base}/`));
    app.use(base, create_inspector_router_1.securityHeaders, playground.router);
    app.use((_req, res) => {
        res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' });
    });
    const server = (0, node_http_1.createServer)(app);
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
    });
    const url = `http://127.0.0.1:${server.address().port}${base}/`;
    (0, cli_io_1.writeLines)(io.stdout, [
        `Playground for "${bot.code}": ${url}`,
        'You are the client of an open line; the bot runs in the real runtime against a local portal simulator.',
        'Stop with Ctrl+C.',
    ]);
    if (options.open !== false)
        openBrowser(url);
    return new Promise((resolve) => {
        (0, install_shutdown_1.installShutdown)({
            async close() {
                await new Promise((r) => server.close(() => r()));
                server.closeAllConnections();
                await playground.close();
            },
        }, {
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
