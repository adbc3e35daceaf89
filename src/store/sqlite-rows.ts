/** Conversions between the SQLite store's rows and the `Store` contract's records. */
import { decodeJson, encodeJson, encodeOptionalJson } from './json-column';
import type {
  DialogTimerRowSql,
  NextTurnRowSql,
  OutboxRowSql,
  SqliteStatements,
} from './sqlite-statements';
import type { DialogRecord, OutboxEffect, TurnCommit } from './store';

/** A commit with every value already JSON text. */
export interface EncodedCommit {
  snapshot: string | null;
  meta: string | null;
  effects: Array<{ portalId: string; effect: string; meta: string | null }>;
  timers: Array<{
    timerKey: string;
    deadline: number;
    event: string;
    meta: string | null;
    fired: number;
  }>;
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
    timers: c.timers.map((t) => ({
      timerKey: t.timerKey,
      deadline: t.deadline,
      event: encodeJson(t.event, 'Timer event'),
      meta: encodeOptionalJson(t.meta, 'Timer meta') ?? null,
      fired: t.fired === true ? 1 : 0,
    })),
  };
}

/** Reads a dialog with its timers (one statement, so both come from one snapshot). */
export function readDialog(sql: SqliteStatements, dialogKey: string): DialogRecord | undefined {
  return dialogOfRows(dialogKey, sql.loadDialog.all(dialogKey));
}

/** The record of `loadDialog`'s rows (or of `nextTurn`'s, whose dialog columns are NULL without one). */
export function dialogOfRows(
  dialogKey: string,
  rows: ReadonlyArray<DialogTimerRowSql | NextTurnRowSql>,
): DialogRecord | undefined {
  const row = rows[0];
  if (!row || row.revision === null) return undefined;
  const timers: DialogRecord['timers'] = [];
  for (const t of rows) {
    if (t.timer_key === null) continue;
    const timer: DialogRecord['timers'][number] = {
      timerKey: t.timer_key,
      deadline: t.deadline as number,
      event: decodeJson(t.event),
      fired: t.fired === 1,
    };
    if (t.timer_meta !== null) timer.meta = decodeJson(t.timer_meta);
    timers.push(timer);
  }
  const record: DialogRecord = {
    dialogKey,
    revision: row.revision,
    snapshot: decodeJson(row.snapshot) ?? null,
    botVersion: row.bot_version as string,
    timers,
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
