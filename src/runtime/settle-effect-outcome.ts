/**
 * What the dispatcher does with the outcome of one sent effect: mark it sent, schedule a retry,
 * dead-letter it, or hand a refusal back to its dialog.
 */
import type { Logger } from '../logger';
import { METRIC, type Metrics } from '../metrics';
import type { EffectOutcome, OutboxEffect, Store } from '../store/store';
import { backoffDelay } from './backoff';
import { historyWrite, type EffectOutcomeData, type HistoryRetention } from './history';
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
  /** The dialog history's retention; absent: outcomes are not written to the history. */
  history?: HistoryRetention;
}

/** Writes the outcome into the dialog's history (best effort: the outcome itself is already settled). */
async function recordOutcome(
  ctx: SettleContext,
  effect: OutboxEffect,
  method: string,
  data: Pick<EffectOutcomeData, 'outcome' | 'code' | 'description' | 'retryAt'>,
): Promise<void> {
  if (!ctx.history || !ctx.store.appendHistory) return;
  const meta = effect.meta as { turn?: unknown; index?: unknown } | undefined;
  const entry: EffectOutcomeData = {
    seq: effect.seq,
    ...(typeof meta?.turn === 'number' ? { turn: meta.turn } : {}),
    ...(typeof meta?.index === 'number' ? { index: meta.index } : {}),
    method,
    attempt: effect.attempts + 1,
    ...data,
  };
  const now = ctx.now();
  try {
    await ctx.store.appendHistory(
      effect.dialogKey,
      historyWrite(ctx.history, [{ at: now, kind: 'effect', data: entry }]),
      now,
    );
  } catch (err) {
    ctx.logger.warn(
      { err, dialog: effect.dialogKey, seq: effect.seq },
      'could not write the effect outcome into the dialog history',
    );
  }
}

/**
 * Writes the outcome and its history entry, both queued at once: a store that groups writes (the
 * SQLite store) commits them, and those of the other effects of the same request, together. The
 * entry is best effort and may land even when the settle fails (the effect was sent; a resend
 * records another entry). Rejects when the settle fails.
 */
async function settleAndRecord(
  ctx: SettleContext,
  effect: OutboxEffect,
  outcome: EffectOutcome,
  now: number,
  entry: { method: string } & Pick<
    EffectOutcomeData,
    'outcome' | 'code' | 'description' | 'retryAt'
  >,
): Promise<void> {
  const settled = ctx.store.settleEffect(effect.seq, outcome, now);
  const { method, ...data } = entry;
  const recorded = recordOutcome(ctx, effect, method, data);
  try {
    await settled;
  } finally {
    await recorded;
  }
}

const failureFields = (failure: FailureClass) => ({
  code: failure.code,
  ...(failure.description !== undefined ? { description: failure.description } : {}),
});

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
    failure.outcomeUnknown
      ? 'effect outcome unknown (no answer after the request left): not resent, the dialog decides'
      : 'effect refused by Bitrix24',
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
  await settleAndRecord(
    ctx,
    effect,
    { status: 'failed', error: describe(failure), deadLetter: false },
    ctx.now(),
    { method, outcome: 'failed', ...failureFields(failure) },
  );
  ctx.metrics.inc(METRIC.effectsTotal, {
    outcome: failure.outcomeUnknown ? 'unknown' : 'failed',
  });
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
  // Rate limiting delays an effect, it never drops it: such an attempt is not counted.
  const counted = failure.rateLimited !== true;
  if (counted && attempt >= ctx.maxAttempts) {
    ctx.beforeSettle(effect, { status: 'dead' });
    await settleAndRecord(
      ctx,
      effect,
      { status: 'failed', error: describe(failure), deadLetter: true },
      now,
      { method, outcome: 'dead', ...failureFields(failure) },
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
  await settleAndRecord(
    ctx,
    effect,
    {
      status: 'retry',
      availableAt,
      error: describe(failure),
      ...(counted ? {} : { countAttempt: false }),
    },
    now,
    { method, outcome: 'retried', ...failureFields(failure), retryAt: availableAt },
  );
  ctx.metrics.inc(METRIC.effectsTotal, { outcome: 'retried' });
  ctx.logger.info(
    {
      dialog: effect.dialogKey,
      seq: effect.seq,
      method,
      code: failure.code,
      attempt: counted ? attempt : effect.attempts,
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
    await settleAndRecord(ctx, effect, { status: 'sent', result: outcome.result }, ctx.now(), {
      method,
      outcome: 'sent',
    });
    ctx.metrics.inc(METRIC.effectsTotal, { outcome: 'sent' });
    return { status: 'sent' };
  }
  return outcome.failure.transient
    ? failTransiently(ctx, effect, method, outcome.failure)
    : failPermanently(ctx, effect, method, outcome.failure);
}
