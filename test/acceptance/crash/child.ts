/**
 * The serving process of the crash-recovery and SIGTERM acceptance tests (run through tsx, not a
 * test file). It is the real server: `createServer` in webhook mode on the SQLite store at
 * `dbPath`, serving {@link ackBot}, with its REST client pointed at the parent's fake portal.
 *
 * Protocol on stdout (written synchronously, so a line means "it happened before any kill"):
 * - `READY` once every module is loaded; with `waitForGo` the child then waits for a `GO` line on
 *   stdin before it opens the database (a restart then costs no module loading: the parent
 *   starts the next process while the current one is still under load);
 * - `LISTENING <url>` once the server accepts events;
 * - `EXIT <code>` when a graceful shutdown ends (only with `graceful`).
 * Logs (warn and above) go to stderr.
 */
import { writeSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../../../src/config/load-config';
import { createServer } from '../../../src/http/create-server';
import { installShutdown } from '../../../src/http/install-shutdown';
import { createLogger } from '../../../src/logger';
import { ackBot, ackTimerBot } from '../helpers/ack-bot';

/** The JSON argument of the child. */
export interface ServeChildArgs {
  dbPath: string;
  /** The fake portal's incoming-webhook URL. */
  webhookUrl: string;
  botToken: string;
  /** Install SIGTERM/SIGINT handling with this drain deadline; without it a signal kills at once. */
  graceful?: { deadlineMs: number };
  waitForGo?: boolean;
  /**
   * Short dialog and effect leases (3 s / 4 s instead of 30 s / 120 s). A killed process's leases
   * block its dialogs and claimed effects until they expire, so the kill -9 rounds need them short;
   * a graceful stop releases its leases and runs on the defaults.
   */
  shortLeases?: boolean;
  /** pino level of the logs on stderr; default `warn`. */
  logLevel?: string;
  /** A store spec (`redis://…?prefix=…`) instead of the SQLite file at `dbPath`. */
  store?: string;
  /** Lease and scan settings (ms); the defaults when absent. */
  leases?: { dialogMs?: number; effectMs?: number; orphanScanMs?: number };
  /** Serve {@link ackTimerBot} with this idle delay (ms) instead of {@link ackBot}. */
  idleTickMs?: number;
}

const line = (text: string): void => {
  writeSync(1, `${text}\n`);
};

async function main(args: ServeChildArgs): Promise<void> {
  // OPENLINES_CHILD_LOG_FILE: every child appends its logs there (for digging into a failure).
  const file = process.env.OPENLINES_CHILD_LOG_FILE;
  const destination = file
    ? pino.destination({ dest: file, append: true, sync: true })
    : process.stderr;
  const logger = createLogger({ level: args.logLevel ?? 'warn', destination });
  const config = loadConfig({
    env: {
      B24_WEBHOOK_URL: args.webhookUrl,
      B24_BOT_TOKEN: args.botToken,
      OPENLINES_STORE: args.store ?? `sqlite:${args.dbPath}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      // The fake portal enforces no limit here: these tests are about durability, not pacing.
      B24_RATE_BURST: '10000',
      B24_RATE_PER_SECOND: '1000',
    },
  });
  const l = args.leases;
  const server = createServer({
    bots: [args.idleTickMs === undefined ? ackBot : ackTimerBot(args.idleTickMs)],
    config,
    logger,
    ...(args.shortLeases
      ? { runtimeOptions: { turnTimeoutMs: 1000, leaseMs: 3000, dispatcher: { leaseMs: 4000 } } }
      : l
        ? {
            runtimeOptions: {
              ...(l.dialogMs !== undefined ? { leaseMs: l.dialogMs } : {}),
              ...(l.orphanScanMs !== undefined ? { orphanScanMs: l.orphanScanMs } : {}),
              ...(l.effectMs !== undefined ? { dispatcher: { leaseMs: l.effectMs } } : {}),
            },
          }
        : {}),
  });
  if (args.graceful) {
    installShutdown(server, {
      deadlineMs: args.graceful.deadlineMs,
      logger,
      exit: (code) => {
        line(`EXIT ${code}`);
        process.exit(code);
      },
    });
  }
  const { url } = await server.listen(0, '127.0.0.1');
  line(`LISTENING ${url}`);
}

/** Resolves on the first `GO` line; the parent going away (stdin closed) ends the process. */
function stdinControl(wait: boolean): Promise<void> {
  return new Promise((resolve) => {
    let buffered = '';
    if (!wait) resolve();
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.split('\n').includes('GO')) resolve();
    });
    process.stdin.on('end', () => process.exit(3));
  });
}

const args = JSON.parse(process.argv[2] ?? '{}') as ServeChildArgs;
line('READY');
stdinControl(args.waitForGo === true)
  .then(() => main(args))
  .catch((e: unknown) => {
    process.stderr.write(
      `child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(2);
  });
