/**
 * JSON encoding of stored values, shared by the adapters so that every adapter returns exactly
 * what a JSON round trip returns (`undefined` fields dropped, dates as strings): code tested on the
 * memory store behaves the same on SQLite or Redis.
 */
import { StoreError } from './store-error';

/** Encodes a value that must be present; `undefined` is stored as `null`. */
export function encodeJson(value: unknown, what: string): string {
  return encodeOptionalJson(value, what) ?? 'null';
}

/** Encodes an optional value; `undefined` stays absent. */
export function encodeOptionalJson(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new StoreError(`${what} is not JSON-serializable: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Decodes a stored column; a missing value (`null` column) decodes to `undefined`. */
export function decodeJson(text: string | null | undefined): unknown {
  return text === null || text === undefined ? undefined : JSON.parse(text);
}
