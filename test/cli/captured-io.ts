/**
 * In-process CLI runs: a {@link CliIo} whose output is collected as text.
 */
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/cli-io';
import { REPO } from './run-cli-process';

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

export function capturedIo(
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {},
): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return {
    stdin: Readable.from([options.input ?? '']),
    stdout,
    stderr,
    env: options.env ?? { LOG_LEVEL: 'silent' },
    cwd: options.cwd ?? REPO,
    out: () => out,
    err: () => err,
  };
}
