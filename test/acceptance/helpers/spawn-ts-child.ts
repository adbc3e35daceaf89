/**
 * Runs a TypeScript script as a real, separate Node process (through the tsx loader) and follows
 * its stdout line by line. Children write their protocol lines synchronously, so a complete line
 * on stdout happened before any later kill.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const REPO = resolve(__dirname, '../../..');

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running child. */
export interface TsChild {
  readonly pid: number;
  /** Complete stdout lines so far. */
  readonly lines: readonly string[];
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the first complete line (already seen or future) that matches; rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, options: { timeoutMs: number }): Promise<string>;
  /** Resolves when the process has exited (and its pipes closed). */
  readonly exited: Promise<ChildExit>;
  /** True once `exited` resolved. */
  readonly hasExited: boolean;
  kill(signal: NodeJS.Signals): void;
  /** Writes one line to the child's stdin. */
  send(line: string): void;
}

/** Options of {@link spawnTsChild}. */
export interface SpawnTsChildOptions {
  /** Path of the `.ts` script. */
  script: string;
  /** Passed as one JSON argument. */
  args: unknown;
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/**
 * Spawns `node --import tsx <script> '<json args>'`.
 *
 * @example
 * const child = spawnTsChild({ script: CHILD, args: { dbPath } });
 * const line = await child.waitForLine((l) => l.startsWith('LISTENING '), { timeoutMs: 20_000 });
 */
export function spawnTsChild(options: SpawnTsChildOptions): TsChild {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      '--import',
      TSX_LOADER,
      options.script,
      JSON.stringify(options.args),
    ],
    { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let exit: ChildExit | undefined;
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());

  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (parts.length > 0) notify();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    // Bounded: a child that floods stderr must not eat the test's memory.
    if (stderr.length < 200_000) stderr += chunk.toString('utf8');
  });
  // A child that dies while we write to it must not take the test down with EPIPE.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<ChildExit>((done) => {
    child.on('close', (code, signal) => {
      exit = { code, signal };
      notify();
      done(exit);
    });
    child.on('error', (error) => {
      stderr += `spawn error: ${error.message}\n`;
      exit = { code: null, signal: null };
      notify();
      done(exit);
    });
  });

  return {
    pid: child.pid ?? -1,
    lines,
    stderr: () => stderr,
    exited,
    get hasExited() {
      return exit !== undefined;
    },
    kill(signal) {
      if (exit === undefined) child.kill(signal);
    },
    send(text) {
      if (exit === undefined) child.stdin.write(`${text}\n`);
    },
    waitForLine(match, { timeoutMs }) {
      return new Promise<string>((resolveLine, reject) => {
        let from = 0;
        const check = (): void => {
          for (; from < lines.length; from++) {
            const line = lines[from] as string;
            if (match(line)) return finish(() => resolveLine(line));
          }
          if (exit !== undefined) {
            finish(() =>
              reject(
                new Error(
                  `child exited (${JSON.stringify(exit)}) before the expected line; stderr:\n${stderr.slice(-4000)}`,
                ),
              ),
            );
          }
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new Error(
                  `no expected line from the child within ${timeoutMs} ms; stderr:\n${stderr.slice(-4000)}`,
                ),
              ),
            ),
          timeoutMs,
        );
        const finish = (then: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        check();
      });
    },
  };
}
