/**
 * Child processes of the benchmark: each server under test (and the fake portal) runs in its own
 * Node process, so the load generator never shares their event loop. Parent and child talk over
 * the IPC channel with numbered requests.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

type Handler = (payload: Record<string, unknown>) => Promise<unknown>;

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** A forked TypeScript child. */
export interface BenchChild {
  readonly child: ChildProcess;
  /** What the child sent with its `ready` message (e.g. its port). */
  readonly ready: Promise<Record<string, unknown>>;
  /** Sends a request to one of the child's handlers and waits for its answer. */
  call<T>(type: string, payload?: Record<string, unknown>): Promise<T>;
  /** Bytes the child wrote to stdout (its logs). */
  stdoutBytes(): number;
  /** Asks the child to stop, waits for it to exit; kills it after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** Options of {@link forkChild}. */
export interface ForkChildOptions {
  /** A `.ts` file, relative to `bench/`. */
  entry: string;
  env: Record<string, string>;
  /** Extra Node flags (`--cpu-prof`, ...). */
  nodeFlags?: string[];
  label: string;
}

/**
 * Forks a TypeScript child (through tsx's CommonJS hook) with a clean environment plus `env`.
 *
 * @example
 * const portal = forkChild({ entry: 'portal-child.ts', env: {}, label: 'portal' });
 * const { webhookUrl } = await portal.ready;
 */
export function forkChild(options: ForkChildOptions): BenchChild {
  const child = fork(path.join(__dirname, options.entry), [], {
    execArgv: [...(options.nodeFlags ?? []), '--require', 'tsx/cjs'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    cwd: path.join(__dirname, '..'),
  });
  let bytes = 0;
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (bytes += chunk.length));
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep the tail only: enough to explain a crash.
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.on('message', (raw: unknown) => {
      const msg = raw as Partial<Reply> & { type?: string; info?: Record<string, unknown> };
      if (msg.type === 'ready') return resolve(msg.info ?? {});
      if (typeof msg.id !== 'number') return;
      const waiter = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.ok) waiter?.resolve(msg.result);
      else waiter?.reject(new Error(`${options.label}: ${msg.error ?? 'failed'}`));
    });
    void exited.then((code) => {
      const err = new Error(`${options.label} exited with ${String(code)}\n${stderr}`);
      reject(err);
      for (const w of pending.values()) w.reject(err);
      pending.clear();
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    call<T>(type: string, payload: Record<string, unknown> = {}) {
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: (v) => resolve(v as T), reject });
        child.send({ id, type, payload });
      });
    },
    stdoutBytes: () => bytes,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null) return child.exitCode;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await this.call('stop').catch(() => undefined);
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Child side: answers the parent's requests with `handlers`, then reports `ready` with `info`.
 * A `stop` handler should end the process (after a graceful close).
 *
 * @example
 * serveParent({ info: { port }, handlers: { stop: async () => process.exit(0) } });
 */
export function serveParent(options: {
  info: Record<string, unknown>;
  handlers: Record<string, Handler>;
}): void {
  const send = (msg: unknown): void => {
    process.send?.(msg);
  };
  process.on('message', (raw: unknown) => {
    const msg = raw as { id: number; type: string; payload?: Record<string, unknown> };
    const handler = options.handlers[msg.type];
    if (!handler) return send({ id: msg.id, ok: false, error: `no handler for ${msg.type}` });
    handler(msg.payload ?? {}).then(
      (result) => send({ id: msg.id, ok: true, result }),
      (e: unknown) =>
        send({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  // The parent going away (Ctrl+C on the bench) must not leave servers running.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', info: options.info });
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
