/** Spawns `redis-child.ts` processes through tsx (real, separate Node processes) for the Redis store tests. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RedisChildArgs, RedisChildReport } from './redis-child';

/**
 * Runs redis-child.ts in separate Node processes (through tsx), starts them together once all
 * are connected, and parses their reports.
 */
export async function runRedisChildren(all: RedisChildArgs[]): Promise<RedisChildReport[]> {
  const children = all.map((args) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(require.resolve('tsx')).href,
        resolve(__dirname, 'redis-child.ts'),
        JSON.stringify(args),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const ready = new Promise<void>((resolveReady) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.startsWith('READY\n')) resolveReady();
      });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const report = new Promise<RedisChildReport>((resolveReport, fail) => {
      child.on('error', fail);
      child.on('close', (code) => {
        if (code === 0) resolveReport(JSON.parse(out.slice('READY\n'.length)) as RedisChildReport);
        else fail(new Error(`redis-child ${args.owner} exited with ${String(code)}: ${err}`));
      });
    });
    return { child, ready: Promise.race([ready, report.then(() => undefined)]), report };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const { child } of children) child.stdin.end('go\n');
  return Promise.all(children.map((c) => c.report));
}
