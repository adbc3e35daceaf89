/** Conversions between the SQLite store's rows and the `Store` contract's records. */
import { decodeJson, encodeJson, encodeOptionalJson } from './json-column';
import type {
  DialogTimersRowSql,
  NextTurnRowSql,
  OutboxRowSql,
  SqliteStatements,
} from './sqlite-statements';
import type { DialogRecord, OutboxEffect, TimerRecord, TurnCommit } from './store';
import { StoreError } from './store-error';

/** A dialog's timer set as its row holds it (see {@link encodeTimers}). */
export interface EncodedTimers {
  /** JSON array of the `TimerRecord`s, ordered as loads return them. */
  json: string;
  /** The earliest deadline of a timer not fired yet; `null` when none. */
  nextDeadline: number | null;
  /** How many timers are not fired yet. */
  pending: number;
}

/** A commit with every value already JSON text. */
export interface EncodedCommit {
  snapshot: string | null;
  meta: string | null;
  effects: Array<{ portalId: string; effect: string; meta: string | null }>;
  timers: EncodedTimers;
}

/** Encodes a commit before any write starts: a value that is not JSON must leave nothing behind. */
export function encodeCommit(c: TurnCommit): EncodedCommit {
  return {
    snapshot: c.snapshot === null ? null : (encodeOptionalJson(c.snapshot, 'Snapshot') ?? null),
    meta: encodeOptionalJson(c.meta, 'Dialog meta') ?? null,
    effects: c.effects.map((e) => ({
      portalId: e.portalId,
      effect: encodeJson(e.effect, 'Effect'),
      meta: encodeOptionalJson(e.meta, 'Effect meta') ?? null,
    })),
    timers: encodeTimers(c.timers),
  };
}

/**
 * Orders strings as SQLite's BINARY collation does (UTF-8 bytes, i.e. code points), which is how
 * timer keys were ordered when they had a table of their own: UTF-16 code units order surrogate
 * pairs below U+E000..U+FFFF, so those two ranges are swapped before comparing.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

const byDeadline = (a: TimerRecord, b: TimerRecord): number =>
  a.deadline - b.deadline || compareKeys(a.timerKey, b.timerKey);

/**
 * A timer set as the dialog row stores it: one JSON array of exactly the records a load returns
 * (`timerKey`, `deadline`, `event`, `fired`, and `meta` when there is one), ordered by deadline
 * then key. A key given twice keeps its last timer (the set is keyed, as a table row was).
 */
export function encodeTimers(timers: readonly TimerRecord[]): EncodedTimers {
  if (timers.length === 0) return { json: '[]', nextDeadline: null, pending: 0 };
  const byKey = new Map<string, TimerRecord>();
  for (const t of timers) {
    if (typeof t.deadline !== 'number' || Number.isNaN(t.deadline))
      throw new StoreError(`Timer deadline must be a number, got ${String(t.deadline)}`);
    byKey.delete(t.timerKey);
    byKey.set(t.timerKey, t);
  }
  const sorted = [...byKey.values()].sort(byDeadline);
  let nextDeadline: number | null = null;
  let pending = 0;
  const parts = sorted.map((t) => {
    const fired = t.fired === true;
    if (!fired) {
      pending += 1;
      if (nextDeadline === null || t.deadline < nextDeadline) nextDeadline = t.deadline;
    }
    const meta = encodeOptionalJson(t.meta, 'Timer meta');
    return `{"timerKey":${JSON.stringify(t.timerKey)},"deadline":${deadlineJson(t.deadline)},"event":${encodeJson(t.event, 'Timer event')},"fired":${fired ? 'true' : 'false'}${meta === undefined ? '' : `,"meta":${meta}`}}`;
  });
  return { json: `[${parts.join(',')}]`, nextDeadline, pending };
}

/** A deadline as JSON: a timer that never fires (an infinite deadline) is kept as one. */
const deadlineJson = (deadline: number): string =>
  Number.isFinite(deadline) ? JSON.stringify(deadline) : deadline > 0 ? '1e999' : '-1e999';

/** The timer set of a dialog row (see {@link encodeTimers}). */
export function decodeTimers(json: string | null): TimerRecord[] {
  return json === null ? [] : (JSON.parse(json) as TimerRecord[]);
}

/** Reads a dialog with its timers (one row). */
export function readDialog(sql: SqliteStatements, dialogKey: string): DialogRecord | undefined {
  return dialogOfRow(dialogKey, sql.loadDialog.get(dialogKey));
}

/** The record of `loadDialog`'s row (or of `nextTurn`'s, whose dialog columns are NULL without one). */
export function dialogOfRow(
  dialogKey: string,
  row: DialogTimersRowSql | NextTurnRowSql | undefined,
): DialogRecord | undefined {
  if (!row || row.revision === null) return undefined;
  const record: DialogRecord = {
    dialogKey,
    revision: row.revision,
    snapshot: decodeJson(row.snapshot) ?? null,
    botVersion: row.bot_version as string,
    timers: decodeTimers(row.timers),
    updatedAt: row.updated_at as number,
  };
  if (row.meta !== null) record.meta = decodeJson(row.meta);
  return record;
}

export function toOutboxEffect(row: OutboxRowSql): OutboxEffect {
  const effect: OutboxEffect = {
    seq: row.seq,
    dialogKey: row.dialog_key,
    portalId: row.portal_id,
    effect: decodeJson(row.effect) as OutboxEffect['effect'],
    attempts: row.attempts,
    availableAt: row.available_at,
    createdAt: row.created_at,
  };
  if (row.meta !== null) effect.meta = decodeJson(row.meta);
  return effect;
}
