/**
 * Runs `node bin/openlines-bot.js ...` as a real child process: the way users run the CLI.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..');
export const BIN = join(REPO, 'bin', 'openlines-bot.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment without the caller's portal settings, so a developer's B24_* never leaks into a test. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !/^(B24_|SUPPORT_|FAQ_|LEAD_FORM_|OPENLINES_|PUBLIC_URL$|PORT$|HOST$)/.test(k)
    )
      env[k] = v;
  }
  return { ...env, LOG_LEVEL: 'silent', ...extra };
}

/** Runs the CLI to completion with `input` on standard input (then end of input). */
export function runCliProcess(
  args: string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: options.env ?? cleanEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `CLI ${args.join(' ')} did not finish in time.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Starts the CLI and leaves it running (for `serve`). */
export function startCliProcess(
  args: string[],
  env: Record<string, string>,
): ChildProcessWithoutNullStreams & { output(): string; errors(): string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return Object.assign(child, { output: () => stdout, errors: () => stderr });
}

/** Resolves when the child's standard output matches `re` (bounded by `timeoutMs`). */
export async function waitForOutput(
  child: { output(): string; errors(): string; exitCode: number | null },
  re: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = re.exec(child.output());
    if (m) return m;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `output never matched ${String(re)} (exit ${String(child.exitCode)}).\nstdout:\n${child.output()}\nstderr:\n${child.errors()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
