/**
 * Sees the REST calls a machine makes itself (invoked `fromRestCall` actors) as they pass through
 * the runtime's client. Calls that carry an outbox effect being sent are left to the store spy,
 * which knows their effect; every other call is reported here with its answer.
 */
import type { RestClient, RestParams } from '../bitrix/types';

/** A REST call the machine invoked and waited for (not an effect). */
export interface InvokedRestCall {
  method: string;
  params: RestParams;
  status: 'ok' | 'failed';
  /** The REST `result` when the call succeeded. */
  result?: unknown;
  /** The Bitrix24 error code (or the framework's, e.g. `TIMEOUT`) when it failed. */
  error?: string;
}

function codeOf(e: unknown): string {
  const x = e as { error?: unknown; code?: unknown } | null;
  if (typeof x?.error === 'string') return x.error;
  if (typeof x?.code === 'string') return x.code;
  return e instanceof Error ? e.message : 'error';
}

/**
 * Wraps `client`: `call`s that `isEffectCall` does not claim are reported to `onInvoked`.
 * Batches come from the outbox only and pass through untouched.
 *
 * @example
 * const client = watchRestClient({ client: rest, isEffectCall: () => false, onInvoked: (c) => calls.push(c) });
 */
export function watchRestClient(options: {
  client: RestClient;
  isEffectCall: (method: string, params: RestParams) => boolean;
  onInvoked: (call: InvokedRestCall) => void;
}): RestClient {
  const { client, isEffectCall, onInvoked } = options;
  return {
    portalId: client.portalId,
    async call<T = unknown>(
      method: string,
      params: RestParams = {},
      callOptions?: Parameters<RestClient['call']>[2],
    ): Promise<T> {
      if (isEffectCall(method, params)) return client.call<T>(method, params, callOptions);
      try {
        const result = await client.call<T>(method, params, callOptions);
        onInvoked({ method, params, status: 'ok', result });
        return result;
      } catch (e) {
        onInvoked({ method, params, status: 'failed', error: codeOf(e) });
        throw e;
      }
    },
    batch: (calls, batchOptions) => client.batch(calls, batchOptions),
  };
}
