/**
 * A recording fake of the Bitrix24 REST client ({@link RestClient}): every call (also inside
 * `batch`) is recorded per portal, in the order the "portal" executed it. Answers are `true`
 * unless a rule refuses the call with a Bitrix24 error.
 */
import { ApiError } from '../../src/bitrix/rest-errors';
import type { BatchCall, BatchItemResult, RestClient, RestParams } from '../../src/bitrix/types';

export interface RecordedCall {
  method: string;
  params: RestParams;
}

/** A Bitrix24 refusal for a call, or `undefined` to answer `true`. */
export type Refusal = { error: string; description?: string } | undefined;

export interface RecordingPortals {
  /** The `clients` option of `createRuntime`. */
  clients(portalId: string): RestClient;
  /** Executed calls of one portal, in order. */
  calls(portalId: string): RecordedCall[];
  /** Every executed call of every portal. */
  all(): RecordedCall[];
  /** HTTP requests made (a `batch` counts once). */
  requests(): number;
}

/**
 * Creates recording clients, one per portal.
 *
 * @example
 * const portals = recordingPortals();
 * const runtime = createRuntime({ bots, store, clients: portals.clients });
 * expect(portals.calls('member-1').map((c) => c.method)).toEqual(['imopenlines.bot.session.message.send']);
 */
export function recordingPortals(
  options: { refuse?: (call: RecordedCall) => Refusal } = {},
): RecordingPortals {
  const byPortal = new Map<string, RecordedCall[]>();
  const clients = new Map<string, RestClient>();
  let requests = 0;
  const execute = (portalId: string, call: BatchCall): Refusal => {
    const recorded: RecordedCall = { method: call.method, params: call.params ?? {} };
    let list = byPortal.get(portalId);
    if (!list) byPortal.set(portalId, (list = []));
    list.push(recorded);
    return options.refuse?.(recorded);
  };
  const clientFor = (portalId: string): RestClient => ({
    portalId,
    async call<T>(method: string, params?: RestParams): Promise<T> {
      requests += 1;
      await Promise.resolve();
      const refusal = execute(portalId, { method, params: params ?? {} });
      if (refusal)
        throw new ApiError({
          error: refusal.error,
          status: 400,
          method,
          ...(refusal.description ? { description: refusal.description } : {}),
        });
      return true as T;
    },
    async batch(calls: BatchCall[]): Promise<BatchItemResult[]> {
      requests += Math.ceil(calls.length / 50);
      await Promise.resolve();
      return calls.map((c): BatchItemResult => {
        const refusal = execute(portalId, c);
        if (!refusal) return { status: 'ok', result: true };
        return refusal.description === undefined
          ? { status: 'error', error: refusal.error }
          : { status: 'error', error: refusal.error, description: refusal.description };
      });
    },
  });
  return {
    clients(portalId) {
      let c = clients.get(portalId);
      if (!c) clients.set(portalId, (c = clientFor(portalId)));
      return c;
    },
    calls: (portalId) => [...(byPortal.get(portalId) ?? [])],
    all: () => [...byPortal.values()].flat(),
    requests: () => requests,
  };
}
