/**
 * The playground: a browser chat with one bot as an Open Lines client, through the same runtime
 * and local portal simulator as `openlines-bot chat` (createChatSession). Keyboards are buttons,
 * time can be let pass, the portal can be made to refuse the next call, and the machine's
 * diagram beside the chat follows the dialog. Served by `openlines-bot play` and, in development,
 * under `/inspector/play`.
 */
import express, { Router, type Request, type Response } from 'express';
import { createChatSession, type ChatSession } from '../cli/chat-session';
import type { ChatOutput } from '../cli/describe-rest-call';
import type { BotDefinition } from '../dsl/define-bot';
import type { Logger } from '../logger';
import type { TurnData } from '../runtime/history';
import { serveAssets } from './create-inspector-router';
import { activePaths, machineOutline } from './machine-outline';
import { playPage } from './pages';

/** Options of {@link createPlaygroundRouter}. */
export interface PlaygroundOptions {
  bot: BotDefinition;
  /** Where the router is mounted (`/play`, `/inspector/play`). */
  base: string;
  /** Links shown in the page header. */
  nav?: Array<{ href: string; text: string }>;
  clientName?: string;
  logger?: Logger;
}

type Line = { kind: 'client'; text: string } | ChatOutput;

const MAX_TEXT = 4000;
const NAME = /^[A-Za-z0-9_.]{1,100}$/;

/** A playground router and the chat session it owns. */
export interface Playground {
  router: Router;
  close(): Promise<void>;
}

/**
 * Creates the playground for `bot`. The chat session starts at the first request.
 *
 * @example
 * const play = createPlaygroundRouter({ bot, base: '/play' });
 * app.use('/play', play.router);
 */
export function createPlaygroundRouter(options: PlaygroundOptions): Playground {
  const { bot, base } = options;
  const outline = machineOutline(bot.machine);
  const transcript: Line[] = [];
  let session: Promise<ChatSession> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const chat = (): Promise<ChatSession> =>
    (session ??= createChatSession({
      bot,
      ...(options.clientName ? { clientName: options.clientName } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      onOutput: (o) => transcript.push(o),
    }));

  const state = async () => {
    const s = await chat();
    const record = await s.store.loadDialog(s.dialogKey);
    const history = s.store.readHistory ? await s.store.readHistory(s.dialogKey) : [];
    const path: string[] = [];
    const visited = new Set<string>();
    for (const e of history) {
      if (e.kind !== 'turn') continue;
      const value = (e.data as TurnData).state;
      const all = activePaths(value);
      all.forEach((p) => visited.add(p));
      const leaf =
        value === null
          ? '(ended)'
          : all.filter((p) => !all.some((q) => q !== p && q.startsWith(`${p}.`))).join(', ');
      if (path.at(-1) !== leaf) path.push(leaf);
    }
    const snapshot = record?.snapshot as { value?: unknown; context?: unknown } | null | undefined;
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

  const router = Router();
  serveAssets(router);
  router.get('/', (_req, res) => {
    res
      .type('html')
      .send(
        playPage({ base, assets: `${base}/assets`, botName: bot.name, nav: options.nav ?? [] }),
      );
  });
  router.get('/api/state', async (_req, res) => {
    res.json(await state());
  });

  const act = (
    name: string,
    run: (
      s: ChatSession,
      body: Record<string, unknown>,
    ) => Promise<string | undefined> | string | undefined,
  ) => {
    router.post(
      `/api/${name}`,
      express.json({ limit: '16kb' }),
      async (req: Request, res: Response) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        let problem: string | undefined;
        // One action at a time, in arrival order: the chat is one conversation.
        const step = queue.then(async () => {
          const s = await chat();
          const r = await run(s, body);
          if (typeof r === 'string') problem = r;
        });
        queue = step.catch(() => undefined);
        await step;
        if (problem) {
          res.status(400).json({ code: 'BAD_REQUEST', message: problem });
          return;
        }
        res.json(await state());
      },
    );
  };
  act('join', async (s) => {
    if (transcript.length > 0) transcript.push({ kind: 'system', text: '[a new chat starts]' });
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
    if (!(minutes > 0 && minutes <= 7 * 24 * 60)) return 'minutes must be from 1 to 10080';
    transcript.push({ kind: 'system', text: `[${minutes} minutes pass]` });
    await s.wait(minutes * 60_000);
  });
  act('fail-next', (s, b) => {
    if (typeof b.method !== 'string' || !NAME.test(b.method)) return 'method must be a REST method';
    if (typeof b.code !== 'string' || !NAME.test(b.code)) return 'code must be an error code';
    s.failNext(b.method, b.code);
    transcript.push({
      kind: 'system',
      text: `[the portal will refuse the next ${b.method} with ${b.code}]`,
    });
  });

  return {
    router,
    async close() {
      if (session) await (await session).close();
    },
  };
}
