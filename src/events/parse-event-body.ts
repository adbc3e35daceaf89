/**
 * The entry point for webhook bodies: form-encoded (what Bitrix24 sends) or JSON (what some v2
 * docs show), v1 or v2, to one {@link InboundEvent}.
 */
import { EventValidationError, eventIssue } from './event-validation-error';
import type { InboundEvent } from './inbound-event';
import { guardJson } from './json-guard';
import { mapWireEvent } from './map-wire-event';
import { decodePhpForm, type DecodePhpFormOptions } from './php-form';

/** Options of {@link parseEventBody}. */
export interface ParseEventBodyOptions {
  body: string | Buffer;
  /** The request's `Content-Type`; without a known one the body is sniffed (`{` means JSON). */
  contentType?: string;
  /** Refuse larger bodies. Default 1 MiB. The HTTP layer should refuse them earlier. */
  maxBytes?: number;
  /**
   * The portal to assume when the body names none: v2 bots registered through an incoming
   * webhook may get events whose `auth` lacks `member_id`.
   */
  portal?: { memberId: string; domain: string };
  /** Decoder limits (depth, keys, value length). */
  limits?: DecodePhpFormOptions;
}

/** Default of {@link ParseEventBodyOptions.maxBytes}. */
export const MAX_EVENT_BODY_BYTES = 1_048_576;

function isJson(contentType: string | undefined, text: string): boolean {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return false;
  if (type === 'application/json' || type?.endsWith('+json')) return true;
  return /^\s*\{/.test(text.slice(0, 64));
}

function parseJson(text: string, limits: DecodePhpFormOptions | undefined): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EventValidationError([eventIssue('body is not valid JSON')]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventValidationError([eventIssue('expected a JSON object')]);
  }
  guardJson(value, limits);
  return value;
}

/**
 * Decodes, validates and normalizes one Bitrix24 event request body. Numbers and flags that
 * arrive as strings are coerced; unknown fields are ignored. Does not check the application
 * token: compare `event.applicationToken` with {@link verifyApplicationToken}.
 *
 * @throws {EventValidationError} for anything malformed: encoding, limits, unsafe keys,
 *   unknown event type, missing or wrong fields.
 * @example
 * const event = parseEventBody({ body: req.body, contentType: req.headers['content-type'] });
 * if (!verifyApplicationToken(stored.applicationToken, event.applicationToken)) return res.sendStatus(401);
 */
export function parseEventBody(options: ParseEventBodyOptions): InboundEvent {
  const { body, contentType, limits } = options;
  const maxBytes = options.maxBytes ?? MAX_EVENT_BODY_BYTES;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > maxBytes)
    throw new EventValidationError([eventIssue(`body larger than ${maxBytes} bytes`)]);
  if (size === 0) throw new EventValidationError([eventIssue('body is empty')]);
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const raw = isJson(contentType, text) ? parseJson(text, limits) : decodePhpForm(text, limits);
  return mapWireEvent(raw, { delivery: 'webhook', portal: options.portal });
}
