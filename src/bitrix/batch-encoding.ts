/**
 * Wire format of `batch` (settings/how-to-call-rest-api/batch.md): each sub-call is one
 * `method?query` string in the `cmd` map, the query in PHP bracket form (`FIELDS[NAME]=x`), and the
 * answer splits into `result` and `result_error` maps keyed like `cmd`.
 */
import { ConfigError } from '../errors';
import type { BatchCall, BatchItemResult, RestParams } from './types';

/** Sub-requests per `batch` request; Bitrix24 refuses more (ERROR_BATCH_LENGTH_EXCEEDED). */
export const BATCH_LIMIT = 50;

const MAX_DEPTH = 16;
const METHOD_NAME = /^[A-Za-z0-9_.]+$/;

/**
 * Encodes params like PHP's `http_build_query`: nested keys in brackets, arrays by index, `null`,
 * `undefined` and empty arrays/objects left out. Booleans become `Y`/`N`, the form both v1 flags
 * and v2 booleans accept (a bare `1`/`0` is not documented for v2).
 *
 * @example
 * encodeBatchQuery({ FIELDS: { NAME: 'A&B' }, FLAG: true }); // 'FIELDS[NAME]=A%26B&FLAG=Y'
 */
export function encodeBatchQuery(params: RestParams): string {
  let out = '';
  for (const k of Object.keys(params)) out = appendPair(out, encodeURIComponent(k), params[k], 0);
  return out;
}

/** `out` with `key=value` pairs for `value` appended (`&`-separated); nested values recurse. */
function appendPair(out: string, key: string, value: unknown, depth: number): string {
  if (depth > MAX_DEPTH)
    throw new ConfigError([`batch params nest deeper than ${MAX_DEPTH} levels (at ${key})`]);
  switch (typeof value) {
    case 'string':
      return `${out === '' ? '' : `${out}&`}${key}=${encodeURIComponent(value)}`;
    case 'number':
    case 'bigint':
      return `${out === '' ? '' : `${out}&`}${key}=${encodeURIComponent(String(value))}`;
    case 'boolean':
      return `${out === '' ? '' : `${out}&`}${key}=${value ? 'Y' : 'N'}`;
    case 'object': {
      if (value === null) return out;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++)
          out = appendPair(out, `${key}[${i}]`, value[i], depth + 1);
        return out;
      }
      if (value instanceof Date)
        return `${out === '' ? '' : `${out}&`}${key}=${encodeURIComponent(value.toISOString())}`;
      const record = value as Record<string, unknown>;
      for (const k of Object.keys(record))
        out = appendPair(out, `${key}[${encodeURIComponent(k)}]`, record[k], depth + 1);
      return out;
    }
    default:
      // undefined, functions and symbols are left out.
      return out;
  }
}

/**
 * Builds the `cmd` map of one batch request; keys are `c<index>` so PHP keeps them as an object.
 *
 * @example
 * buildBatchCommands([{ method: 'imbot.bot.list' }], (m, p) => p); // { c0: 'imbot.bot.list' }
 */
export function buildBatchCommands(
  calls: BatchCall[],
  decorate: (method: string, params: RestParams, botApiVersion?: 1 | 2) => RestParams,
): Record<string, string> {
  const cmd: Record<string, string> = {};
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!;
    if (typeof c.method !== 'string' || !METHOD_NAME.test(c.method))
      throw new ConfigError([`invalid REST method name in batch: ${JSON.stringify(c.method)}`]);
    if (c.method.length === 5 && c.method.toLowerCase() === 'batch')
      throw new ConfigError(['batch cannot contain batch']);
    const query = encodeBatchQuery(decorate(c.method, c.params ?? {}, c.botApiVersion));
    cmd[`c${i}`] = query ? `${c.method}?${query}` : c.method;
  }
  return cmd;
}

/**
 * Splits a batch answer into per-call outcomes, in the order of `count` calls.
 *
 * @example
 * readBatchResult(1, { result: { c0: true } }); // [{ status: 'ok', result: true }]
 */
export function readBatchResult(count: number, answer: unknown): BatchItemResult[] {
  const a = (answer && typeof answer === 'object' ? answer : {}) as {
    result?: unknown;
    result_error?: unknown;
  };
  const ok = asMap(a.result);
  const failed = asMap(a.result_error);
  const out: BatchItemResult[] = [];
  for (let i = 0; i < count; i++) {
    const key = `c${i}`;
    if (Object.hasOwn(failed, key)) {
      const e = failed[key];
      if (e && typeof e === 'object') {
        const { error, error_description } = e as { error?: unknown; error_description?: unknown };
        out.push({
          status: 'error',
          error: typeof error === 'string' ? error : 'UNKNOWN_ERROR',
          ...(typeof error_description === 'string' ? { description: error_description } : {}),
        });
      } else out.push({ status: 'error', error: typeof e === 'string' ? e : 'UNKNOWN_ERROR' });
    } else if (Object.hasOwn(ok, key)) out.push({ status: 'ok', result: ok[key] });
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
function asMap(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
