/**
 * Errors of the framework. Every error is an {@link OpenlinesError} with a stable `code`,
 * split by who failed: Bitrix24 refused (`ApiError`), the network failed (`HttpError`),
 * the input was bad (`EventValidationError`, `ConfigError`), a bot's machine threw (`TurnError`),
 * storage failed (`StoreError`).
 *
 * Messages, `toJSON()` and `util.inspect` output never contain secrets: whatever is registered
 * with {@link registerSecret} (webhook secrets, tokens, client secrets) is replaced by `***`.
 */
import { inspect } from 'node:util';

/** Every error code the framework throws. The README has one catalogue entry per code. */
export type ErrorCode =
  | 'API_ERROR'
  | 'HTTP_ERROR'
  | 'TIMEOUT'
  | 'AUTH_REFRESH_FAILED'
  | 'EVENT_VALIDATION'
  | 'EVENT_AUTH'
  | 'CONFIG'
  | 'TURN_ERROR'
  | 'STORE_ERROR'
  | 'STORE_CONFLICT'
  | 'SNAPSHOT_INVALID'
  | 'BOT_LOAD'
  | 'RUNTIME_STOPPED'
  | 'UNEXPECTED_RESULT'
  | 'FILE_TOO_LARGE';

const secrets = new Set<string>();

/** Marks a string as secret: from now on it is replaced by `***` in every framework error and log line. */
export function registerSecret(secret: string | undefined | null): void {
  if (typeof secret === 'string' && secret.length >= 4) secrets.add(secret);
}

/** Replaces every registered secret (and their percent-encoded forms) found in `text` by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('***');
    const enc = encodeURIComponent(s);
    if (enc !== s && out.includes(enc)) out = out.split(enc).join('***');
  }
  return out;
}

/** Keys whose string values are always masked in logs, whatever their content. */
const SECRET_KEY = /token|secret|password|^auth$|^access_token$|^client_id$|^clientId$/i;

/** Recursively redacts strings inside a JSON-like value (for logs). Errors become plain objects. */
export function redactValue<T>(value: T, depth = 0): T {
  if (depth > 8) return value;
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1)) as T;
  if (value instanceof Error) {
    const json = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as unknown as { toJSON(): unknown }).toJSON() : undefined;
    const plain = json && typeof json === 'object' ? json : { name: value.name, message: value.message, stack: value.stack };
    return redactValue(plain, depth + 1) as T;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '***' : redactValue(v, depth + 1);
    }
    return out as T;
  }
  return value;
}

/**
 * Base class of every error the framework throws.
 *
 * @example
 * try { await client.call('imbot.message.add', params) }
 * catch (e) { if (isOpenlinesError(e) && e.code === 'API_ERROR') console.log(e.toJSON()) }
 */
export class OpenlinesError extends Error {
  readonly code: ErrorCode;
  /** Marker that survives realms and duplicated module copies (see {@link isOpenlinesError}). */
  readonly isOpenlinesError = true as const;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(redact(message));
    this.code = code;
    this.name = new.target.name;
    if (options && 'cause' in options) {
      // Kept non-enumerable so that it does not show up in JSON or inspect output by accident.
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true });
    }
    if (this.stack) this.stack = redact(this.stack);
  }

  /** A plain, secret-free description of the error. */
  toJSON(): Record<string, unknown> {
    return redactValue({ name: this.name, code: this.code, message: this.message });
  }

  [inspect.custom](): string {
    return redact(`${this.name} [${this.code}]: ${this.message}\n${JSON.stringify(this.toJSON())}`);
  }
}

/** True for any framework error, even across duplicated module copies. */
export function isOpenlinesError(e: unknown): e is OpenlinesError {
  return typeof e === 'object' && e !== null && (e as { isOpenlinesError?: unknown }).isOpenlinesError === true;
}

/** Configuration is wrong: one line per problem in `problems`. */
export class ConfigError extends OpenlinesError {
  readonly problems: string[];
  constructor(problems: string[], context = 'Invalid configuration') {
    super('CONFIG', `${context}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems.map(redact);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problems: this.problems };
  }
}
