"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.processNext = processNext;
const metrics_1 = require("../metrics");
const from_rest_call_1 = require("../dsl/from-rest-call");
const fallback_1 = require("./fallback");
const history_1 = require("./history");
const inbox_payload_1 = require("./inbox-payload");
const migrate_snapshot_1 = require("./migrate-snapshot");
const plan_turn_1 = require("./plan-turn");
const run_turn_1 = require("./run-turn");
/** Whether a turn left the dialog's timer set as it was loaded (then the store need not rewrite it). */
function sameTimers(before, after) {
    if (before.length !== after.length)
        return false;
    if (before.length === 0)
        return true;
    const old = new Map(before.map((t) => [t.timerKey, t]));
    return after.every((t) => {
        const o = old.get(t.timerKey);
        // A timer the turn kept is the loaded record itself.
        if (o === t)
            return true;
        return (o !== undefined &&
            o.deadline === t.deadline &&
            (o.fired === true) === (t.fired === true) &&
            JSON.stringify(o.event) === JSON.stringify(t.event) &&
            JSON.stringify(o.meta) === JSON.stringify(t.meta));
    });
}
function effectMetaOf(input, bot) {
    return {
        botId: input.bot.id,
        chatId: input.chatId,
        dialogId: input.dialogId,
        apiVersion: input.bot.apiVersion,
        sayVia: bot.sayVia,
    };
}
/** With history on, each effect's meta also names its turn and position (to link its outcome). */
function toNewEffects(effects, input, bot, turn) {
    const meta = effectMetaOf(input, bot);
    return effects.map((effect, index) => ({
        portalId: input.portal.memberId,
        effect,
        meta: turn === undefined ? meta : { ...meta, turn, index },
    }));
}
/**
 * Processes the dialog's oldest inbox item, if any. The caller holds the dialog's lease.
 *
 * @example
 * while ((await processNext({ env, dialogKey })) !== 'empty') {}
 */
async function processNext(options) {
    const { env, dialogKey } = options;
    const item = await env.store.nextInbox(dialogKey);
    if (!item)
        return 'empty';
    const startedAt = performance.now();
    const record = await env.store.loadDialog(dialogKey);
    // Plain field objects, not logger.child(): a child logger per turn costs more than the turn's logging.
    const ids = { portal: dialogKey.split(':')[0], dialog: dialogKey, seq: item.seq };
    const p = await (0, plan_turn_1.planTurn)({
        bots: env.bots,
        item,
        record,
        sessions: {
            now: env.clock.now(),
            joinWindowMs: env.joinWindowMs ?? 0,
            peek: (limit) => env.store.peekInbox(dialogKey, limit),
        },
    });
    if (typeof p === 'string') {
        env.logger.debug({ ...ids, reason: p }, 'inbox item discarded');
        await env.store.discardInbox(item.seq);
        env.metrics.inc(metrics_1.METRIC.turnsTotal, { outcome: 'stale' });
        return 'processed';
    }
    if ('waitUntil' in p) {
        env.logger.debug({ ...ids, until: p.waitUntil }, "a new session's message waits for its join");
        return { waitUntil: p.waitUntil };
    }
    const { bot } = p;
    const bids = { ...ids, bot: bot.code };
    const blog = env.logger;
    const meta = (0, plan_turn_1.metaOf)(record);
    if (p.absorb && record) {
        // The join of the running conversation's session (it came after the session's first message).
        const absorbed = await env.store.commitTurn(dialogKey, {
            expectedRevision: record.revision,
            snapshot: record.snapshot,
            botVersion: record.botVersion,
            meta: { ...meta, ...p.session, input: p.input },
            effects: [],
            timers: record.timers,
            consumedSeq: p.consumedSeq,
            now: env.clock.now(),
        });
        if (absorbed.status === 'conflict')
            return 'conflict';
        blog.debug(bids, 'join of the running conversation; nothing restarted');
        env.metrics.inc(metrics_1.METRIC.turnsTotal, { outcome: 'stale' });
        return 'processed';
    }
    let snapshot = p.fresh ? undefined : record?.snapshot;
    let restartReason;
    if (!p.fresh && record && record.botVersion !== bot.version) {
        const m = await (0, migrate_snapshot_1.migrateSnapshot)({ bot, snapshot, fromVersion: record.botVersion });
        if (m.status === 'restart') {
            snapshot = undefined;
            restartReason = m.reason;
        }
        else {
            snapshot = m.snapshot;
            blog.info({ ...bids, fromVersion: record.botVersion, toVersion: bot.version }, 'dialog snapshot migrated');
        }
    }
    const now = env.clock.now();
    env.metrics.observe(metrics_1.METRIC.inboxLag, Math.max(0, now - item.receivedAt) / 1000);
    const { clients } = env;
    const portalId = p.input.portal.memberId;
    const result = await (0, run_turn_1.runTurn)({
        bot,
        dialogKey,
        ...(snapshot !== undefined ? { snapshot } : {}),
        input: p.input,
        timers: record?.timers ?? [],
        delivery: p.delivery,
        now,
        clock: env.turnClock ?? env.clock,
        timeoutMs: env.turnTimeoutMs,
        // The client is asked for only when the machine makes a call; the same one the outbox uses.
        // A failing call is logged with its dialog: the machine's onError may only apologise.
        rest: async ({ method, params, signal }) => {
            try {
                if (!clients)
                    throw new from_rest_call_1.RestCallUnavailableError(method);
                return await (await clients(portalId)).call(method, params, { signal });
            }
            catch (e) {
                blog.warn({
                    ...bids,
                    method,
                    err: e,
                    code: e?.code,
                    error: e instanceof Error ? e.message : String(e),
                }, 'invoked REST call failed');
                throw e;
            }
        },
    });
    restartReason ??= result.restartReason;
    if (restartReason)
        blog.warn({ ...bids, fromVersion: record?.botVersion, toVersion: bot.version, reason: restartReason }, 'dialog restarted from the initial state');
    const restarted = p.fresh || snapshot === undefined || result.restartReason !== undefined;
    const newMeta = {
        botCode: bot.code,
        input: p.input,
        conversation: (meta?.conversation ?? 0) + (restarted ? 1 : 0),
        ...p.session,
    };
    let commit;
    if (result.status === 'ok') {
        if (result.droppedTimers > 0)
            blog.debug({ ...bids, dropped: result.droppedTimers }, 'delays of child actors are not durable and were dropped');
        commit = {
            snapshot: result.snapshot,
            botVersion: bot.version,
            meta: newMeta,
            effects: result.effects,
            timers: result.timers,
        };
    }
    else {
        const failedEffectTurn = (0, inbox_payload_1.asInboxPayload)(item.payload)?.kind === 'effect.failed';
        const fb = failedEffectTurn
            ? { effects: [] }
            : (0, fallback_1.fallbackEffects)({
                botFallback: bot.fallback,
                runtimeFallback: env.fallback,
                error: result.error,
                input: p.input,
            });
        blog.error({
            ...bids,
            err: result.error,
            code: result.error.code,
            reason: result.error.reason,
            error: result.error.message,
            fallback: fb.effects.map((e) => e.type),
        }, 'turn failed; dialog gets the fallback');
        if (fb.fallbackError !== undefined)
            blog.error({
                ...bids,
                err: fb.fallbackError,
                error: fb.fallbackError instanceof Error ? fb.fallbackError.message : typeof fb.fallbackError,
            }, 'the fallback function threw; the default fallback was used');
        // A failed turn leaves the conversation where it was (a restarted one is ended), only the item is consumed.
        commit = restarted
            ? { snapshot: null, botVersion: bot.version, meta: newMeta, effects: fb.effects, timers: [] }
            : {
                snapshot: record?.snapshot ?? null,
                botVersion: record?.botVersion ?? bot.version,
                meta: record?.meta,
                effects: fb.effects,
                timers: [...p.timersOnError],
            };
    }
    const revision = (record?.revision ?? 0) + 1;
    let history;
    if (env.history) {
        const turnData = {
            revision,
            status: result.status,
            state: (0, history_1.stateOf)(commit.snapshot),
            conversation: commit.meta?.conversation ?? newMeta.conversation,
            fresh: restarted,
            ...(result.status === 'error'
                ? { error: result.error.message, reason: result.error.reason }
                : {}),
            effects: (0, history_1.turnEffects)(commit.effects, effectMetaOf(p.input, bot)),
            timers: (0, history_1.timerData)(record?.timers ?? [], commit.timers),
        };
        history = (0, history_1.historyWrite)(env.history, [
            {
                at: (p.joinItem ?? item).receivedAt,
                kind: 'inbound',
                data: (0, history_1.inboundData)((p.joinItem ?? item).payload),
            },
            { at: now, kind: 'turn', data: turnData },
        ]);
    }
    const committed = await env.store.commitTurn(dialogKey, {
        expectedRevision: record?.revision ?? 0,
        snapshot: commit.snapshot,
        botVersion: commit.botVersion,
        ...(commit.meta !== undefined ? { meta: commit.meta } : {}),
        effects: toNewEffects(commit.effects, p.input, bot, history ? revision : undefined),
        timers: commit.timers,
        ...(record
            ? sameTimers(record.timers, commit.timers)
                ? { timersUnchanged: true }
                : { storedTimerKeys: record.timers.map((t) => t.timerKey) }
            : {}),
        consumedSeq: p.consumedSeq,
        now,
        ...(history ? { history } : {}),
    });
    if (committed.status === 'conflict') {
        blog.debug(bids, 'dialog changed meanwhile; the turn is retried');
        env.metrics.inc(metrics_1.METRIC.turnsTotal, { outcome: 'conflict' });
        return 'conflict';
    }
    env.metrics.inc(metrics_1.METRIC.turnsTotal, { outcome: result.status === 'ok' ? 'ok' : 'error' });
    env.metrics.observe(metrics_1.METRIC.turnDuration, (performance.now() - startedAt) / 1000);
    env.onCommitted({ dialogKey, effects: commit.effects.length, timers: commit.timers });
    return 'processed';
}
