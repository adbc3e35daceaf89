/**
 * A private `redis-server` child for tests that stop, kill or reconfigure Redis (never the shared
 * one on 6379). It listens on a port the OS found free, keeps its files in a temporary directory,
 * and can be stopped and started again on the same port with the same data (append-only file).
 * A machine without `redis-server` fails the test with a clear message.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A running (or stopped) private Redis. */
export interface RedisServerProcess {
  readonly port: number;
  readonly url: string;
  /** Starts it (again) on the same port and directory; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it (SIGTERM: the append-only file is complete) and waits for the exit. */
  stop(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
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

/** Throws a clear error when `redis-server` is not installed. */
export function requireRedisServerBinary(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed: these tests start their own Redis (install it with apt-get install redis-server)',
    );
  }
}

async function answers(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 500,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a private Redis with `args` (e.g. `['--appendonly', 'yes', '--appendfsync', 'always']`).
 *
 * @example
 * const redis = await startRedisServer({ args: ['--appendonly', 'yes'] });
 * await redis.stop(); await redis.start(); await redis.dispose();
 */
export async function startRedisServer(
  options: { args?: string[] } = {},
): Promise<RedisServerProcess> {
  requireRedisServerBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'openlines-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const start = async (): Promise<void> => {
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    proc.stdout?.on('data', (c: Buffer) => (log = (log + c.toString('utf8')).slice(-4000)));
    proc.stderr?.on('data', (c: Buffer) => (log = (log + c.toString('utf8')).slice(-4000)));
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) break;
      if (await answers(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${port} did not start:\n${log}`);
  };
  const stop = async (): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
