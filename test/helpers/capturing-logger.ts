/**
 * A real logger (pino, JSON lines) whose lines are parsed into an array, for tests that assert
 * what was logged.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';

/** One parsed log line: pino's numeric `level`, its `msg` and the bound fields. */
export type LogLine = { level: number; msg: string; [k: string]: unknown };

/**
 * @example
 * const { logger, lines } = capturingLogger({ level: 'info' });
 * logger.warn({ n: 1 }, 'careful');
 * expect(lines[0]).toMatchObject({ level: 40, msg: 'careful', n: 1 });
 */
export function capturingLogger(options: { level: 'debug' | 'info' }): {
  logger: Logger;
  lines: LogLine[];
} {
  const lines: LogLine[] = [];
  const logger = createLogger({
    level: options.level,
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as LogLine);
        done();
      },
    }),
  });
  return { logger, lines };
}
