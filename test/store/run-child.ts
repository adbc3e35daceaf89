/** Spawns `store-child.ts` through tsx (a real, separate Node process) and collects its output lines. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildArgs } from './store-child';

const CHILD = resolve(__dirname, 'store-child.ts');
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

export interface ChildResult {
  /** Complete lines only: a torn last line was never fully written, so it acknowledges nothing. */
  lines: string[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

export interface RunChildOptions {
  cwd?: string;
  /** Called with the complete lines so far; returning true SIGKILLs the child from outside. */
  killWhen?: (lines: string[]) => boolean;
  nodeFlags?: string[];
}

export function runChild(args: ChildArgs, options: RunChildOptions = {}): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeFlags ?? []), '--import', TSX_LOADER, CHILD, JSON.stringify(args)],
      {
        cwd: options.cwd ?? resolve(__dirname, '../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killed && options.killWhen?.(out.split('\n').slice(0, -1))) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) =>
      done({ lines: out.split('\n').slice(0, -1), signal, code, stderr }),
    );
  });
}
