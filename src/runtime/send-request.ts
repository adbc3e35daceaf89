/**
 * Sends the calls of one outbox request: one call alone through `RestClient.call`, several through
 * one `batch` (sub-calls run in the given order, so each dialog's order inside it is kept).
 */
import type { BatchItemResult, RestClient } from '../bitrix/types';
import { classifyBatchError, classifyFailure, type FailureClass } from './classify-failure';
import type { EffectCall } from './effect-call';

/** Methods never packed into a `batch` (large bodies). */
const SOLO_METHODS = new Set(['imbot.v2.file.upload']);

/** The outcome of one call of the request, in the order of the calls. */
export type CallOutcome =
  { status: 'ok'; result: unknown } | { status: 'error'; failure: FailureClass };

/**
 * Sends `calls` as one HTTP request and reports one outcome per call; never rejects.
 *
 * @example
 * const [outcome] = await sendRequest({ client, calls: [{ method: 'imopenlines.bot.session.operator', params: { CHAT_ID: 1777 } }] });
 */
export async function sendRequest(options: {
  client: RestClient;
  calls: EffectCall[];
}): Promise<CallOutcome[]> {
  const { client, calls } = options;
  const one = async (call: EffectCall): Promise<CallOutcome> => {
    try {
      const options = call.botApiVersion ? { botApiVersion: call.botApiVersion } : {};
      return { status: 'ok', result: await client.call(call.method, call.params, options) };
    } catch (error) {
      return { status: 'error', failure: classifyFailure({ error }) };
    }
  };
  if (calls.length === 1) return [await one(calls[0]!)];
  // A file's base64 content does not belong in a batch query string: such requests go call by call, in order.
  if (calls.some((c) => SOLO_METHODS.has(c.method.toLowerCase()))) {
    const out: CallOutcome[] = [];
    for (const call of calls) out.push(await one(call));
    return out;
  }
  let results: BatchItemResult[];
  try {
    results = await client.batch(
      calls.map((c) => ({
        method: c.method,
        params: c.params,
        ...(c.botApiVersion ? { botApiVersion: c.botApiVersion } : {}),
      })),
    );
  } catch (error) {
    const failure = classifyFailure({ error });
    return calls.map(() => ({ status: 'error', failure }));
  }
  return calls.map((_, i): CallOutcome => {
    const r = results[i];
    if (r === undefined) {
      return {
        status: 'error',
        failure: {
          transient: true,
          code: 'BATCH_RESULT_MISSING',
          description: 'batch answered fewer results than calls',
        },
      };
    }
    if (r.status === 'ok') return { status: 'ok', result: r.result };
    const input: { error: string; description?: string } = { error: r.error };
    if (r.description !== undefined) input.description = r.description;
    return { status: 'error', failure: classifyBatchError(input) };
  });
}
