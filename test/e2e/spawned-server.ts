/**
 * Runs the product the way a user does (`npm start`, `npx openlines-bot serve ...`) in a child
 * process group of its own, so that the test can stop npm, the shell and node together.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..', '..');

export interface SpawnedServer {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal) once the process ended. */
  readonly exited: Promise<number | string | null>;
  /** SIGTERM to the whole group; SIGKILL after `graceMs`. Resolves once it ended. */
  stop(graceMs?: number): Promise<number | string | null>;
}

/**
 * Spawns a command in the repository with ONLY `env` (plus PATH and HOME): no B24_* leaks in from
 * the developer's shell.
 *
 * @example
 * const app = spawnServer({ command: 'npm', args: ['start'], env: { PORT: '3000' } });
 */
export function spawnServer(options: { command: string; args: string[]; env: Record<string, string> }): SpawnedServer {
  return spawnGroup({
    command: options.command,
    args: options.args,
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    keepChars: 20_000,
    graceMs: 15_000,
  });
}

/**
 * Spawns `command args` in `cwd` with exactly `env`, in a process group of its own; keeps the last
 * `keepChars` of its output; `stop()` sends SIGTERM to the group and SIGKILL after `graceMs`.
 *
 * @example
 * const p = spawnGroup({ command: 'npm', args: ['start'], cwd, env, keepChars: 50_000, graceMs: 10_000 });
 */
export function spawnGroup(options: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  keepChars: number;
  graceMs: number;
}): SpawnedServer {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-options.keepChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const group = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    child,
    output: () => out,
    exited,
    async stop(graceMs = options.graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      group('SIGTERM');
      const timer = setTimeout(() => group('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Polls `GET url` until it answers 200, the process exits, or `withinMs` passed. Resolves with
 * the milliseconds it took; rejects with the output so far otherwise.
 *
 * @example
 * const ms = await waitForHealthy({ url: 'http://127.0.0.1:3000/healthz', withinMs: 30_000, server });
 */
export async function waitForHealthy(options: { url: string; withinMs: number; server: SpawnedServer }): Promise<number> {
  const started = Date.now();
  let gone = false;
  void options.server.exited.then(() => (gone = true));
  let last = 'no answer';
  while (Date.now() - started < options.withinMs && !gone) {
    try {
      const res = await fetch(options.url, { signal: AbortSignal.timeout(2000) });
      await res.text();
      if (res.status === 200) return Date.now() - started;
      last = `status ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    // A separate process is starting: real time must pass, there is no clock to advance.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${options.url} not healthy after ${Date.now() - started} ms (${gone ? 'process exited' : last})\n${options.server.output()}`);
}

/**
 * Polls the process output until it matches `pattern` or `withinMs` passed; resolves with the output.
 *
 * @example
 * expect(await waitForOutput({ server, pattern: /listening/, withinMs: 5000 })).toMatch(/listening/);
 */
export async function waitForOutput(options: { server: SpawnedServer; pattern: RegExp; withinMs: number }): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < options.withinMs && !options.pattern.test(options.server.output())) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return options.server.output();
}

/** True when nothing listens on `port` of 127.0.0.1 (and 0.0.0.0) right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
