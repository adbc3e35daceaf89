/**
 * What a CLI command reads and writes, injectable so that commands run in tests without touching
 * the process: standard streams, environment and working directory.
 */
import type { Readable, Writable } from 'node:stream';

/** The process surface of one CLI run. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Wrong command-line usage: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The process's own streams, environment and working directory.
 *
 * @example
 * const code = await runCli({ argv: ['diagram', 'bots/support'], io: processIo() });
 */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Writes lines to a stream, each ended by a newline.
 *
 * @example
 * writeLines(io.stdout, ['bot: Hello!', '  1) Order status']);
 */
export function writeLines(stream: Writable, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
}
