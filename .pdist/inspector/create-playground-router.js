"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.createPlaygroundRouter = createPlaygroundRouter;
/**
 * The playground: a browser chat with one bot as an Open Lines client, through the same runtime
 * and local portal simulator as `openlines-bot chat` (createChatSession). Keyboards are buttons,
 * time can be let pass, the portal can be made to refuse the next call, and the machine's
 * diagram beside the chat follows the dialog. Served by `openlines-bot play` and, in development,
 * under `/inspector/play`.
 */
const express_1 = __importStar(require("express"));
const chat_session_1 = require("../cli/chat-session");
const create_inspector_router_1 = require("./create-inspector-router");
const machine_outline_1 = require("./machine-outline");
const pages_1 = require("./pages");
const MAX_TEXT = 4000;
const NAME = /^[A-Za-z0-9_.]{1,100}$/;
/**
 * Creates the playground for `bot`. The chat session starts at the first request.
 *
 * @example
 * const play = createPlaygroundRouter({ bot, base: '/play' });
 * app.use('/play', play.router);
 */
function createPlaygroundRouter(options) {
    const { bot, base } = options;
    const outline = (0, machine_outline_1.machineOutline)(bot.machine);
    const transcript = [];
    let session;
    let queue = Promise.resolve();
    const chat = () => (session ??= (0, chat_session_1.createChatSession)({
        bot,
        ...(options.clientName ? { clientName: options.clientName } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        onOutput: (o) => transcript.push(o),
    }));
    const state = async () => {
        const s = await chat();
        const record = await s.store.loadDialog(s.dialogKey);
        const history = s.store.readHistory ? await s.store.readHistory(s.dialogKey) : [];
        const path = [];
        const visited = new Set();
        for (const e of history) {
            if (e.kind !== 'turn')
                continue;
            const value = e.data.state;
            const all = (0, machine_outline_1.activePaths)(value);
            all.forEach((p) => visited.add(p));
            const leaf = value === null
                ? '(ended)'
                : all.filter((p) => !all.some((q) => q !== p && q.startsWith(`${p}.`))).join(', ');
            if (path.at(-1) !== leaf)
                path.push(leaf);
        }
        const snapshot = record?.snapshot;
        return {
            bot: bot.code,
            transcript,
            choices: s.choices,
            session: s.session,
            now: s.now(),
            state: snapshot?.value ?? null,
            context: snapshot?.context ?? null,
            outline,
            path,
            visited: [...visited],
        };
    };
    const router = (0, express_1.Router)();
    (0, create_inspector_router_1.serveAssets)(router);
    router.get('/', (_req, res) => {
        res
            .type('html')
            .send((0, pages_1.playPage)({ base, assets: `${base}/assets`, botName: bot.name, nav: options.nav ?? [] }));
    });
    router.get('/api/state', async (_req, res) => {
        res.json(await state());
    });
    const act = (name, run) => {
        router.post(`/api/${name}`, express_1.default.json({ limit: '16kb' }), async (req, res) => {
            const body = (req.body ?? {});
            let problem;
            // One action at a time, in arrival order: the chat is one conversation.
            const step = queue.then(async () => {
                const s = await chat();
                const r = await run(s, body);
                if (typeof r === 'string')
                    problem = r;
            });
            queue = step.catch(() => undefined);
            await step;
            if (problem) {
                res.status(400).json({ code: 'BAD_REQUEST', message: problem });
                return;
            }
            res.json(await state());
        });
    };
    act('join', async (s) => {
        if (transcript.length > 0)
            transcript.push({ kind: 'system', text: '[a new chat starts]' });
        await s.join();
    });
    act('send', async (s, b) => {
        const text = b.text;
        if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT)
            return `text must be a non-empty string of at most ${MAX_TEXT} characters`;
        transcript.push({ kind: 'client', text });
        await s.send(text);
    });
    act('command', async (s, b) => {
        if (typeof b.command !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(b.command))
            return 'command must be a command name';
        const params = typeof b.params === 'string' ? b.params.slice(0, 1000) : '';
        const pressed = s.choices.find((c) => 'command' in c && c.command === b.command);
        transcript.push({ kind: 'client', text: pressed ? pressed.text : `/${b.command}` });
        await s.command(b.command, params);
    });
    act('wait', async (s, b) => {
        const minutes = Number(b.minutes);
        if (!(minutes > 0 && minutes <= 7 * 24 * 60))
            return 'minutes must be from 1 to 10080';
        transcript.push({ kind: 'system', text: `[${minutes} minutes pass]` });
        await s.wait(minutes * 60_000);
    });
    act('fail-next', (s, b) => {
        if (typeof b.method !== 'string' || !NAME.test(b.method))
            return 'method must be a REST method';
        if (typeof b.code !== 'string' || !NAME.test(b.code))
            return 'code must be an error code';
        s.failNext(b.method, b.code);
        transcript.push({
            kind: 'system',
            text: `[the portal will refuse the next ${b.method} with ${b.code}]`,
        });
    });
    return {
        router,
        async close() {
            if (session)
                await (await session).close();
        },
    };
}
