/**
 * The write operations of the SQLite store. Each runs inside a transaction opened by the write
 * queue (see sqlite-write-queue.ts), so each is all-or-nothing and sees a stable database.
 */
import type { EncodedCommit } from './sqlite-rows';
import { toOutboxEffect } from './sqlite-rows';
import type { SqliteStatements, Statement } from './sqlite-statements';
import type { OutboxIndexEntry } from './sqlite-outbox-index';
import type { AppendResult, EffectOutcome, OutboxEffect, TurnCommit } from './store';
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

/** Multi-row INSERTs of the outbox and the timers, per row count (prepared on first use). */
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

/** Rows per multi-row INSERT of a commit (a turn emits a handful of effects and timers). */
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
const TIMERS_HEAD =
  'INSERT OR REPLACE INTO timers (dialog_key, timer_key, deadline, event, meta, fired)';
const TIMER_ROW = '(?, ?, ?, ?, ?, ?)';

/**
 * Writes the dialog's new timer set with as few statements as it takes: none when unchanged, one
 * upsert of the set when it keeps every stored key, one in-place replacement when one timer took
 * the place of another, else a DELETE of the dropped keys and the upsert.
 */
function writeTimers(
  sql: SqliteStatements,
  dialogKey: string,
  c: TurnCommit,
  timers: EncodedCommit['timers'],
): void {
  if (c.timersUnchanged === true) return;
  const keys = new Set(timers.map((t) => t.timerKey));
  // A dialog's first commit finds no timers: only commits write them.
  const stored = c.storedTimerKeys ?? (c.expectedRevision === 0 ? [] : undefined);
  const dropped = stored?.filter((k) => !keys.has(k));
  if (dropped?.length === 1 && stored?.length === 1 && timers.length === 1) {
    const t = timers[0] as EncodedCommit['timers'][number];
    const replaced = sql.replaceTimer.run({
      dialog: dialogKey,
      old: dropped[0] as string,
      key: t.timerKey,
      deadline: t.deadline,
      event: t.event,
      meta: t.meta,
      fired: t.fired,
    });
    if (replaced.changes === 1) return;
  }
  // Unknown stored keys, or some dropped: delete what the new set does not keep.
  if (dropped === undefined || dropped.length > 0) {
    if (timers.length === 0) sql.deleteTimers.run(dialogKey);
    else sql.deleteTimersExcept.run(dialogKey, JSON.stringify([...keys]));
  }
  insertRows(
    sql,
    TIMERS_HEAD,
    TIMER_ROW,
    timers.map((t) => [dialogKey, t.timerKey, t.deadline, t.event, t.meta, t.fired]),
  );
}

/** Returns the new revision, or `undefined` on a compare-and-set conflict (having written nothing). */
export function commitDialog(
  sql: SqliteStatements,
  dialogKey: string,
  c: TurnCommit,
  e: EncodedCommit,
  /** Receives the seqs of the effects inserted (emptied first: a group may run a write twice). */
  effectSeqs?: number[],
): number | undefined {
  if (effectSeqs) effectSeqs.length = 0;
  const written =
    c.expectedRevision === 0
      ? sql.createDialog.run({
          key: dialogKey,
          snapshot: e.snapshot,
          version: c.botVersion,
          meta: e.meta,
          now: c.now,
        })
      : sql.updateDialog.run(
          e.snapshot,
          c.botVersion,
          e.meta,
          c.now,
          dialogKey,
          c.expectedRevision,
        );
  if (written.changes === 0) return undefined;
  insertRows(
    sql,
    EFFECTS_HEAD,
    EFFECT_ROW,
    e.effects.map((f) => [dialogKey, f.portalId, f.effect, f.meta, c.now, c.now]),
    effectSeqs,
  );
  writeTimers(sql, dialogKey, c, e.timers);
  if (c.consumedSeq !== undefined) sql.deleteDialogInbox.run(c.consumedSeq, dialogKey);
  return c.expectedRevision + 1;
}

export function fireTimers(sql: SqliteStatements, now: number, limit: number): string[] {
  const woken = new Set<string>();
  for (const t of sql.dueTimers.all(now, Math.max(0, limit))) {
    sql.markFired.run(t.dialog_key, t.timer_key);
    const key = timerDedupeKey(t.dialog_key, t.timer_key, t.deadline);
    const payload = timerPayloadJson({
      timerKey: t.timer_key,
      event: t.event,
      meta: t.meta,
      deadline: t.deadline,
    });
    const appended = sql.insertItem.run({
      dialog: t.dialog_key,
      key,
      expires: now + DEFAULT_DEDUPE_TTL_MS,
      payload,
      now,
    });
    if (appended.changes > 0) woken.add(t.dialog_key);
  }
  return [...woken];
}

/**
 * Records the claim of effects the outbox index chose (see sqlite-outbox-index.ts) in one
 * statement, and returns them in `seq` order. Rows this process wrote come from the index;
 * others are read.
 */
export function leaseChosenEffects(
  sql: SqliteStatements,
  chosen: readonly OutboxIndexEntry[],
  owner: string,
  until: number,
): OutboxEffect[] {
  const first = chosen[0];
  if (!first) return [];
  if (chosen.length === 1) sql.leaseEffect.run(owner, until, first.seq);
  else sql.leaseEffects.run(owner, until, JSON.stringify(chosen.map((e) => e.seq)));
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
