"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BATCH_LIMIT = void 0;
exports.encodeBatchQuery = encodeBatchQuery;
exports.buildBatchCommands = buildBatchCommands;
exports.readBatchResult = readBatchResult;
/**
 * Wire format of `batch` (settings/how-to-call-rest-api/batch.md): each sub-call is one
 * `method?query` string in the `cmd` map, the query in PHP bracket form (`FIELDS[NAME]=x`), and the
 * answer splits into `result` and `result_error` maps keyed like `cmd`.
 */
const errors_1 = require("../errors");
/** Sub-requests per `batch` request; Bitrix24 refuses more (ERROR_BATCH_LENGTH_EXCEEDED). */
exports.BATCH_LIMIT = 50;
const MAX_DEPTH = 16;
/**
 * Encodes params like PHP's `http_build_query`: nested keys in brackets, arrays by index, `null`,
 * `undefined` and empty arrays/objects left out. Booleans become `Y`/`N`, the form both v1 flags
 * and v2 booleans accept (a bare `1`/`0` is not documented for v2).
 *
 * @example
 * encodeBatchQuery({ FIELDS: { NAME: 'A&B' }, FLAG: true }); // 'FIELDS[NAME]=A%26B&FLAG=Y'
 */
function encodeBatchQuery(params) {
    const parts = [];
    const walk = (key, value, depth) => {
        if (depth > MAX_DEPTH)
            throw new errors_1.ConfigError([`batch params nest deeper than ${MAX_DEPTH} levels (at ${key})`]);
        if (value === null || value === undefined)
            return;
        if (typeof value === 'boolean')
            parts.push(`${key}=${value ? 'Y' : 'N'}`);
        else if (typeof value === 'number' || typeof value === 'bigint')
            parts.push(`${key}=${encodeURIComponent(String(value))}`);
        else if (typeof value === 'string')
            parts.push(`${key}=${encodeURIComponent(value)}`);
        else if (value instanceof Date)
            parts.push(`${key}=${encodeURIComponent(value.toISOString())}`);
        else if (Array.isArray(value))
            value.forEach((v, i) => walk(`${key}[${i}]`, v, depth + 1));
        else if (typeof value === 'object') {
            for (const [k, v] of Object.entries(value))
                walk(`${key}[${encodeURIComponent(k)}]`, v, depth + 1);
        }
    };
    for (const [k, v] of Object.entries(params))
        walk(encodeURIComponent(k), v, 0);
    return parts.join('&');
}
/**
 * Builds the `cmd` map of one batch request; keys are `c<index>` so PHP keeps them as an object.
 *
 * @example
 * buildBatchCommands([{ method: 'imbot.bot.list' }], (m, p) => p); // { c0: 'imbot.bot.list' }
 */
function buildBatchCommands(calls, decorate) {
    const cmd = {};
    calls.forEach((c, i) => {
        if (!/^[A-Za-z0-9_.]+$/.test(c.method))
            throw new errors_1.ConfigError([`invalid REST method name in batch: ${JSON.stringify(c.method)}`]);
        if (c.method.toLowerCase() === 'batch')
            throw new errors_1.ConfigError(['batch cannot contain batch']);
        const query = encodeBatchQuery(decorate(c.method, c.params ?? {}, c.botApiVersion));
        cmd[`c${i}`] = query ? `${c.method}?${query}` : c.method;
    });
    return cmd;
}
/**
 * Splits a batch answer into per-call outcomes, in the order of `count` calls.
 *
 * @example
 * readBatchResult(1, { result: { c0: true } }); // [{ status: 'ok', result: true }]
 */
function readBatchResult(count, answer) {
    const a = (answer && typeof answer === 'object' ? answer : {});
    const ok = asMap(a.result);
    const failed = asMap(a.result_error);
    const out = [];
    for (let i = 0; i < count; i++) {
        const key = `c${i}`;
        if (Object.hasOwn(failed, key)) {
            const e = failed[key];
            if (e && typeof e === 'object') {
                const { error, error_description } = e;
                out.push({
                    status: 'error',
                    error: typeof error === 'string' ? error : 'UNKNOWN_ERROR',
                    ...(typeof error_description === 'string' ? { description: error_description } : {}),
                });
            }
            else
                out.push({ status: 'error', error: typeof e === 'string' ? e : 'UNKNOWN_ERROR' });
        }
        else if (Object.hasOwn(ok, key))
            out.push({ status: 'ok', result: ok[key] });
        else
            out.push({
                status: 'error',
                error: 'NOT_EXECUTED',
                description: 'not run: the batch halted at an earlier error',
            });
    }
    return out;
}
// PHP serialises an empty array as `[]`, a keyed one as an object.
function asMap(v) {
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
