"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkPortalOptions = checkPortalOptions;
/**
 * Validation of `createFakePortal` / `mockPortal` options: a wrong option is a `ConfigError`
 * listing every problem, not a confusing failure in the middle of a test.
 */
const errors_1 = require("../../errors");
const positive = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
/**
 * Throws a {@link ConfigError} when options are unusable.
 *
 * @example
 * checkPortalOptions({ rateLimit: { burst: 0 } }); // throws ConfigError: rateLimit.burst must be a positive number
 */
function checkPortalOptions(options) {
    const problems = [];
    if (options.clock !== undefined && typeof options.clock?.now !== 'function')
        problems.push('clock must have a now() method');
    if (options.rateLimit !== undefined && options.rateLimit !== false) {
        const { burst, drainPerSecond } = options.rateLimit;
        if (burst !== undefined && !positive(burst))
            problems.push('rateLimit.burst must be a positive number');
        if (drainPerSecond !== undefined && !positive(drainPerSecond))
            problems.push('rateLimit.drainPerSecond must be a positive number');
    }
    if (options.firstBotId !== undefined && !(Number.isSafeInteger(options.firstBotId) && options.firstBotId > 0)) {
        problems.push('firstBotId must be a positive integer');
    }
    if (options.webhookUserId !== undefined && !(Number.isSafeInteger(options.webhookUserId) && options.webhookUserId > 0)) {
        problems.push('webhookUserId must be a positive integer');
    }
    if (options.webhookSecret !== undefined && !/^[A-Za-z0-9_-]+$/.test(options.webhookSecret)) {
        problems.push('webhookSecret must be a non-empty string of letters, digits, _ or -');
    }
    if (options.tokenTtlSeconds !== undefined && !positive(options.tokenTtlSeconds))
        problems.push('tokenTtlSeconds must be a positive number');
    if (options.lines !== undefined) {
        if (!Array.isArray(options.lines) || options.lines.length === 0)
            problems.push('lines must be a non-empty array');
        else if (options.lines.some((l) => !(Number.isSafeInteger(l?.ID) && l.ID > 0)))
            problems.push('every line needs a positive integer ID');
    }
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems, 'Invalid fake portal options');
}
