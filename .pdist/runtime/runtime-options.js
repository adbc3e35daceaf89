"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkRuntimeOptions = checkRuntimeOptions;
const errors_1 = require("../errors");
const history_1 = require("./history");
/**
 * Throws a `ConfigError` listing every problem of the runtime options.
 *
 * @example
 * checkRuntimeOptions({ options });
 */
function checkRuntimeOptions({ options: o }) {
    const problems = [];
    if (!o.store || typeof o.store.appendInbox !== 'function')
        problems.push('store must be a Store (memoryStore(), sqliteStore(...))');
    if (typeof o.clients !== 'function')
        problems.push('clients must be a function (portalId) => RestClient');
    if (o.turnTimeoutMs !== undefined && !(o.turnTimeoutMs > 0))
        problems.push('turnTimeoutMs must be a positive number');
    if (o.concurrency !== undefined && !(Number.isInteger(o.concurrency) && o.concurrency > 0))
        problems.push('concurrency must be a positive integer');
    if (o.leaseMs !== undefined && !(o.leaseMs >= 500))
        problems.push('leaseMs must be at least 500 (it is renewed every third of it)');
    if (o.orphanScanMs !== undefined && !(o.orphanScanMs >= 0))
        problems.push('orphanScanMs must be 0 (off) or a positive number');
    if (o.joinWindowMs !== undefined &&
        !(Number.isFinite(o.joinWindowMs) && o.joinWindowMs >= 0 && o.joinWindowMs <= 600_000))
        problems.push('joinWindowMs must be a number of milliseconds from 0 to 600000');
    problems.push(...(0, history_1.historyOptionProblems)(o.history));
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems, 'Invalid runtime options');
}
