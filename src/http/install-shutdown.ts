/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting, drain in-flight requests, turns and the
 * outbox within a deadline, close the store, then exit. A second signal exits at once.
 */
import type { Logger } from '../logger';

/** Anything with a graceful `close` (the value `createServer` returns). */
export interface Closable {
  close(options?: { deadlineMs?: number }): Promise<void>;
}

/** Options of {@link installShutdown}. */
export interface InstallShutdownOptions {
  /** Time budget for the whole drain. Default 10 s. */
  deadlineMs?: number;
  /** Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
  logger?: Pick<Logger, 'info' | 'error' | 'warn'>;
  /** Default `process.exit`; injected in tests. */
  exit?: (code: number) => void;
  /** Default `process`; injected in tests. */
  target?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

/**
 * Installs the signal handlers and returns a function that removes them.
 *
 * @example
 * const server = createServer({ bots: [supportBot] });
 * await server.listen(3000);
 * installShutdown(server, { deadlineMs: 15_000 });
 */
export function installShutdown(
  server: Closable,
  options: InstallShutdownOptions = {},
): () => void {
  const deadlineMs = options.deadlineMs ?? 10_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  const logger = options.logger;
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger?.warn({ signal }, 'second signal: exiting without draining');
      exit(1);
      return;
    }
    shuttingDown = true;
    logger?.info({ signal, deadlineMs }, 'shutting down: draining requests, turns and the outbox');
    // Last resort when close() itself hangs (a stuck store): never outlive the deadline by much.
    const hard = setTimeout(() => {
      logger?.error({ deadlineMs }, 'shutdown did not finish in time: exiting');
      exit(1);
    }, deadlineMs + 5000);
    hard.unref();
    server.close({ deadlineMs }).then(
      () => {
        clearTimeout(hard);
        logger?.info({}, 'shutdown complete');
        exit(0);
      },
      (e: unknown) => {
        clearTimeout(hard);
        logger?.error({ err: e }, 'shutdown failed');
        exit(1);
      },
    );
  };

  for (const s of signals) target.on(s, onSignal);
  return () => {
    for (const s of signals) target.off(s, onSignal);
  };
}
