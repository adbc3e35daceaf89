/**
 * Checking parameters and parsing results of the `imopenlines.*` methods, shared by the typed
 * client, batches and invoked calls from machines.
 */
import type { z } from 'zod';
import { ConfigError, OpenlinesError } from '../errors';
import {
  OPENLINES_METHODS,
  isOpenlinesMethod,
  openlinesDocUrl,
  type OpenlinesMethod,
  type OpenlinesParams,
  type OpenlinesResult,
} from './openlines-methods';
import type { BatchCall, BatchItemResult, RestParams } from './types';

function describe(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`);
}

/**
 * Parameters of an `imopenlines.*` call are wrong; thrown before any request is made.
 *
 * @example
 * try { await api.imopenlines.dialog.get({}) }
 * catch (e) { if (e instanceof OpenlinesParamsError) console.log(e.method, e.problems) }
 */
export class OpenlinesParamsError extends ConfigError {
  /** The method that was not called. */
  readonly method: string;
  constructor(method: string, problems: string[]) {
    super(problems, `Invalid parameters of ${method}`);
    this.method = method;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method };
  }
}

/**
 * Bitrix24 answered an `imopenlines.*` call with a result of an unexpected shape (the call itself
 * succeeded; `raw` keeps what came back).
 *
 * @example
 * catch (e) { if (e instanceof UnexpectedResultError) logger.warn({ method: e.method, problems: e.problems }) }
 */
export class UnexpectedResultError extends OpenlinesError {
  readonly method: string;
  readonly problems: string[];
  /** The result as received. */
  readonly raw: unknown;
  constructor(method: string, problems: string[], raw: unknown) {
    super('UNEXPECTED_RESULT', `Unexpected result of ${method}: ${problems.join('; ')}`);
    this.method = method;
    this.problems = problems;
    Object.defineProperty(this, 'raw', { value: raw, enumerable: false });
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, problems: this.problems };
  }
}

/**
 * Checks and normalises the parameters of `method` (ids to numbers, flags to `Y`/`N`); throws
 * {@link OpenlinesParamsError}.
 *
 * @example
 * checkOpenlinesParams('imopenlines.session.mode.pin', { CHAT_ID: '1777', ACTIVATE: true });
 * // { CHAT_ID: 1777, ACTIVATE: 'Y' }
 */
export function checkOpenlinesParams<M extends OpenlinesMethod>(
  method: M,
  params: OpenlinesParams<M> | undefined,
): RestParams {
  if (!isOpenlinesMethod(method))
    throw new OpenlinesParamsError(String(method), ['not an imopenlines.* method']);
  const parsed = OPENLINES_METHODS[method].params.safeParse(params ?? {});
  if (!parsed.success)
    throw new OpenlinesParamsError(method, [
      ...describe(parsed.error.issues),
      `see ${openlinesDocUrl(method)}`,
    ]);
  return parsed.data;
}

/**
 * Parses the raw `result` of `method` into its typed value; throws {@link UnexpectedResultError}.
 *
 * @example
 * parseOpenlinesResult('imopenlines.crm.chat.getLastId', '9852'); // 9852
 */
export function parseOpenlinesResult<M extends OpenlinesMethod>(
  method: M,
  raw: unknown,
): OpenlinesResult<M> {
  const parsed = OPENLINES_METHODS[method].result.safeParse(raw);
  if (!parsed.success) throw new UnexpectedResultError(method, describe(parsed.error.issues), raw);
  return parsed.data as OpenlinesResult<M>;
}

/** A checked call for `batch`, carrying its method's type for the result. */
export interface OpenlinesBatchCall<M extends OpenlinesMethod = OpenlinesMethod> extends BatchCall {
  method: M;
  params: RestParams;
}

/**
 * Builds a checked `batch` entry; throws {@link OpenlinesParamsError} at once.
 *
 * @example
 * const results = await api.imopenlines.batch([
 *   openlinesCall('imopenlines.dialog.get', { CHAT_ID: 1777 }),
 *   openlinesCall('imopenlines.session.history.get', { CHAT_ID: 1777 }),
 * ]);
 */
export function openlinesCall<M extends OpenlinesMethod>(
  method: M,
  params: OpenlinesParams<M>,
): OpenlinesBatchCall<M> {
  return { method, params: checkOpenlinesParams(method, params) };
}

/** Typed outcomes of a batch of {@link OpenlinesBatchCall}s, in call order. */
export type OpenlinesBatchResults<C extends readonly OpenlinesBatchCall[]> = {
  [K in keyof C]: C[K] extends OpenlinesBatchCall<infer M>
    ? BatchItemResult<OpenlinesResult<M>>
    : never;
};

/** Parses the raw outcomes of a batch; an unparsable result becomes `UNEXPECTED_RESULT`. */
export function parseOpenlinesBatch(
  calls: readonly OpenlinesBatchCall[],
  raw: BatchItemResult[],
): BatchItemResult[] {
  return raw.map((r, i) => {
    const call = calls[i];
    if (r.status !== 'ok' || !call) return r;
    try {
      return { status: 'ok', result: parseOpenlinesResult(call.method, r.result) };
    } catch (e) {
      return {
        status: 'error',
        error: 'UNEXPECTED_RESULT',
        description: (e as Error).message,
      };
    }
  });
}
