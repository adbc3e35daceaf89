/**
 * Processes the oldest inbox item of one dialog: decides what it means for the dialog (a new
 * conversation, an event for the running one, a due timer, a refused effect, or nothing), runs the
 * turn, and commits snapshot + version + effects + timers + consumed item in ONE `commitTurn`.
 */
import type { RestClient } from '../bitrix/types';
import type { Logger } from '../logger';
import { METRIC, type Metrics } from '../metrics';
import type { Clock } from '../clock';
import type { BotDefinition, FallbackOption } from '../dsl/define-bot';
import type { Effect } from '../dsl/effect';
import { RestCallUnavailableError, type RestCallPerformer } from '../dsl/from-rest-call';
import type { DialogInput } from '../dsl/machine-events';
import {
  readNextTurn,
  type DialogKey,
  type InlineCommitResult,
  type NextTurn,
  type TurnCommit,
  type NewEffect,
  type OutboxEffect,
  type Store,
  type TimerRecord,
} from '../store/store';
import type { BotRegistry } from './bot-registry';
import type { EffectMeta } from './effect-call';
import { fallbackEffects } from './fallback';
import {
  historyWrite,
  inboundData,
  stateOf,
  timerData,
  turnEffects,
  type HistoryRetention,
  type TurnData,
} from './history';
import { asInboxPayload } from './inbox-payload';
import { migrateSnapshot } from './migrate-snapshot';
import { metaOf, planTurn, type DialogMeta } from './plan-turn';
import { runTurn } from './run-turn';

export interface TurnEnv {
  store: Store;
  bots: BotRegistry;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  turnTimeoutMs: number;
  /** Bounds a turn; default `clock`. */
  turnClock?: Clock;
  /** REST client per portal, for the machines' invoked REST calls; without it they reject. */
  clients?: (portalId: string) => RestClient | Promise<RestClient>;
  fallback?: FallbackOption;
  /** The dialog history's retention; absent: no history is written. */
  history?: HistoryRetention;
  /** How long a new session's first client message waits for its join (ms); default 0 (no wait). */
  joinWindowMs?: number;
  /**
   * Who would claim a turn's new effects right after its commit (the dispatcher of this process):
   * passed to the store as `TurnCommit.claimFor`, so that a store may record the claim in the
   * commit. Absent or undefined: the effects are committed pending.
   */
  claimFor?(): { owner: string; leaseMs: number } | undefined;
  /** Called after every commit (wake the dispatcher, re-arm the timer scheduler). */
  onCommitted(info: {
    dialogKey: DialogKey;
    effects: number;
    timers: readonly TimerRecord[];
    /** The new effects the store recorded as claimed for `claimFor` (to be sent by the claimer). */
    claimed?: OutboxEffect[];
  }): void;
}

/** Whether a turn left the dialog's timer set as it was loaded (then the store need not rewrite it). */
function sameTimers(before: readonly TimerRecord[], after: readonly TimerRecord[]): boolean {
  if (before.length !== after.length) return false;
  if (before.length === 0) return true;
  const old = new Map(before.map((t) => [t.timerKey, t]));
  return after.every((t) => {
    const o = old.get(t.timerKey);
    // A timer the turn kept is the loaded record itself.
    if (o === t) return true;
    return (
      o !== undefined &&
      o.deadline === t.deadline &&
      (o.fired === true) === (t.fired === true) &&
      JSON.stringify(o.event) === JSON.stringify(t.event) &&
      JSON.stringify(o.meta) === JSON.stringify(t.meta)
    );
  });
}

/**
 * `processed`: an item was processed and more may wait; `drained`: an item was processed and the
 * store said none waited behind it (items arriving since schedule the dialog again);
 * `waitUntil`: the oldest item waits (for its session's join); nothing is processed before then.
 */
export type ProcessResult = 'processed' | 'drained' | 'empty' | 'conflict' | { waitUntil: number };

function effectMetaOf(input: DialogInput, bot: BotDefinition): EffectMeta {
  return {
    botId: input.bot.id,
    chatId: input.chatId,
    dialogId: input.dialogId,
    apiVersion: input.bot.apiVersion,
    sayVia: bot.sayVia,
  };
}

/** With history on, each effect's meta also names its turn and position (to link its outcome). */
function toNewEffects(
  effects: readonly Effect[],
  input: DialogInput,
  bot: BotDefinition,
  turn: number | undefined,
): NewEffect[] {
  const meta = effectMetaOf(input, bot);
  return effects.map((effect, index) => ({
    portalId: input.portal.memberId,
    effect,
    meta: turn === undefined ? meta : { ...meta, turn, index },
  }));
}

/**
 * The machine's invoked REST calls on the dialog's portal: the client is asked for only when the
 * machine makes a call (the same one the outbox uses); a failing call is logged with its dialog
 * (the machine's onError may only apologise). Returned as an arrow, not written inline in
 * processNext: loaders that keep function names (tsx) name every inline closure, on every turn.
 */
function restPerformer(o: {
  clients: TurnEnv['clients'];
  portalId: string;
  log: Logger;
  ids: Record<string, unknown>;
  /** Awaited before the call is made (an inline turn's event is made durable first). */
  before?: () => Promise<void>;
}): RestCallPerformer {
  const { clients, portalId, log, ids, before } = o;
  return async ({ method, params, signal }) => {
    if (before) await before();
    try {
      if (!clients) throw new RestCallUnavailableError(method);
      return await (await clients(portalId)).call(method, params, { signal });
    } catch (e) {
      log.warn(
        {
          ...ids,
          method,
          err: e,
          code: (e as { code?: unknown } | null)?.code,
          error: e instanceof Error ? e.message : String(e),
        },
        'invoked REST call failed',
      );
      throw e;
    }
  };
}

/**
 * Processes the dialog's oldest inbox item, if any. The caller holds the dialog's lease.
 *
 * @example
 * while ((await processNext({ env, dialogKey })) !== 'empty') {}
 */
export async function processNext(options: {
  env: TurnEnv;
  dialogKey: DialogKey;
}): Promise<ProcessResult> {
  const { env, dialogKey } = options;
  // Without the store's own `nextTurn`, `more` is true: the store is asked again after this item.
  const next = await readNextTurn(env.store, dialogKey);
  if (!next) return 'empty';
  return (await processItem({ env, dialogKey, next })) as ProcessResult;
}

/** How an inline turn (an event processed as it arrives, before the inbox) is committed. */
export interface InlineTurn {
  /** Commits the turn (the caller decides how the event is consumed). */
  commit: (commit: TurnCommit) => Promise<InlineCommitResult>;
  /** Runs before each invoked REST call of the machine is made (the event must be durable first). */
  beforeRestCall: () => Promise<void>;
}

/**
 * What an inline turn ended with: committed (`drained`), `fallback` (the event needs the inbox
 * path: a session's join rules, a discarded or waiting item), or the commit's refusal.
 */
export type InlineResult = 'drained' | 'fallback' | 'busy' | 'duplicate' | 'conflict';

/**
 * Processes one item read from the inbox, or, with `inline`, an event that has not been written
 * to it (then only a plain turn is run; everything else answers `fallback` and touches nothing).
 */
export async function processItem(options: {
  env: TurnEnv;
  dialogKey: DialogKey;
  next: NextTurn;
  inline?: InlineTurn;
}): Promise<ProcessResult | InlineResult> {
  const { env, dialogKey, next, inline } = options;
  const { item, record, more } = next;
  const startedAt = performance.now();
  const done: ProcessResult = more ? 'processed' : 'drained';
  // Plain field objects, not logger.child(): a child logger per turn costs more than the turn's logging.
  const ids = { portal: dialogKey.split(':')[0], dialog: dialogKey, seq: item.seq };
  const p = await planTurn({
    bots: env.bots,
    item,
    record,
    sessions: {
      now: env.clock.now(),
      joinWindowMs: env.joinWindowMs ?? 0,
      // Nothing waited behind the item when it was read: the store need not be asked again.
      peek: async (limit) =>
        more ? env.store.peekInbox(dialogKey, limit) : [item].slice(0, Math.max(0, limit)),
    },
  });
  if (
    inline &&
    (typeof p === 'string' || 'waitUntil' in p || p.absorb || p.consumedSeq !== item.seq)
  )
    return 'fallback';
  if (typeof p === 'string') {
    env.logger.debug({ ...ids, reason: p }, 'inbox item discarded');
    await env.store.discardInbox(item.seq);
    env.metrics.inc(METRIC.turnsTotal, { outcome: 'stale' });
    return done;
  }
  if ('waitUntil' in p) {
    env.logger.debug({ ...ids, until: p.waitUntil }, "a new session's message waits for its join");
    return { waitUntil: p.waitUntil };
  }
  const { bot } = p;
  const bids = { ...ids, bot: bot.code };
  const blog = env.logger;
  const meta = metaOf(record);
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
    if (absorbed.status === 'conflict') return 'conflict';
    blog.debug(bids, 'join of the running conversation; nothing restarted');
    env.metrics.inc(METRIC.turnsTotal, { outcome: 'stale' });
    return done;
  }
  let snapshot: unknown = p.fresh ? undefined : record?.snapshot;
  let restartReason: string | undefined;
  if (!p.fresh && record && record.botVersion !== bot.version) {
    const m = await migrateSnapshot({ bot, snapshot, fromVersion: record.botVersion });
    if (m.status === 'restart') {
      snapshot = undefined;
      restartReason = m.reason;
    } else {
      snapshot = m.snapshot;
      blog.info(
        { ...bids, fromVersion: record.botVersion, toVersion: bot.version },
        'dialog snapshot migrated',
      );
    }
  }
  const now = env.clock.now();
  env.metrics.observe(METRIC.inboxLag, Math.max(0, now - item.receivedAt) / 1000);
  const portalId = p.input.portal.memberId;
  const result = await runTurn({
    bot,
    dialogKey,
    ...(snapshot !== undefined ? { snapshot } : {}),
    input: p.input,
    timers: record?.timers ?? [],
    delivery: p.delivery,
    now,
    clock: env.turnClock ?? env.clock,
    timeoutMs: env.turnTimeoutMs,
    rest: restPerformer({
      clients: env.clients,
      portalId,
      log: blog,
      ids: bids,
      ...(inline ? { before: inline.beforeRestCall } : {}),
    }),
  });
  restartReason ??= result.restartReason;
  if (restartReason)
    blog.warn(
      { ...bids, fromVersion: record?.botVersion, toVersion: bot.version, reason: restartReason },
      'dialog restarted from the initial state',
    );
  const restarted = p.fresh || snapshot === undefined || result.restartReason !== undefined;
  const newMeta: DialogMeta = {
    botCode: bot.code,
    input: p.input,
    conversation: (meta?.conversation ?? 0) + (restarted ? 1 : 0),
    ...p.session,
  };

  let commit;
  if (result.status === 'ok') {
    if (result.droppedTimers > 0)
      blog.debug(
        { ...bids, dropped: result.droppedTimers },
        'delays of child actors are not durable and were dropped',
      );
    commit = {
      snapshot: result.snapshot,
      botVersion: bot.version,
      meta: newMeta,
      effects: result.effects,
      timers: result.timers,
    };
  } else {
    const failedEffectTurn = asInboxPayload(item.payload)?.kind === 'effect.failed';
    const fb = failedEffectTurn
      ? { effects: [] }
      : fallbackEffects({
          botFallback: bot.fallback,
          runtimeFallback: env.fallback,
          error: result.error,
          input: p.input,
        });
    blog.error(
      {
        ...bids,
        err: result.error,
        code: result.error.code,
        reason: result.error.reason,
        error: result.error.message,
        fallback: fb.effects.map((e) => e.type),
      },
      'turn failed; dialog gets the fallback',
    );
    if (fb.fallbackError !== undefined)
      blog.error(
        {
          ...bids,
          err: fb.fallbackError,
          error:
            fb.fallbackError instanceof Error ? fb.fallbackError.message : typeof fb.fallbackError,
        },
        'the fallback function threw; the default fallback was used',
      );
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
    const turnData: TurnData = {
      revision,
      status: result.status,
      state: stateOf(commit.snapshot),
      conversation: (commit.meta as DialogMeta | undefined)?.conversation ?? newMeta.conversation,
      fresh: restarted,
      ...(result.status === 'error'
        ? { error: result.error.message, reason: result.error.reason }
        : {}),
      effects: turnEffects(commit.effects, effectMetaOf(p.input, bot)),
      timers: timerData(record?.timers ?? [], commit.timers),
    };
    history = historyWrite(env.history, [
      {
        at: (p.joinItem ?? item).receivedAt,
        kind: 'inbound',
        data: inboundData((p.joinItem ?? item).payload),
      },
      { at: now, kind: 'turn', data: turnData },
    ]);
  }
  const claimFor = commit.effects.length > 0 ? env.claimFor?.() : undefined;
  const turnCommit: TurnCommit = {
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
    ...(claimFor ? { claimFor } : {}),
  };
  const committed = inline
    ? await inline.commit(turnCommit)
    : await env.store.commitTurn(dialogKey, turnCommit);
  if (committed.status === 'busy' || committed.status === 'duplicate') return committed.status;
  if (committed.status === 'conflict') {
    blog.debug(bids, 'dialog changed meanwhile; the turn is retried');
    env.metrics.inc(METRIC.turnsTotal, { outcome: 'conflict' });
    return 'conflict';
  }
  env.metrics.inc(METRIC.turnsTotal, { outcome: result.status === 'ok' ? 'ok' : 'error' });
  env.metrics.observe(METRIC.turnDuration, (performance.now() - startedAt) / 1000);
  env.onCommitted({
    dialogKey,
    effects: commit.effects.length,
    timers: commit.timers,
    ...(committed.claimed ? { claimed: committed.claimed } : {}),
  });
  return done;
}
