/**
 * `openlines-bot play <bot>`: the playground in a browser. A local page where you are the client
 * of an open line; the bot runs in the real runtime against the local portal simulator, as with
 * `chat`. Listens on loopback only and opens the page unless `--no-open`.
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { installShutdown } from '../http/install-shutdown';
import { securityHeaders } from '../inspector/create-inspector-router';
import { createPlaygroundRouter } from '../inspector/create-playground-router';
import { UsageError, writeLines, type CliIo } from './cli-io';
import { loadBot } from './load-bot';

/** Options of {@link runPlayCommand}. */
export interface PlayCommandOptions {
  botSpec: string;
  io: CliIo;
  /** Default `PORT` or 0 (any free port). */
  port?: string;
  clientName?: string;
  /** Open the page in the system browser. Default true. */
  open?: boolean;
  exit?: (code: number) => void;
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser to open: the URL is printed anyway.
  }
}

/**
 * Serves the playground until SIGTERM/SIGINT.
 *
 * @example
 * await runPlayCommand({ botSpec: 'bots/support', io: processIo() });
 */
export async function runPlayCommand(options: PlayCommandOptions): Promise<number> {
  const { io } = options;
  const bot = await loadBot({ spec: options.botSpec, cwd: io.cwd });
  const portText = options.port ?? io.env.PORT ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, got "${portText}"`);
  const base = '/play';
  const playground = createPlaygroundRouter({
    bot,
    base,
    ...(options.clientName ? { clientName: options.clientName } : {}),
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => res.redirect(302, `${base}/`));
  app.use(base, securityHeaders, playground.router);
  app.use((_req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' });
  });
  const server = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${base}/`;
  writeLines(io.stdout, [
    `Playground for "${bot.code}": ${url}`,
    'You are the client of an open line; the bot runs in the real runtime against a local portal simulator.',
    'Stop with Ctrl+C.',
  ]);
  if (options.open !== false) openBrowser(url);
  return new Promise<number>((resolve) => {
    installShutdown(
      {
        async close() {
          await new Promise<void>((r) => server.close(() => r()));
          server.closeAllConnections();
          await playground.close();
        },
      },
      {
        exit: (code) => {
          if (options.exit) options.exit(code);
          else process.exit(code);
          resolve(code);
        },
      },
    );
  });
}
