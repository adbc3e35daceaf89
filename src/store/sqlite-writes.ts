/**
 * The write operations of the SQLite store. Each runs inside a transaction opened by the write
 * queue (see sqlite-write-queue.ts), so each is all-or-nothing and sees a stable database.
 */
import { encodeJson, encodeOptionalJson } from './json-column';
import type { EncodedCommit } from './sqlite-rows';
import { decodeTimers, toOutboxEffect } from './sqlite-rows';
import type { SqliteStatements, Statement } from './sqlite-statements';
import type { OutboxIndexEntry } from './sqlite-outbox-index';
import type { AppendResult, EffectOutcome, OutboxEffect, TimerRecord, TurnCommit } from './store';
import { DEFAULT_DEDUPE_TTL_MS, timerDedupeKey, timerPayloadJson } from './store-rules';

export function appendItems(
  sql: SqliteStatements,
  items: Array<{ dialogKey: string; dedupeKey?: string; payload: string }>,
  options: { now: number; ttl: number; offset?: { key: string; value: number } },
): AppendResult[] {
  const { now, ttl, offset } = options;
  const results = items.map((item): AppendResult => {
    const key = item.dedupeKey ?? null;
    const info = sql.insertItem.run({
      dialog: item.dialogKey,
      key,
      expires: key === null ? null : now + ttl,
      payload: item.payload,
      now,
    });
    if (info.changes === 0) return { status: 'duplicate' };
    return { status: 'accepted', seq: Number(info.lastInsertRowid) };
  });
  if (offset) sql.upsertOffset.run(offset.key, offset.value);
  return results;
}

/** Multi-row INSERTs of the outbox, per row count (prepared on first use). */
const multiRow = new WeakMap<SqliteStatements, Map<string, Statement<unknown[], unknown>>>();

function rowsStatement(
  sql: SqliteStatements,
  head: string,
  row: string,
  rows: number,
): Statement<unknown[], unknown> {
  let cache = multiRow.get(sql);
  if (!cache) multiRow.set(sql, (cache = new Map()));
  const key = `${head}|${rows}`;
  let statement = cache.get(key);
  if (!statement) {
    statement = sql.prepareRaw(
      `${head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`,
    );
    cache.set(key, statement);
  }
  return statement;
}

/** Rows per multi-row INSERT of a commit (a turn emits a handful of effects). */
const COMMIT_ROWS = 16;

/**
 * Inserts the rows in order. `rowids` receives theirs: one statement's rows get consecutive ones
 * (AUTOINCREMENT, and this connection is the file's only writer).
 */
function insertRows(
  sql: SqliteStatements,
  head: string,
  row: string,
  rows: unknown[][],
  rowids?: number[],
): void {
  for (let start = 0; start < rows.length; start += COMMIT_ROWS) {
    const chunk = rows.slice(start, start + COMMIT_ROWS);
    const last = Number(
      rowsStatement(sql, head, row, chunk.length).run(...chunk.flat()).lastInsertRowid,
    );
    for (let i = chunk.length - 1; i >= 0; i--) rowids?.push(last - i);
  }
}

const EFFECTS_HEAD =
  'INSERT INTO outbox (dialog_key, portal_id, effect, meta, attempts, available_at, created_at, status)';
const EFFECT_ROW = "(?, ?, ?, ?, 0, ?, ?, 'pending')";

/**
 * Returns the new revision, or `undefined` on a compare-and-set conflict (having written nothing).
 * The timer set is part of the dialog row: a turn that re-arms, moves or drops timers writes it
 * with the same statement, and an unchanged set is not written at all.
 */
export function commitDialog(
  sql: SqliteStatements,
  dialogKey: string,
  c: TurnCommit,
  e: EncodedCommit,
  /** Receives the seqs of the effects inserted (emptied first: a group may run a write twice). */
  effectSeqs?: number[],
): number | undefined {
  if (effectSeqs) effectSeqs.length = 0;
  const row = {
    key: dialogKey,
    snapshot: e.snapshot,
    version: c.botVersion,
    meta: e.meta,
    now: c.now,
    timers: e.timers.json,
    deadline: e.timers.nextDeadline,
    pending: e.timers.pending,
  };
  const written =
    c.expectedRevision === 0
      ? sql.createDialog.run(row)
      : c.timersUnchanged === true
        ? sql.updateDialog.run(
            e.snapshot,
            c.botVersion,
            e.meta,
            c.now,
            dialogKey,
            c.expectedRevision,
          )
        : sql.updateDialogTimers.run({ ...row, expected: c.expectedRevision });
  if (written.changes === 0) return undefined;
  insertRows(
    sql,
    EFFECTS_HEAD,
    EFFECT_ROW,
    e.effects.map((f) => [dialogKey, f.portalId, f.effect, f.meta, c.now, c.now]),
    effectSeqs,
  );
  if (c.consumedSeq !== undefined) sql.deleteDialogInbox.run(c.consumedSeq, dialogKey);
  return c.expectedRevision + 1;
}

/**
 * Marks up to `limit` due timers fired, earliest first (by deadline, then dialog and timer key
 * order), and appends one inbox item per timer. The `limit` dialogs with the earliest due timers
 * hold the `limit` earliest due timers, so reading those rows is enough. Each dialog's row is
 * written once, without a new revision (firing is not a turn).
 */
export function fireTimers(sql: SqliteStatements, now: number, limit: number): string[] {
  const max = Math.max(0, limit);
  if (max === 0) return [];
  const dialogs = sql.dueDialogs.all(now, max).map((r) => ({
    dialogKey: r.dialog_key,
    timers: decodeTimers(r.timers),
  }));
  const due: Array<{ dialog: (typeof dialogs)[number]; timer: TimerRecord }> = [];
  for (const dialog of dialogs)
    for (const timer of dialog.timers)
      if (timer.fired !== true && timer.deadline <= now) due.push({ dialog, timer });
  // Stable: equal deadlines keep the dialogs' order, and each dialog's timers their stored order.
  due.sort((a, b) => a.timer.deadline - b.timer.deadline);
  due.length = Math.min(due.length, max);
  for (const { timer } of due) timer.fired = true;

  for (const dialog of dialogs) {
    if (!due.some((d) => d.dialog === dialog)) continue;
    let next: number | null = null;
    let pending = 0;
    for (const t of dialog.timers) {
      if (t.fired === true) continue;
      pending += 1;
      if (next === null || t.deadline < next) next = t.deadline;
    }
    sql.markFired.run(JSON.stringify(dialog.timers), next, pending, dialog.dialogKey);
  }

  const woken = new Set<string>();
  for (const { dialog, timer } of due) {
    const payload = timerPayloadJson({
      timerKey: timer.timerKey,
      event: encodeJson(timer.event, 'Timer event'),
      meta: encodeOptionalJson(timer.meta, 'Timer meta') ?? null,
      deadline: timer.deadline,
    });
    const appended = sql.insertItem.run({
      dialog: dialog.dialogKey,
      key: timerDedupeKey(dialog.dialogKey, timer.timerKey, timer.deadline),
      expires: now + DEFAULT_DEDUPE_TTL_MS,
      payload,
      now,
    });
    if (appended.changes > 0) woken.add(dialog.dialogKey);
  }
  return [...woken];
}

/**
 * Records the claim of effects the outbox index chose (see sqlite-outbox-index.ts) in one
 * statement, and returns them in `seq` order. Rows this process wrote come from the index;
 * others are read.
 */
/** Records effects as claimed by `owner` until `until`: one statement. */
export function leaseNewEffects(
  sql: SqliteStatements,
  seqs: readonly number[],
  owner: string,
  until: number,
): void {
  const first = seqs[0];
  if (first === undefined) return;
  if (seqs.length === 1) sql.leaseEffect.run(owner, until, first);
  else sql.leaseEffects.run(owner, until, JSON.stringify(seqs));
}

export function leaseChosenEffects(
  sql: SqliteStatements,
  chosen: readonly OutboxIndexEntry[],
  owner: string,
  until: number,
): OutboxEffect[] {
  if (chosen.length === 0) return [];
  leaseNewEffects(
    sql,
    chosen.map((e) => e.seq),
    owner,
    until,
  );
  const out: OutboxEffect[] = [];
  for (const e of chosen) {
    const row = e.row ?? sql.outboxRow.get(e.seq);
    if (row) out.push(toOutboxEffect(row));
  }
  return out;
}

/**
 * One statement: a dead letter (or an unknown seq) is left alone, and with `owner` only that
 * owner's live claim is settled (a claim taken over by another process is not ours to settle).
 */
export function settleEffectRow(
  sql: SqliteStatements,
  seq: number,
  outcome: EffectOutcome,
  now: number,
  owner?: string,
): boolean {
  const who = { seq, owner: owner ?? null };
  if (outcome.status === 'sent' || (outcome.status === 'failed' && !outcome.deadLetter)) {
    return sql.settleSent.run(who).changes > 0;
  }
  if (outcome.status === 'retry') {
    const retry = outcome.countAttempt === false ? sql.settleRetryUncounted : sql.settleRetry;
    return retry.run({ ...who, at: outcome.availableAt, error: outcome.error }).changes > 0;
  }
  return sql.settleDead.run({ ...who, at: now, error: outcome.error }).changes > 0;
}

/** A settle as the write queue holds it (see `settleMerger`). */
export interface QueuedSettle {
  seq: number;
  outcome: EffectOutcome;
  now: number;
  owner: string | undefined;
}

/** Whether the settle deletes the effect (sent, or refused without dead-lettering). */
const deletes = (o: EffectOutcome): boolean =>
  o.status === 'sent' || (o.status === 'failed' && !o.deadLetter);

/**
 * Settles written together: the deletions of one owner in one statement, the rest one by one.
 * `single` holds when that is exactly one statement.
 */
export function settleMerger(sql: SqliteStatements) {
  return {
    /** Whether the effect's row changed. */
    runOne: (q: QueuedSettle): boolean => settleEffectRow(sql, q.seq, q.outcome, q.now, q.owner),
    runMany: (items: QueuedSettle[]): boolean[] => {
      const changed = new Map<QueuedSettle, boolean>();
      const byOwner = new Map<string | null, QueuedSettle[]>();
      for (const q of items) {
        if (!deletes(q.outcome)) {
          changed.set(q, settleEffectRow(sql, q.seq, q.outcome, q.now, q.owner));
          continue;
        }
        const owner = q.owner ?? null;
        const same = byOwner.get(owner);
        if (same) same.push(q);
        else byOwner.set(owner, [q]);
      }
      for (const [owner, same] of byOwner) {
        if (same.length === 1) {
          const q = same[0] as QueuedSettle;
          changed.set(q, settleEffectRow(sql, q.seq, q.outcome, q.now, q.owner));
          continue;
        }
        const deleted = new Set(
          sql.settleSentMany
            .all({ seqs: JSON.stringify(same.map((q) => q.seq)), owner })
            .map((r) => r.seq),
        );
        for (const q of same) changed.set(q, deleted.has(q.seq));
      }
      return items.map((q) => changed.get(q) === true);
    },
    single: (items: QueuedSettle[]): boolean =>
      items.length === 1 ||
      (items.every((q) => deletes(q.outcome)) &&
        new Set(items.map((q) => q.owner ?? null)).size === 1),
  };
}
