"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_BATCH = void 0;
exports.parseCommand = parseCommand;
exports.runBatch = runBatch;
/**
 * `batch`: up to 50 sub-calls written as `method?query` strings (PHP-bracket query encoding),
 * answered with per-key `result` / `result_error`, `halt` stopping at the first failure.
 */
const fault_1 = require("./fault");
const php_query_1 = require("./php-query");
const portal_state_1 = require("./portal-state");
exports.MAX_BATCH = 50;
/** Splits `method?query` into a method name and decoded parameters (`auth` removed). */
function parseCommand(command) {
    const q = command.indexOf('?');
    const method = (q < 0 ? command : command.slice(0, q)).trim();
    const params = (0, php_query_1.phpLists)((0, php_query_1.decodePhpQuery)(q < 0 ? '' : command.slice(q + 1)));
    delete params.auth;
    delete params.access_token;
    return { method, params };
}
/** PHP's `json_encode` of an array keyed `0..n-1` is a list; an empty array is `[]`. */
function phpArray(map) {
    const keys = Object.keys(map);
    if (keys.length === 0 || keys.every((k, i) => k === String(i)))
        return Object.values(map);
    return map;
}
/**
 * Runs a batch. `run` executes (and logs) one sub-call; a network failure of any sub-call
 * aborts the whole HTTP request.
 *
 * @example
 * runBatch({ params: { cmd: { a: 'imbot.bot.list' } }, now: 0, run: (key, method, p) => execute(method, p) });
 */
function runBatch(options) {
    const raw = options.params.cmd;
    if (!raw || typeof raw !== 'object')
        (0, fault_1.fail)('ERROR_BATCH_EMPTY', 'Batch is empty');
    const entries = Object.entries(raw);
    if (entries.length > exports.MAX_BATCH)
        (0, fault_1.fail)('ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded (${exports.MAX_BATCH})`);
    const halt = (0, fault_1.boolval)(options.params.halt);
    const result = {};
    const errors = {};
    const times = {};
    // A stalled sub-call still lets the others run: the whole answer is what gets lost.
    let stalled = false;
    for (const [key, value] of entries) {
        const { method, params } = parseCommand((0, fault_1.strval)(value));
        let outcome;
        if (method.toLowerCase() === 'batch') {
            outcome = { ok: false, fault: new fault_1.Fault('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405) };
        }
        else {
            outcome = options.run(key, method, params);
        }
        if ('network' in outcome)
            return outcome;
        if ('stall' in outcome) {
            stalled = true;
            continue;
        }
        if (outcome.ok) {
            result[key] = outcome.result;
            times[key] = (0, portal_state_1.timeBlock)(options.now);
        }
        else {
            errors[key] = { error: outcome.fault.error, error_description: outcome.fault.message };
            if (halt)
                break;
        }
    }
    if (stalled)
        return { stall: true };
    return {
        result: {
            result: phpArray(result),
            result_error: phpArray(errors),
            result_total: [],
            result_next: [],
            result_time: phpArray(times),
        },
    };
}
