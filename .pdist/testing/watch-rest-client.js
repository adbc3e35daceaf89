"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.watchRestClient = watchRestClient;
function codeOf(e) {
    const x = e;
    if (typeof x?.error === 'string')
        return x.error;
    if (typeof x?.code === 'string')
        return x.code;
    return e instanceof Error ? e.message : 'error';
}
/**
 * Wraps `client`: `call`s that `isEffectCall` does not claim are reported to `onInvoked`.
 * Batches come from the outbox only and pass through untouched.
 *
 * @example
 * const client = watchRestClient({ client: rest, isEffectCall: () => false, onInvoked: (c) => calls.push(c) });
 */
function watchRestClient(options) {
    const { client, isEffectCall, onInvoked } = options;
    return {
        portalId: client.portalId,
        async call(method, params = {}, callOptions) {
            if (isEffectCall(method, params))
                return client.call(method, params, callOptions);
            try {
                const result = await client.call(method, params, callOptions);
                onInvoked({ method, params, status: 'ok', result });
                return result;
            }
            catch (e) {
                onInvoked({ method, params, status: 'failed', error: codeOf(e) });
                throw e;
            }
        },
        batch: (calls, batchOptions) => client.batch(calls, batchOptions),
    };
}
