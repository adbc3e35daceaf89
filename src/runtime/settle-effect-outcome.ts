/**
 * What the dispatcher does with the outcome of one sent effect: mark it sent, schedule a retry,
 * dead-letter it, or hand a refusal back to its dialog.
 */
import type { Logger } from '../logger';
import { METRIC, type Metrics } from '../metrics';
import type { OutboxEffect, Store } from '../store/store';
import { backoffDelay } from './backoff';
import type { FailureClass } from './classify-failure';
import type { CallOutcome } from './send-request';

/** What the dialog is told when Bitrix24 refuses one of its effects. */
export interface EffectFailure {
  method: string;
  code: string;
  description?: string;
}

/** Shared state and settings the settling needs. */
export interface SettleContext {
  store: Store;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  random: () => number;
  onEffectFailed: (effect: OutboxEffect, failure: EffectFailure) => Promise<void>;
  /** Called just before the outcome is written to the store (so local bookkeeping never lags it). */
  beforeSettle: (effect: OutboxEffect, as: SettledAs) => void;
  /** Called once the outcome is written to the store, or writing it failed. */
  afterSettle: (effect: OutboxEffect) => void;
}

/** How the effect ended up; `retry` carries the time of the next attempt. */
export type SettledAs =
  | { status: 'sent' }
  | { status: 'failed' }
  | { status: 'dead' }
  | { status: 'retry'; availableAt: number };

function describe(failure: FailureClass): string {
  return failure.description === undefined
    ? failure.code
    : `${failure.code}: ${failure.description}`;
}

async function failPermanently(
  ctx: SettleContext,
  effect: OutboxEffect,
  method: string,
  failure: FailureClass,
): Promise<SettledAs> {
  const report: EffectFailure = { method, code: failure.code };
  if (failure.description !== undefined) report.description = failure.description;
  ctx.logger.warn(
    {
      dialog: effect.dialogKey,
      seq: effect.seq,
      method,
      code: failure.code,
      description: failure.description,
    },
    'effect refused by Bitrix24',
  );
  // The dialog is told before the effect is settled: a crash in between tells it twice (the runtime
  // dedupes by seq), never zero times.
  try {
    await ctx.onEffectFailed(effect, report);
  } catch (err) {
    ctx.logger.error(
      { err, dialog: effect.dialogKey, seq: effect.seq },
      'onEffectFailed threw; the dialog does not learn of this failure',
    );
  }
  ctx.beforeSettle(effect, { status: 'failed' });
  await ctx.store.settleEffect(
    effect.seq,
    { status: 'failed', error: describe(failure), deadLetter: false },
    ctx.now(),
  );
  ctx.metrics.inc(METRIC.effectsTotal, { outcome: 'failed' });
  return { status: 'failed' };
}

async function failTransiently(
  ctx: SettleContext,
  effect: OutboxEffect,
  method: string,
  failure: FailureClass,
): Promise<SettledAs> {
  const attempt = effect.attempts + 1;
  const now = ctx.now();
  if (attempt >= ctx.maxAttempts) {
    ctx.beforeSettle(effect, { status: 'dead' });
    await ctx.store.settleEffect(
      effect.seq,
      { status: 'failed', error: describe(failure), deadLetter: true },
      now,
    );
    ctx.metrics.inc(METRIC.effectsTotal, { outcome: 'dead' });
    ctx.logger.error(
      {
        dialog: effect.dialogKey,
        seq: effect.seq,
        method,
        code: failure.code,
        description: failure.description,
        attempts: attempt,
      },
      'effect dead-lettered after its last attempt',
    );
    return { status: 'dead' };
  }
  const availableAt =
    now +
    backoffDelay({ attempt, baseMs: ctx.retryBaseMs, maxMs: ctx.retryMaxMs, random: ctx.random });
  ctx.beforeSettle(effect, { status: 'retry', availableAt });
  await ctx.store.settleEffect(
    effect.seq,
    { status: 'retry', availableAt, error: describe(failure) },
    now,
  );
  ctx.metrics.inc(METRIC.effectsTotal, { outcome: 'retried' });
  ctx.logger.info(
    {
      dialog: effect.dialogKey,
      seq: effect.seq,
      method,
      code: failure.code,
      attempt,
      retryInMs: availableAt - now,
    },
    'effect will be retried',
  );
  return { status: 'retry', availableAt };
}

/**
 * Records the outcome of one effect in the store, the metrics and the logs.
 *
 * @example
 * const settled = await settleEffectOutcome({ ctx, effect, method: 'imopenlines.bot.session.operator', outcome });
 */
export async function settleEffectOutcome(options: {
  ctx: SettleContext;
  effect: OutboxEffect;
  method: string;
  outcome: CallOutcome;
}): Promise<SettledAs> {
  const { ctx, effect, method, outcome } = options;
  if (outcome.status === 'ok') {
    ctx.beforeSettle(effect, { status: 'sent' });
    await ctx.store.settleEffect(effect.seq, { status: 'sent', result: outcome.result }, ctx.now());
    ctx.metrics.inc(METRIC.effectsTotal, { outcome: 'sent' });
    return { status: 'sent' };
  }
  return outcome.failure.transient
    ? failTransiently(ctx, effect, method, outcome.failure)
    : failPermanently(ctx, effect, method, outcome.failure);
}
