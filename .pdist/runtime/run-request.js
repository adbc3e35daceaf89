"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runRequest = runRequest;
const effect_call_1 = require("./effect-call");
const send_request_1 = require("./send-request");
const settle_effect_outcome_1 = require("./settle-effect-outcome");
function methodOf(effect) {
    return effect.effect.type === 'call' ? effect.effect.method : `(${effect.effect.type})`;
}
async function settleSafely(ctx, effect, method, outcome) {
    try {
        await (0, settle_effect_outcome_1.settleEffectOutcome)({ ctx, effect, method, outcome });
    }
    catch (err) {
        // The claim lease expires and the effect is sent again: at-least-once, as promised.
        ctx.logger.error({ err, dialog: effect.dialogKey, seq: effect.seq, method }, 'could not record the outcome of an effect');
    }
    finally {
        ctx.afterSettle(effect);
    }
}
/**
 * Sends `effects` as one request through the portal's client and settles each of them.
 *
 * @example
 * await runRequest({ ctx, clients, portalId: 'a1b2', effects: picked });
 */
async function runRequest(options) {
    const { ctx, portalId } = options;
    const mapped = [];
    for (const effect of options.effects) {
        try {
            const problems = (0, effect_call_1.effectMetaProblems)({ value: effect.meta });
            if (problems.length > 0)
                throw new Error(`invalid effect meta: ${problems.join('; ')}`);
            mapped.push({ effect, call: (0, effect_call_1.effectToCall)(effect.effect, effect.meta) });
        }
        catch (err) {
            // A malformed effect can never succeed: refuse it like Bitrix24 would, so its dialog hears of it.
            const description = err instanceof Error ? err.message : String(err);
            await settleSafely(ctx, effect, methodOf(effect), {
                status: 'error',
                failure: { transient: false, code: 'INVALID_EFFECT', description },
            });
        }
    }
    if (mapped.length === 0)
        return;
    let outcomes;
    try {
        const client = await options.clients(portalId);
        ctx.logger.debug({ portal: portalId, calls: mapped.length }, mapped.length > 1 ? 'sending outbox batch' : 'sending outbox call');
        outcomes = await (0, send_request_1.sendRequest)({ client, calls: mapped.map((m) => m.call) });
    }
    catch (err) {
        const description = err instanceof Error ? err.message : String(err);
        outcomes = mapped.map(() => ({
            status: 'error',
            failure: { transient: true, code: 'CLIENT_UNAVAILABLE', description },
        }));
    }
    // All at once: the store commits the outcomes of the whole request in one transaction instead of
    // one per effect. Each settle reaches the store in call order, so a dialog's refusals stay in order.
    await Promise.all(mapped.map(({ effect, call }, i) => settleSafely(ctx, effect, call.method, outcomes[i])));
}
