import { inspect } from 'node:util';
import { registerSecret } from '../../src/errors';
import {
  EventValidationError,
  eventIssue,
  isEventValidationError,
  type EventIssue,
} from '../../src/events/event-validation-error';

describe('EventValidationError', () => {
  it('carries the issues, the event type and the EVENT_VALIDATION code', () => {
    const e = new EventValidationError(
      [eventIssue('expected a numeric id', ['data', 'PARAMS', 'MESSAGE_ID'])],
      {
        eventType: 'ONIMBOTMESSAGEADD',
      },
    );
    expect(e.code).toBe('EVENT_VALIDATION');
    expect(e.name).toBe('EventValidationError');
    expect(e.message).toBe(
      'Invalid ONIMBOTMESSAGEADD event:\n  - data.PARAMS.MESSAGE_ID: expected a numeric id',
    );
    expect(e.toJSON()).toEqual({
      name: 'EventValidationError',
      code: 'EVENT_VALIDATION',
      message: e.message,
      eventType: 'ONIMBOTMESSAGEADD',
      issues: [
        {
          code: 'custom',
          message: 'expected a numeric id',
          path: ['data', 'PARAMS', 'MESSAGE_ID'],
        },
      ],
    });
  });

  it('drops issue inputs, cuts long path keys and caps the number of issues', () => {
    const long = 'k'.repeat(5000);
    const issues = Array.from({ length: 80 }, (_, i) => ({
      ...eventIssue(`bad ${i}`, ['data', long]),
      input: 'secret-input',
    }));
    const e = new EventValidationError(issues as EventIssue[]);
    expect(e.issues).toHaveLength(50);
    expect(JSON.stringify(e.toJSON())).not.toContain('secret-input');
    expect(e.message.length).toBeLessThan(10_000);
    expect(e.message).toContain('… and 30 more');
  });

  it('redacts registered secrets from message, toJSON and inspect output', () => {
    registerSecret('s3cret-application-token');
    const e = new EventValidationError([
      eventIssue('bad value s3cret-application-token', ['auth']),
    ]);
    for (const text of [e.message, JSON.stringify(e.toJSON()), inspect(e)])
      expect(text).not.toContain('s3cret-application-token');
  });
});

describe('isEventValidationError', () => {
  it('recognises the error by its marker and code, not by instanceof alone', () => {
    expect(isEventValidationError(new EventValidationError([eventIssue('x')]))).toBe(true);
    expect(isEventValidationError({ isOpenlinesError: true, code: 'EVENT_VALIDATION' })).toBe(true);
    expect(isEventValidationError({ isOpenlinesError: true, code: 'CONFIG' })).toBe(false);
    expect(isEventValidationError(new Error('x'))).toBe(false);
    expect(isEventValidationError(null)).toBe(false);
  });
});
