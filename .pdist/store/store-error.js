"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.StoreError = void 0;
exports.isStoreError = isStoreError;
/**
 * The error every store adapter throws when it cannot do what was asked: the database is
 * unreachable or closed, a file cannot be opened, a value is not JSON.
 */
const errors_1 = require("../errors");
/**
 * Storage failed. `cause` keeps the adapter's original error (non-enumerable, never logged by accident).
 *
 * @example
 * try { await store.ping() } catch (e) { if (isStoreError(e)) res.status(503).json(e.toJSON()) }
 */
class StoreError extends errors_1.OpenlinesError {
    constructor(message, options) {
        super('STORE_ERROR', message, options);
    }
}
exports.StoreError = StoreError;
/**
 * True for a {@link StoreError}, even across duplicated module copies.
 *
 * @example
 * if (isStoreError(e)) logger.error({ err: e }, 'store unavailable');
 */
function isStoreError(e) {
    return (0, errors_1.isOpenlinesError)(e) && e.code === 'STORE_ERROR';
}
