/**
 * What the runtime writes into a dialog's history (the inspector's transcript): the inbound item a
 * turn processed, the turn (state after it, effects queued with their REST call, timers armed), and
 * each effect's outcome. Written with the turn's commit; retention from `RuntimeOptions.history`.
 */
import type { Effect } from '../dsl/effect';
import type { HistoryWrite, NewHistoryEntry, TimerRecord } from '../store/store';
import { effectToCall, type EffectMeta } from './effect-call';
import { asInboxPayload } from './inbox-payload';

/**
 * `RuntimeOptions.history`: `false` writes no history at all (for deployments that must not keep
 * message texts); an object sets the retention per dialog.
 */
export type HistoryOption = false | { maxEntries?: number; maxAgeMs?: number };

/** The resolved retention (`undefined` when history is off). */
export interface HistoryRetention {
  maxEntries: number;
  maxAgeMs?: number;
}

/** Entries kept per dialog by default. */
export const DEFAULT_HISTORY_MAX_ENTRIES = 500;
/** Age after which entries go by default: 30 days. */
export const DEFAULT_HISTORY_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The retention for a `history` option; `undefined` means off.
 *
 * @example
 * resolveHistory(false) // undefined: nothing is written
 * resolveHistory({ maxEntries: 20 }) // { maxEntries: 20, maxAgeMs: 2592000000 }
 */
export function resolveHistory(option: HistoryOption | undefined): HistoryRetention | undefined {
  if (option === false) return undefined;
  return {
    maxEntries: option?.maxEntries ?? DEFAULT_HISTORY_MAX_ENTRIES,
    maxAgeMs: option?.maxAgeMs ?? DEFAULT_HISTORY_MAX_AGE_MS,
  };
}

/** Problems of a `history` option (empty when valid). */
export function historyOptionProblems(option: unknown): string[] {
  if (option === undefined || option === false) return [];
  if (typeof option !== 'object' || option === null)
    return ['history must be false or { maxEntries?, maxAgeMs? }'];
  const o = option as { maxEntries?: unknown; maxAgeMs?: unknown };
  const problems: string[] = [];
  if (
    o.maxEntries !== undefined &&
    !(Number.isInteger(o.maxEntries) && (o.maxEntries as number) >= 0)
  )
    problems.push('history.maxEntries must be a non-negative integer');
  if (o.maxAgeMs !== undefined && !(typeof o.maxAgeMs === 'number' && o.maxAgeMs > 0))
    problems.push('history.maxAgeMs must be a positive number');
  return problems;
}

/** A history write of `entries` under `retention`. */
export function historyWrite(
  retention: HistoryRetention,
  entries: NewHistoryEntry[],
): HistoryWrite {
  return {
    entries,
    maxEntries: retention.maxEntries,
    ...(retention.maxAgeMs !== undefined ? { maxAgeMs: retention.maxAgeMs } : {}),
  };
}

/** Data of an `inbound` entry: what reached the dialog. */
export type InboundData =
  | { source: 'event'; event: Record<string, unknown> }
  | { source: 'timer'; timerKey: string; deadline?: number; event?: unknown }
  | { source: 'effect.failed'; method: string; code: string; description?: string }
  | { source: 'unknown' };

/** One effect of a turn, with the REST call it becomes. */
export interface TurnEffectData {
  index: number;
  effect: Effect;
  call?: { method: string; params: Record<string, unknown> };
}

/** Data of a `turn` entry. */
export interface TurnData {
  /** The revision this turn committed. */
  revision: number;
  status: 'ok' | 'error' | 'discarded';
  /** The machine's state value after the turn; `null` when the conversation ended. */
  state: unknown;
  conversation?: number;
  fresh?: boolean;
  error?: string;
  reason?: string;
  effects: TurnEffectData[];
  /** The dialog's unfired timers after the turn; `armed` marks the ones this turn set. */
  timers: Array<{ timerKey: string; deadline: number; armed: boolean; event?: string }>;
}

/** Data of an `effect` entry: the outcome of one effect's REST call. */
export interface EffectOutcomeData {
  seq: number;
  /** The turn (revision) and position that queued it, when known. */
  turn?: number;
  index?: number;
  method: string;
  outcome: 'sent' | 'retried' | 'failed' | 'dead' | 'requeued';
  code?: string;
  description?: string;
  attempt: number;
  retryAt?: number;
}

const SECRET_KEY = /auth|token|secret|password|client_id/i;

/** Call parameters safe to keep and show: credential-like keys are replaced. */
function safeParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  return out;
}

/** What an inbox payload was, for the history (texts kept: the history is the transcript). */
export function inboundData(payload: unknown): InboundData {
  const p = asInboxPayload(payload);
  if (!p) return { source: 'unknown' };
  if (p.kind === 'timer') {
    const type = (p.event as { type?: unknown } | undefined)?.type;
    return {
      source: 'timer',
      timerKey: p.timerKey,
      ...(p.deadline !== undefined ? { deadline: p.deadline } : {}),
      ...(typeof type === 'string' ? { event: type } : {}),
    };
  }
  if (p.kind === 'effect.failed')
    return {
      source: 'effect.failed',
      method: p.method,
      code: p.code,
      ...(p.description !== undefined ? { description: p.description } : {}),
    };
  const e = p.event as unknown as Record<string, unknown>;
  const event: Record<string, unknown> = { kind: e.kind };
  for (const key of ['text', 'command', 'params', 'messageId', 'context', 'reaction', 'action'])
    if (e[key] !== undefined) event[key] = e[key];
  const author = e.author as { id?: unknown; name?: unknown } | undefined;
  if (author) event.author = { id: author.id, name: author.name };
  const client = e.client as { name?: unknown } | undefined;
  if (client?.name !== undefined) event.client = { name: client.name };
  return { source: 'event', event };
}

/** The effects of a turn with their REST calls (a call that cannot be built is left out). */
export function turnEffects(effects: readonly Effect[], meta: EffectMeta): TurnEffectData[] {
  return effects.map((effect, index) => {
    try {
      const call = effectToCall(effect, meta);
      return { index, effect, call: { method: call.method, params: safeParams(call.params) } };
    } catch {
      return { index, effect };
    }
  });
}

/** The unfired timers after a turn, marking those that were not armed before it. */
export function timerData(
  before: readonly TimerRecord[],
  after: readonly TimerRecord[],
): TurnData['timers'] {
  const old = new Set(before.map((t) => `${t.timerKey}@${t.deadline}`));
  return after
    .filter((t) => !t.fired)
    .map((t) => {
      const type = (t.event as { type?: unknown } | undefined)?.type;
      return {
        timerKey: t.timerKey,
        deadline: t.deadline,
        armed: !old.has(`${t.timerKey}@${t.deadline}`),
        ...(typeof type === 'string' ? { event: type } : {}),
      };
    });
}

/** The machine state value of a persisted snapshot (`null` for none). */
export function stateOf(snapshot: unknown): unknown {
  if (typeof snapshot !== 'object' || snapshot === null) return null;
  return (snapshot as { value?: unknown }).value ?? null;
}
