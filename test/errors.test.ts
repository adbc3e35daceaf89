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
