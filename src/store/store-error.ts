/**
 * The error every store adapter throws when it cannot do what was asked: the database is
 * unreachable or closed, a file cannot be opened, a value is not JSON.
 */
import { OpenlinesError, isOpenlinesError } from '../errors';

/**
 * Storage failed. `cause` keeps the adapter's original error (non-enumerable, never logged by accident).
 *
 * @example
 * try { await store.ping() } catch (e) { if (isStoreError(e)) res.status(503).json(e.toJSON()) }
 */
export class StoreError extends OpenlinesError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_ERROR', message, options);
  }
}

/**
 * True for a {@link StoreError}, even across duplicated module copies.
 *
 * @example
 * if (isStoreError(e)) logger.error({ err: e }, 'store unavailable');
 */
export function isStoreError(e: unknown): e is StoreError {
  return isOpenlinesError(e) && e.code === 'STORE_ERROR';
}
