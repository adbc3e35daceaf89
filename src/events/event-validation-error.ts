/**
 * The one error every malformed event body becomes: bad form encoding, bad JSON, limits
 * exceeded, unsafe keys, unknown event types and schema violations alike.
 */
import type { z } from 'zod';
import { OpenlinesError, redactValue } from '../errors';

/** A zod issue (schema violations) or a decoder issue shaped like one (`code: 'custom'`). */
export type EventIssue = z.core.$ZodIssue;

/** At most this many issues are kept: a hostile body must not produce a huge error. */
const MAX_ISSUES = 50;
/** Path segments come from attacker-chosen keys; long ones are cut for logs. */
const MAX_SEGMENT = 64;

function cutSegment(seg: PropertyKey): PropertyKey {
  if (typeof seg !== 'string' || seg.length <= MAX_SEGMENT) return seg;
  return `${seg.slice(0, MAX_SEGMENT)}…(${seg.length} chars)`;
}

function sanitize(issue: EventIssue): EventIssue {
  // `input` may hold a token; zod leaves it out by default but a caller might not.
  const { input: _input, ...rest } = issue;
  return { ...rest, path: issue.path.map(cutSegment) };
}

function describe(issue: EventIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
  return `${where}: ${issue.message}`;
}

/**
 * Builds a decoder issue (not from zod) with the same shape as a zod `custom` issue.
 *
 * @example
 * throw new EventValidationError([eventIssue('expected a JSON object', ['body'])]);
 */
export function eventIssue(message: string, path: PropertyKey[] = []): EventIssue {
  return { code: 'custom', message, path };
}

/**
 * An inbound event body is malformed or does not match the schema of its event type.
 * `issues` are zod issues (decoder problems use `code: 'custom'`); no value from the body is
 * copied into the message, so tokens cannot leak through it.
 *
 * @example
 * try { parseEventBody({ body, contentType }) }
 * catch (e) { if (isEventValidationError(e)) res.status(400).json(e.toJSON()) }
 */
export class EventValidationError extends OpenlinesError {
  readonly issues: EventIssue[];
  /** The `event` field of the body, when it could be read. */
  readonly eventType?: string;

  constructor(issues: EventIssue[], options: { eventType?: string; cause?: unknown } = {}) {
    const kept = issues.slice(0, MAX_ISSUES).map(sanitize);
    const head = options.eventType ? `Invalid ${options.eventType} event` : 'Invalid event body';
    const more = issues.length > kept.length ? `\n  … and ${issues.length - kept.length} more` : '';
    super(
      'EVENT_VALIDATION',
      `${head}:\n${kept.map((i) => `  - ${describe(i)}`).join('\n')}${more}`,
      options.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.issues = kept;
    if (options.eventType !== undefined) this.eventType = options.eventType;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.eventType !== undefined ? { eventType: this.eventType } : {}),
      issues: redactValue(this.issues),
    };
  }
}

/**
 * True for an {@link EventValidationError}, even across duplicated module copies.
 *
 * @example
 * if (isEventValidationError(e)) console.log(e.issues.map((i) => i.path.join('.')))
 */
export function isEventValidationError(e: unknown): e is EventValidationError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { isOpenlinesError?: unknown }).isOpenlinesError === true &&
    (e as { code?: unknown }).code === 'EVENT_VALIDATION'
  );
}
