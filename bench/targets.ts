/**
 * The servers under test: each in its own process, pinned to the server core (the load generator
 * and the fake portal run on the other one), and a private `redis-server` for the Redis target
 * (its CPU counts as the server's: it is part of the job).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { cpus } from 'node:os';
import path from 'node:path';
import { forkChild, type BenchChild } from './ipc';

/** The targets a run can measure. */
export type TargetName =
  'sqlite' | 'sqlite-queued' | 'sqlite-nohistory' | 'memory' | 'redis' | 'express' | 'raw';

export const TARGET_LABELS: Record<TargetName, string> = {
  sqlite: 'openlines-bot, bots/support, SQLite',
  'sqlite-nohistory': 'openlines-bot, bots/support, SQLite, dialog history off',
  'sqlite-queued':
    'openlines-bot, bots/support, SQLite, inline turns off (every event through the inbox)',
  memory: 'openlines-bot, bots/support, memory',
  redis: 'openlines-bot, bots/support, Redis (+ redis-server CPU)',
  express: 'bare express 5 + urlencoded',
  raw: 'raw node:http (reads the body, answers 200)',
};

/** A started target. */
export interface Target {
  name: TargetName;
  /** `openlines`: runs turns and makes REST calls; `baseline`: only acknowledges. */
  kind: 'openlines' | 'baseline';
  child: BenchChild;
  port: number;
  /** Another process whose CPU is part of this target's (redis-server). */
  helperPid?: number;
}

/** Where processes run: `server` core for the targets, `load` core for the load generator and portal. */
export interface Placement {
  pinned: boolean;
  serverCpu: number;
  loadCpu: number;
}

/**
 * Pins a process (all its threads) to one CPU; threads it starts later inherit the mask.
 * Returns false when `taskset` is missing or refused.
 *
 * @example
 * pin({ pid: process.pid, cpu: 1 });
 */
export function pin(options: { pid: number; cpu: number }): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(options.cpu), String(options.pid)], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides the placement and pins this process (the load generator) to its core. With one CPU
 * nothing is pinned.
 *
 * @example
 * const placement = placeLoadGenerator();
 */
export function placeLoadGenerator(): Placement {
  if (cpus().length < 2) return { pinned: false, serverCpu: 0, loadCpu: 0 };
  const pinned = pin({ pid: process.pid, cpu: 1 });
  return { pinned, serverCpu: 0, loadCpu: 1 };
}

/**
 * User + system CPU seconds of a process from `/proc/<pid>/stat` (Linux; NaN elsewhere).
 *
 * @example
 * const seconds = procCpuSeconds({ pid });
 */
export function procCpuSeconds(options: { pid: number }): number {
  try {
    return cpuSecondsOfStat(readFileSync(`/proc/${options.pid}/stat`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU seconds from the text of a `/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat`. */
function cpuSecondsOfStat(stat: string): number {
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU and context switches of one process's threads, from `/proc` (Linux only). */
export interface ProcThreads {
  /** CPU seconds of the main thread (the event loop; its thread id is the process id). */
  mainSeconds: number;
  /** CPU seconds of every other thread (workers, GC helpers, libuv's pool). */
  otherSeconds: number;
  /** Voluntary context switches of the main thread: each is a sleep and a wake-up. */
  mainSwitches: number;
  /** Voluntary context switches of every other thread. */
  otherSwitches: number;
}

/**
 * Reads a process's threads from `/proc/<pid>/task` (undefined where there is none). Threads that
 * ended since the last reading are not counted; the figures are meant for differences over a phase.
 *
 * @example
 * const t = procThreads({ pid });
 */
export function procThreads(options: { pid: number }): ProcThreads | undefined {
  const dir = `/proc/${options.pid}/task`;
  try {
    const out: ProcThreads = { mainSeconds: 0, otherSeconds: 0, mainSwitches: 0, otherSwitches: 0 };
    for (const tid of readdirSync(dir)) {
      let stat: string;
      let status: string;
      try {
        stat = readFileSync(`${dir}/${tid}/stat`, 'utf8');
        status = readFileSync(`${dir}/${tid}/status`, 'utf8');
      } catch {
        continue; // the thread ended meanwhile
      }
      const seconds = cpuSecondsOfStat(stat);
      const m = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(status);
      const switches = m ? Number(m[1]) : 0;
      if (Number(tid) === options.pid) {
        out.mainSeconds += seconds;
        out.mainSwitches += switches;
      } else {
        out.otherSeconds += seconds;
        out.otherSwitches += switches;
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** A free loopback port (bound once and released). */
async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A private redis-server for the Redis target. */
export interface RedisServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a private `redis-server` (append-only file, fsync every second: the usual durable
 * setting) in `dir`; rejects when the binary is missing or it does not answer.
 *
 * @example
 * const redis = await startRedis({ dir: tmp });
 */
export async function startRedis(options: { dir: string }): Promise<RedisServer> {
  const port = await freePort();
  const proc: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      options.dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
    ],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => {
    proc.once('error', (e) => reject(new Error(`redis-server could not start: ${e.message}`)));
    proc.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}`)));
  });
  failed.catch(() => undefined);
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' });
      break;
    } catch {
      if (Date.now() > deadline || proc.exitCode !== null) {
        proc.kill('SIGKILL');
        await Promise.race([failed, Promise.resolve()]);
        throw new Error(`redis-server did not answer on port ${port}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: proc.pid as number,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Options of {@link startTarget}. */
export interface StartTargetOptions {
  name: TargetName;
  placement: Placement;
  /** Environment of an openlines target (webhook, tokens, store). */
  env: Record<string, string>;
  helperPid?: number;
}

/**
 * Forks a target and pins it (and its helper) to the server core.
 *
 * @example
 * const t = await startTarget({ name: 'express', placement, env: {} });
 */
export async function startTarget(options: StartTargetOptions): Promise<Target> {
  const { name, placement } = options;
  const kind = name === 'express' || name === 'raw' ? 'baseline' : 'openlines';
  const child = forkChild({
    entry: 'server-child.ts',
    label: TARGET_LABELS[name],
    env: { BENCH_TARGET: kind === 'baseline' ? name : 'openlines', ...options.env },
  });
  const { port } = (await child.ready) as { port: number };
  if (placement.pinned) {
    pin({ pid: child.child.pid as number, cpu: placement.serverCpu });
    if (options.helperPid !== undefined) pin({ pid: options.helperPid, cpu: placement.serverCpu });
  }
  return {
    name,
    kind,
    child,
    port,
    ...(options.helperPid !== undefined ? { helperPid: options.helperPid } : {}),
  };
}

/** The bench folder (for result paths). */
export const BENCH_DIR = path.join(__dirname);
