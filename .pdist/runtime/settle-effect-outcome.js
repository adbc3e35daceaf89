"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.settleEffectOutcome = settleEffectOutcome;
const metrics_1 = require("../metrics");
const backoff_1 = require("./backoff");
const history_1 = require("./history");
/** Writes the outcome into the dialog's history (best effort: the outcome itself is already settled). */
async function recordOutcome(ctx, effect, method, data) {
    if (!ctx.history || !ctx.store.appendHistory)
        return;
    const meta = effect.meta;
    const entry = {
        seq: effect.seq,
        ...(typeof meta?.turn === 'number' ? { turn: meta.turn } : {}),
        ...(typeof meta?.index === 'number' ? { index: meta.index } : {}),
        method,
        attempt: effect.attempts + 1,
        ...data,
    };
    const now = ctx.now();
    try {
        await ctx.store.appendHistory(effect.dialogKey, (0, history_1.historyWrite)(ctx.history, [{ at: now, kind: 'effect', data: entry }]), now);
    }
    catch (err) {
        ctx.logger.warn({ err, dialog: effect.dialogKey, seq: effect.seq }, 'could not write the effect outcome into the dialog history');
    }
}
const failureFields = (failure) => ({
    code: failure.code,
    ...(failure.description !== undefined ? { description: failure.description } : {}),
});
function describe(failure) {
    return failure.description === undefined
        ? failure.code
        : `${failure.code}: ${failure.description}`;
}
async function failPermanently(ctx, effect, method, failure) {
    const report = { method, code: failure.code };
    if (failure.description !== undefined)
        report.description = failure.description;
    ctx.logger.warn({
        dialog: effect.dialogKey,
        seq: effect.seq,
        method,
        code: failure.code,
        description: failure.description,
    }, failure.outcomeUnknown
        ? 'effect outcome unknown (no answer after the request left): not resent, the dialog decides'
        : 'effect refused by Bitrix24');
    // The dialog is told before the effect is settled: a crash in between tells it twice (the runtime
    // dedupes by seq), never zero times.
    try {
        await ctx.onEffectFailed(effect, report);
    }
    catch (err) {
        ctx.logger.error({ err, dialog: effect.dialogKey, seq: effect.seq }, 'onEffectFailed threw; the dialog does not learn of this failure');
    }
    ctx.beforeSettle(effect, { status: 'failed' });
    await ctx.store.settleEffect(effect.seq, { status: 'failed', error: describe(failure), deadLetter: false }, ctx.now());
    ctx.metrics.inc(metrics_1.METRIC.effectsTotal, {
        outcome: failure.outcomeUnknown ? 'unknown' : 'failed',
    });
    await recordOutcome(ctx, effect, method, { outcome: 'failed', ...failureFields(failure) });
    return { status: 'failed' };
}
async function failTransiently(ctx, effect, method, failure) {
    const attempt = effect.attempts + 1;
    const now = ctx.now();
    // Rate limiting delays an effect, it never drops it: such an attempt is not counted.
    const counted = failure.rateLimited !== true;
    if (counted && attempt >= ctx.maxAttempts) {
        ctx.beforeSettle(effect, { status: 'dead' });
        await ctx.store.settleEffect(effect.seq, { status: 'failed', error: describe(failure), deadLetter: true }, now);
        ctx.metrics.inc(metrics_1.METRIC.effectsTotal, { outcome: 'dead' });
        await recordOutcome(ctx, effect, method, { outcome: 'dead', ...failureFields(failure) });
        ctx.logger.error({
            dialog: effect.dialogKey,
            seq: effect.seq,
            method,
            code: failure.code,
            description: failure.description,
            attempts: attempt,
        }, 'effect dead-lettered after its last attempt');
        return { status: 'dead' };
    }
    const availableAt = now +
        (0, backoff_1.backoffDelay)({ attempt, baseMs: ctx.retryBaseMs, maxMs: ctx.retryMaxMs, random: ctx.random });
    ctx.beforeSettle(effect, { status: 'retry', availableAt });
    await ctx.store.settleEffect(effect.seq, {
        status: 'retry',
        availableAt,
        error: describe(failure),
        ...(counted ? {} : { countAttempt: false }),
    }, now);
    ctx.metrics.inc(metrics_1.METRIC.effectsTotal, { outcome: 'retried' });
    await recordOutcome(ctx, effect, method, {
        outcome: 'retried',
        ...failureFields(failure),
        retryAt: availableAt,
    });
    ctx.logger.info({
        dialog: effect.dialogKey,
        seq: effect.seq,
        method,
        code: failure.code,
        attempt: counted ? attempt : effect.attempts,
        retryInMs: availableAt - now,
    }, 'effect will be retried');
    return { status: 'retry', availableAt };
}
/**
 * Records the outcome of one effect in the store, the metrics and the logs.
 *
 * @example
 * const settled = await settleEffectOutcome({ ctx, effect, method: 'imopenlines.bot.session.operator', outcome });
 */
async function settleEffectOutcome(options) {
    const { ctx, effect, method, outcome } = options;
    if (outcome.status === 'ok') {
        ctx.beforeSettle(effect, { status: 'sent' });
        await ctx.store.settleEffect(effect.seq, { status: 'sent', result: outcome.result }, ctx.now());
        ctx.metrics.inc(metrics_1.METRIC.effectsTotal, { outcome: 'sent' });
        await recordOutcome(ctx, effect, method, { outcome: 'sent' });
        return { status: 'sent' };
    }
    return outcome.failure.transient
        ? failTransiently(ctx, effect, method, outcome.failure)
        : failPermanently(ctx, effect, method, outcome.failure);
}
