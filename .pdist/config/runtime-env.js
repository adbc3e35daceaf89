"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.historyFromEnv = historyFromEnv;
exports.effectMaxAttemptsFromEnv = effectMaxAttemptsFromEnv;
/**
 * Runtime settings of `serve` from environment variables: the dialog history's retention and the
 * outbox's attempts before a dead letter.
 */
const errors_1 = require("../errors");
const ON = /^(1|on|true|yes)$/i;
const OFF = /^(0|off|false|no)$/i;
/**
 * The runtime's `history` option from `OPENLINES_HISTORY` (`off` writes nothing),
 * `OPENLINES_HISTORY_MAX_ENTRIES` and `OPENLINES_HISTORY_MAX_AGE_DAYS`.
 *
 * @example
 * historyFromEnv({ OPENLINES_HISTORY: 'off' }) // false
 */
function historyFromEnv(env) {
    const problems = [];
    const mode = env.OPENLINES_HISTORY?.trim();
    if (mode && OFF.test(mode))
        return false;
    if (mode && !ON.test(mode))
        problems.push('OPENLINES_HISTORY: must be "on" or "off"');
    const int = (name, min) => {
        const v = env[name]?.trim();
        if (v === undefined || v === '')
            return undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || n < min || (name.endsWith('ENTRIES') && !Number.isInteger(n))) {
            problems.push(`${name}: must be a number of at least ${min}`);
            return undefined;
        }
        return n;
    };
    const maxEntries = int('OPENLINES_HISTORY_MAX_ENTRIES', 0);
    const days = int('OPENLINES_HISTORY_MAX_AGE_DAYS', 0.001);
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems);
    if (maxEntries === undefined && days === undefined)
        return undefined;
    return {
        ...(maxEntries !== undefined ? { maxEntries } : {}),
        ...(days !== undefined ? { maxAgeMs: Math.round(days * 86_400_000) } : {}),
    };
}
/**
 * Attempts of an effect that keeps failing transiently before it becomes a dead letter, from
 * `OPENLINES_EFFECT_MAX_ATTEMPTS` (default: the dispatcher's, 8).
 *
 * @example
 * effectMaxAttemptsFromEnv({ OPENLINES_EFFECT_MAX_ATTEMPTS: '3' }) // 3
 */
function effectMaxAttemptsFromEnv(env) {
    const v = env.OPENLINES_EFFECT_MAX_ATTEMPTS?.trim();
    if (v === undefined || v === '')
        return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 100)
        throw new errors_1.ConfigError(['OPENLINES_EFFECT_MAX_ATTEMPTS: must be an integer from 1 to 100']);
    return n;
}
