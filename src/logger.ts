/**
 * Structured JSON logs (pino). Every line passes through the secret redaction of `errors.ts`,
 * and keys that name secrets (`*token*`, `*secret*`, `auth`, `password`) are masked.
 */
import pino, { type Logger } from 'pino';
import { redact, redactValue } from './errors';

export type { Logger };

export interface LoggerOptions {
  /** pino level; default `LOG_LEVEL` or `info`. */
  level?: string;
  /** Where to write; default stdout. */
  destination?: pino.DestinationStream;
}

/**
 * Creates the framework's logger.
 *
 * @example
 * const logger = createLogger({ level: 'debug' });
 * logger.info({ portal: 'abc', dialog: 'abc:571:1777' }, 'turn committed');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: undefined,
      formatters: {
        log: (obj) => redactValue(obj),
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((a) => (typeof a === 'string' ? redact(a) : a));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (e: unknown) => redactValue(e),
      },
    },
    options.destination,
  );
}

/** A logger that writes nothing (tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
