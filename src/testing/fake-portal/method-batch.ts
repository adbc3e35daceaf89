/**
 * `batch`: up to 50 sub-calls written as `method?query` strings (PHP-bracket query encoding),
 * answered with per-key `result` / `result_error`, `halt` stopping at the first failure.
 */
import { Fault, boolval, fail, strval, type Params } from './fault';
import { decodePhpQuery, phpLists } from './php-query';
import { timeBlock } from './portal-state';

export const MAX_BATCH = 50;

/** Outcome of one sub-call, as the core reports it. */
export type SubCallOutcome =
  | { ok: true; result: unknown }
  | { ok: false; fault: Fault }
  | { network: true }
  | { stall: true };

/** Splits `method?query` into a method name and decoded parameters (`auth` removed). */
export function parseCommand(command: string): { method: string; params: Params } {
  const q = command.indexOf('?');
  const method = (q < 0 ? command : command.slice(0, q)).trim();
  const params = phpLists(decodePhpQuery(q < 0 ? '' : command.slice(q + 1))) as Params;
  delete params.auth;
  delete params.access_token;
  return { method, params };
}

/** PHP's `json_encode` of an array keyed `0..n-1` is a list; an empty array is `[]`. */
function phpArray(map: Record<string, unknown>): unknown {
  const keys = Object.keys(map);
  if (keys.length === 0 || keys.every((k, i) => k === String(i))) return Object.values(map);
  return map;
}

/**
 * Runs a batch. `run` executes (and logs) one sub-call; a network failure of any sub-call
 * aborts the whole HTTP request.
 *
 * @example
 * runBatch({ params: { cmd: { a: 'imbot.bot.list' } }, now: 0, run: (key, method, p) => execute(method, p) });
 */
export function runBatch(options: {
  params: Params;
  now: number;
  run: (key: string, method: string, params: Params) => SubCallOutcome;
}): { network: true } | { stall: true } | { result: unknown } {
  const raw = options.params.cmd;
  if (!raw || typeof raw !== 'object') fail('ERROR_BATCH_EMPTY', 'Batch is empty');
  const entries = Object.entries(raw as Params);
  if (entries.length > MAX_BATCH) fail('ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded (${MAX_BATCH})`);
  const halt = boolval(options.params.halt);
  const result: Record<string, unknown> = {};
  const errors: Record<string, unknown> = {};
  const times: Record<string, unknown> = {};
  // A stalled sub-call still lets the others run: the whole answer is what gets lost.
  let stalled = false;
  for (const [key, value] of entries) {
    const { method, params } = parseCommand(strval(value));
    let outcome: SubCallOutcome;
    if (method.toLowerCase() === 'batch') {
      outcome = { ok: false, fault: new Fault('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405) };
    } else {
      outcome = options.run(key, method, params);
    }
    if ('network' in outcome) return outcome;
    if ('stall' in outcome) {
      stalled = true;
      continue;
    }
    if (outcome.ok) {
      result[key] = outcome.result;
      times[key] = timeBlock(options.now);
    } else {
      errors[key] = { error: outcome.fault.error, error_description: outcome.fault.message };
      if (halt) break;
    }
  }
  if (stalled) return { stall: true };
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
