import { inspect } from 'node:util';
import { ConfigError, OpenlinesError, isOpenlinesError, redact, registerSecret } from '../src/errors';

describe('OpenlinesError', () => {
  it('redacts registered secrets from message, stack, toJSON and inspect', () => {
    registerSecret('s3cr3t-webhook-code');
    const e = new OpenlinesError('HTTP_ERROR', 'POST https://x.bitrix24.com/rest/1/s3cr3t-webhook-code/imbot.register failed');
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e.toJSON()), inspect(e)]) {
      expect(text).not.toContain('s3cr3t-webhook-code');
      expect(text).toContain('***');
    }
    expect(redact('a%20b s3cr3t-webhook-code')).toBe('a%20b ***');
  });

  it('is recognised without instanceof', () => {
    const e = new ConfigError(['PORT must be a number']);
    expect(isOpenlinesError(e)).toBe(true);
    expect(isOpenlinesError({ code: 'CONFIG' })).toBe(false);
    expect(e.message).toContain('PORT must be a number');
    expect(e.problems).toEqual(['PORT must be a number']);
  });
});

describe('createLogger', () => {
  it('logs errors with their message and code, secrets masked', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLogger } = require('../src/logger') as typeof import('../src/logger');
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(s) } });
    registerSecret('tok-abcdef-123');
    logger.error({ err: new ConfigError(['bad tok-abcdef-123']), author: 'Ivan', accessToken: 'x1' }, 'failed');
    const line = JSON.parse(lines[0]!) as { err: { code: string; message: string }; author: string; accessToken: string };
    expect(line.err.code).toBe('CONFIG');
    expect(line.err.message).toContain('bad ***');
    expect(line.author).toBe('Ivan');
    expect(line.accessToken).toBe('***');
    expect(lines[0]).not.toContain('tok-abcdef-123');
  });
});
