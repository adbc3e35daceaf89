/**
 * One outbox request for one portal: map the effects to calls, send them (one call, or one
 * `batch`), settle every effect. Never rejects: whatever goes wrong ends up in the store, the
 * logs and the metrics.
 */
import type { RestClient } from '../bitrix/types';
import type { OutboxEffect } from '../store/store';
import { effectMetaProblems, effectToCall, type EffectCall, type EffectMeta } from './effect-call';
import { sendRequest, type CallOutcome } from './send-request';
import { settleEffectOutcome, type SettleContext } from './settle-effect-outcome';

/** Options of {@link runRequest}. */
export interface RunRequestOptions {
  ctx: SettleContext;
  clients: (portalId: string) => RestClient | Promise<RestClient>;
  portalId: string;
  /** In `seq` order; each dialog's effects in emission order. */
  effects: OutboxEffect[];
}

function methodOf(effect: OutboxEffect): string {
  return effect.effect.type === 'call' ? effect.effect.method : `(${effect.effect.type})`;
}

async function settleSafely(
  ctx: SettleContext,
  effect: OutboxEffect,
  method: string,
  outcome: CallOutcome,
): Promise<void> {
  try {
    await settleEffectOutcome({ ctx, effect, method, outcome });
  } catch (err) {
    // The claim lease expires and the effect is sent again: at-least-once, as promised.
    ctx.logger.error(
      { err, dialog: effect.dialogKey, seq: effect.seq, method },
      'could not record the outcome of an effect',
    );
  } finally {
    ctx.afterSettle(effect);
  }
}

/**
 * Sends `effects` as one request through the portal's client and settles each of them.
 *
 * @example
 * await runRequest({ ctx, clients, portalId: 'a1b2', effects: picked });
 */
export async function runRequest(options: RunRequestOptions): Promise<void> {
  const { ctx, portalId } = options;
  const mapped: Array<{ effect: OutboxEffect; call: EffectCall }> = [];
  for (const effect of options.effects) {
    try {
      const problems = effectMetaProblems({ value: effect.meta });
      if (problems.length > 0) throw new Error(`invalid effect meta: ${problems.join('; ')}`);
      mapped.push({ effect, call: effectToCall(effect.effect, effect.meta as EffectMeta) });
    } catch (err) {
      // A malformed effect can never succeed: refuse it like Bitrix24 would, so its dialog hears of it.
      const description = err instanceof Error ? err.message : String(err);
      await settleSafely(ctx, effect, methodOf(effect), {
        status: 'error',
        failure: { transient: false, code: 'INVALID_EFFECT', description },
      });
    }
  }
  if (mapped.length === 0) return;

  let outcomes: CallOutcome[];
  try {
    const client = await options.clients(portalId);
    ctx.logger.debug(
      { portal: portalId, calls: mapped.length },
      mapped.length > 1 ? 'sending outbox batch' : 'sending outbox call',
    );
    outcomes = await sendRequest({ client, calls: mapped.map((m) => m.call) });
  } catch (err) {
    const description = err instanceof Error ? err.message : String(err);
    outcomes = mapped.map(() => ({
      status: 'error',
      failure: { transient: true, code: 'CLIENT_UNAVAILABLE', description },
    }));
  }
  // All at once: the store commits the outcomes of the whole request in one transaction instead of
  // one per effect. Each settle reaches the store in call order, so a dialog's refusals stay in order.
  await Promise.all(
    mapped.map(({ effect, call }, i) => settleSafely(ctx, effect, call.method, outcomes[i]!)),
  );
}
