/**
 * The embedded default store: one SQLite file (better-sqlite3, WAL). Survives restarts and
 * `kill -9`. One process per file: a lock (sqlite-file-lock.ts) refuses a second process, so on
 * open every lease in the file belongs to a previous life of this process and is released at once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJson, encodeJson } from './json-column';
import {
  dialogEffectRows,
  listDialogRows,
  prepareHistoryStatements,
  historiesAreOneInsert,
  readHistoryRows,
  trimThisTime,
  writeHistories,
  writeHistory,
  type QueuedHistoryWrite,
} from './sqlite-history';
import { dialogOfRow, encodeCommit, readDialog, toOutboxEffect } from './sqlite-rows';
import { lockSqliteFile, type SqliteFileLock } from './sqlite-file-lock';
import { prepareLeaseStatements } from './sqlite-leases';
import { createLocalCoordination } from './rate-gcra';
import { migrate } from './sqlite-schema';
import { prepareStatements, type InboxRowSql, type SqliteStatements } from './sqlite-statements';
import { countAutocommits, countGroup, countingWanted, countStatementsOf } from './sqlite-counters';
import { createWriteQueue } from './sqlite-write-queue';
import { OutboxIndex } from './sqlite-outbox-index';
import {
  appendItems,
  commitDialog,
  fireTimers,
  leaseChosenEffects,
  leaseNewEffects,
  settleMerger,
} from './sqlite-writes';
import type { Merger } from './sqlite-write-queue';
import type {
  CommitResult,
  InboxItem,
  InlineCommitResult,
  OutboxEffect,
  PortalRecord,
  Store,
  TurnCommit,
} from './store';
import { StoreError, isStoreError } from './store-error';
import { DEFAULT_DEDUPE_TTL_MS, encodeHistoryWrite } from './store-rules';
import { startCheckpointer } from './sqlite-checkpointer';

/** Where {@link sqliteStore} keeps its file when no `path` is given (relative to the working directory). */
export const DEFAULT_SQLITE_PATH = './.openlines-bot/state.db';

export interface SqliteStoreOptions {
  /** Database file; its directory is created. `:memory:` for a private in-memory database. Default {@link DEFAULT_SQLITE_PATH}. */
  path?: string;
  /** How long a write waits for another process holding the file's write lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * `NORMAL` (default) is durable against process crashes (`kill -9`); `FULL` also against power
   * loss, at the cost of one fsync per write.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * Count executed statements and transactions (see `sqliteCounts()`), for the benchmark. Default:
   * on while `OPENLINES_SQLITE_COUNT_STATEMENTS=1` is set; off costs nothing.
   */
  countStatements?: boolean;
  /**
   * Who copies the write-ahead log into the database file. `worker` (default for a file): a worker
   * thread with its own connection, so no commit on the event loop waits for a checkpoint's
   * writes and fsyncs (see sqlite-checkpointer.ts). `auto`: SQLite's own, inside the commit that
   * fills the log past 1000 pages.
   */
  checkpoints?: 'worker' | 'auto';
}

/**
 * Opens (creating if needed) a SQLite {@link Store}. Throws a {@link StoreError} when the file
 * cannot be opened, or when another process uses it (only one process may use a database file;
 * several processes need the Redis store). Leases left by a previous process (one that was
 * killed) are released on open, so its dialogs and claimed effects are served at once.
 *
 * @example
 * const store = sqliteStore({ path: './data/bot.db' });
 * const runtime = createRuntime({ bots: [supportBot], store, clients });
 */
export function sqliteStore(options: SqliteStoreOptions = {}): Store {
  const path = options.path ?? DEFAULT_SQLITE_PATH;
  const { db, sql, lock } = openDatabase(path, options);
  const checkpointer =
    lock !== undefined && (options.checkpoints ?? 'worker') === 'worker'
      ? startCheckpointer({
          db,
          path,
          synchronous: options.synchronous ?? 'NORMAL',
          onError: (message) => process.emitWarning(`SQLite store ${path}: ${message}`),
        })
      : undefined;
  const hsql = prepareHistoryStatements(db);
  /**
   * Claims of new effects that the turns of the running group took (`TurnCommit.claimFor`):
   * written together, one statement at the end of the group, inside its transaction.
   */
  let groupClaims: Array<{ seqs: number[]; owner: string; until: number }> = [];
  const queue = createWriteQueue(db, {
    groupHooks: {
      start: () => {
        groupClaims = [];
      },
      finish: () => {
        const claims = groupClaims;
        groupClaims = [];
        if (claims.length === 0) return;
        // One lease end for the group: the earliest asked for (a shorter lease is always safe).
        const byOwner = new Map<string, typeof claims>();
        for (const c of claims) {
          const same = byOwner.get(c.owner);
          if (same) same.push(c);
          else byOwner.set(c.owner, [c]);
        }
        for (const [owner, same] of byOwner) {
          const until = Math.min(...same.map((c) => c.until));
          leaseNewEffects(
            sql,
            same.flatMap((c) => c.seqs),
            owner,
            until,
          );
          for (const c of same) c.until = until;
        }
      },
    },
    ...(countingWanted(options.countStatements)
      ? { onGroup: countGroup, onAutocommit: countAutocommits }
      : {}),
    // The history's retention bookkeeping is kept in memory too; a rollback may have undone it.
    onRollback: () => {
      hsql.retention.state = hsql.loadRetention();
    },
  });
  const leases = prepareLeaseStatements(db);
  // One process uses a database file: its budgets and locks live in the process.
  const local = createLocalCoordination();
  /** Dialog leases (see `acquireDialog`). */
  const dialogLeases = new Map<string, { owner: string; until: number }>();
  // The file lock makes this store the outbox's only writer: it follows every change in memory,
  // so choosing a claim and the next wake-up read no rows (see sqlite-outbox-index.ts).
  const outbox = new OutboxIndex();
  for (const r of sql.unsettledEffects.all())
    outbox.add({ seq: r.seq, dialogKey: r.dialog_key, availableAt: r.available_at });
  let closed = false;

  const failure = (what: string, cause: unknown): StoreError =>
    isStoreError(cause)
      ? cause
      : new StoreError(`SQLite store ${what} failed: ${(cause as Error).message}`, { cause });
  const closedError = (): StoreError => new StoreError('The SQLite store is closed');

  const read = <T>(what: string, fn: () => T): T => {
    if (closed) throw closedError();
    try {
      return fn();
    } catch (cause) {
      throw failure(what, cause);
    }
  };

  /** Queues a write into the next group transaction (see sqlite-write-queue.ts). */
  const write = async <T>(what: string, fn: () => T, single = false): Promise<T> => {
    if (closed) throw closedError();
    try {
      return await queue.write(fn, { single });
    } catch (cause) {
      throw failure(what, cause);
    }
  };
  /**
   * Queues a write that runs together with the others of its kind in the group; a `deferred` one
   * may wait for a group that commits anyway (see sqlite-write-queue.ts).
   */
  const writeMerged = async <I, R>(
    what: string,
    merger: Merger<I, R>,
    item: I,
    deferred = false,
  ): Promise<R> => {
    if (closed) throw closedError();
    try {
      return await queue.writeMerged(merger, item, { deferred });
    } catch (cause) {
      throw failure(what, cause);
    }
  };
  const settles = settleMerger(sql);
  const histories: Merger<QueuedHistoryWrite, void> = {
    runOne: (q) => writeHistory(hsql, q.dialogKey, q.w, q.trimNow),
    runMany: (items) => {
      writeHistories(hsql, items);
      return items.map(() => undefined);
    },
    single: (items) => historiesAreOneInsert(hsql, items),
  };

  /**
   * `commitTurn`, and `commitInlineTurn` with `inline`: then, in the same write, the dialog's oldest
   * pending item and the event's dedupe key are checked first, and the key is remembered with it.
   */
  const commitTurnWith = async (
    dialogKey: string,
    c: TurnCommit,
    inline?: { key: string | null; ttlMs: number },
  ): Promise<InlineCommitResult> => {
    const encoded = encodeCommit(c);
    const history = c.history && encodeHistoryWrite(c.history, c.now);
    const seqs: number[] = [];
    const claimFor = c.claimFor;
    let claim: { seqs: number[]; owner: string; until: number } | undefined;
    let refused: 'busy' | 'duplicate' | undefined;
    const revision = await write('commitTurn', () => {
      claim = undefined;
      refused = undefined;
      if (inline) {
        const row = sql.inlineCheck.get({ dialog: dialogKey, key: inline.key, now: c.now });
        if (row && row.head !== null && (c.consumedSeq === undefined || row.head < c.consumedSeq))
          refused = 'busy';
        else if (row && row.duplicate) refused = 'duplicate';
        if (refused) return undefined;
      }
      const r = commitDialog(sql, dialogKey, c, encoded, seqs);
      if (r !== undefined && history) writeHistory(hsql, dialogKey, history);
      if (r !== undefined && inline?.key) sql.rememberDedupe.run(inline.key, c.now + inline.ttlMs);
      // Born claimed: the claim the dispatcher would write right after this commit is written in
      // it instead (with the other claims of the group, see groupClaims), only while no earlier
      // effect of the dialog is unsettled (claim order). Last, so that it is gathered only when
      // everything else of this write succeeded.
      if (r !== undefined && claimFor && seqs.length > 0 && !outbox.hasDialog(dialogKey)) {
        claim = { seqs: [...seqs], owner: claimFor.owner, until: c.now + claimFor.leaseMs };
        groupClaims.push(claim);
      }
      return r;
    });
    const claimedHere = claim !== undefined;
    const leaseUntil = claim?.until ?? 0;
    if (refused) return { status: refused };
    if (revision === undefined) return { status: 'conflict' };
    const claimed: OutboxEffect[] = [];
    seqs.forEach((seq, i) => {
      const e = encoded.effects[i];
      if (!e) return;
      const row = {
        seq,
        dialog_key: dialogKey,
        portal_id: e.portalId,
        effect: e.effect,
        meta: e.meta,
        attempts: 0,
        available_at: c.now,
        created_at: c.now,
        error: null,
      };
      if (claimedHere && claimFor) {
        outbox.add({
          seq,
          dialogKey,
          availableAt: c.now,
          row,
          state: 'inflight',
          owner: claimFor.owner,
          leaseUntil,
        });
        claimed.push(toOutboxEffect(row));
      } else outbox.add({ seq, dialogKey, availableAt: c.now, row });
    });
    return claimedHere
      ? { status: 'committed', revision, claimed }
      : { status: 'committed', revision };
  };

  return {
    kind: 'sqlite',

    async appendInbox(items, options) {
      const encoded = items.map((item) => ({
        ...item,
        payload: encodeJson(item.payload, 'Inbox payload'),
      }));
      const ttl = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
      const { now, offset } = options;
      // One item without an offset is one statement: it needs no transaction around it.
      return write(
        'appendInbox',
        () => appendItems(sql, encoded, { now, ttl, offset }),
        items.length === 1 && offset === undefined,
      );
    },

    async nextInbox(dialogKey) {
      return read('nextInbox', () => {
        const row = sql.nextInbox.get(dialogKey);
        return row ? inboxItemOf(row) : undefined;
      });
    },

    async nextTurn(dialogKey) {
      return read('nextTurn', () => {
        const row = sql.nextTurn.get({ key: dialogKey });
        if (!row) return undefined;
        return {
          item: inboxItemOf(row),
          record: dialogOfRow(dialogKey, row),
          more: row.more === 1,
        };
      });
    },

    async peekInbox(dialogKey, limit) {
      return read('peekInbox', () =>
        limit <= 0 ? [] : sql.peekInbox.all(dialogKey, limit).map(inboxItemOf),
      );
    },

    async pendingDialogs(limit) {
      return read('pendingDialogs', () => sql.pendingDialogs.all(limit).map((r) => r.dialog_key));
    },

    async loadDialog(dialogKey) {
      return read('loadDialog', () => readDialog(sql, dialogKey));
    },

    commitTurn: (dialogKey, c) => commitTurnWith(dialogKey, c) as Promise<CommitResult>,

    commitInlineTurn: (dialogKey, c) =>
      commitTurnWith(dialogKey, c, {
        key: c.consumedSeq === undefined ? (c.inbound?.dedupeKey ?? null) : null,
        ttlMs: c.inbound?.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS,
      }),

    async discardInbox(seq) {
      await write('discardInbox', () => sql.deleteInbox.run(seq));
    },

    // The file lock makes this store the only user of the database, so a dialog lease needs no
    // row write: it lives here, in memory, and costs no statement or transaction per turn.
    async acquireDialog(dialogKey, owner, leaseMs, now) {
      if (closed) throw closedError();
      const held = dialogLeases.get(dialogKey);
      if (held && held.owner !== owner && held.until > now) return false;
      dialogLeases.set(dialogKey, { owner, until: now + leaseMs });
      return true;
    },

    async releaseDialog(dialogKey, owner) {
      if (closed) throw closedError();
      if (dialogLeases.get(dialogKey)?.owner === owner) dialogLeases.delete(dialogKey);
    },

    async orphanedDialogs({ now, owner, after, limit }) {
      return read('orphanedDialogs', () => {
        const page = leases.pendingHeads.all(after, Math.max(0, limit));
        const dialogs = page
          .filter((r) => {
            const held = dialogLeases.get(r.dialog_key);
            return !held || held.owner === owner || held.until <= now;
          })
          .map((r) => r.dialog_key);
        const last = page[page.length - 1];
        return { dialogs, next: page.length >= limit && last ? last.head : 0 };
      });
    },

    async fireDueTimers(now, limit) {
      return write('fireDueTimers', () => fireTimers(sql, now, limit));
    },

    async nextTimerDeadline() {
      return read('nextTimerDeadline', () => sql.nextTimerDeadline.get()?.at ?? undefined);
    },

    async claimEffects({ now, limit, leaseMs, owner }) {
      if (closed) throw closedError();
      // Nothing to claim costs a walk of the index, no statement and no transaction.
      const chosen = outbox.claimable(now, limit);
      if (chosen.length === 0) return [];
      const until = now + leaseMs;
      outbox.lease(chosen, owner, until);
      try {
        // With every row known, recording the claim is one statement: no transaction around it.
        return await write(
          'claimEffects',
          () => leaseChosenEffects(sql, chosen, owner, until),
          chosen.every((e) => e.row !== undefined),
        );
      } catch (e) {
        outbox.unlease(chosen.filter((x) => x.owner === owner && x.leaseUntil === until));
        throw e;
      }
    },

    async settleEffect(seq, outcome, now, owner) {
      // Written with the other settles of the same event-loop turn (one request's), see settleMerger.
      // Deferred: the call has left, so the settle rides in the next group that commits anyway (a
      // turn's, usually). The effect stays in the index, holding its dialog's next effect back,
      // until the settle is on disk: what is durable keeps the dialog's order.
      const changed = await writeMerged(
        'settleEffect',
        settles,
        { seq, outcome, now, owner },
        true,
      );
      if (!changed) return;
      if (outcome.status === 'retry') {
        const e = outbox.get(seq);
        if (e) {
          outbox.unlease([e]);
          e.availableAt = outcome.availableAt;
          // Its attempts and error changed: a claim reads the row again.
          delete e.row;
        }
      } else outbox.remove(seq);
    },

    async extendEffectClaims(seqs, owner, leaseUntil) {
      if (seqs.length === 0) return [];
      // One statement for the whole heartbeat, whatever the number of claims.
      const kept = await write('extendEffectClaims', () => {
        const extended = new Set(
          leases.extendClaims.all(leaseUntil, owner, JSON.stringify(seqs)).map((r) => r.seq),
        );
        return seqs.filter((seq) => extended.has(seq));
      });
      for (const seq of kept) {
        const e = outbox.get(seq);
        if (e) e.leaseUntil = leaseUntil;
      }
      return kept;
    },

    async releaseEffects(seqs, owner) {
      if (seqs.length === 0) return;
      const released = await write('releaseEffects', () =>
        seqs.filter((seq) => leases.releaseClaim.run(seq, owner).changes > 0),
      );
      for (const seq of released) {
        const e = outbox.get(seq);
        if (e) outbox.unlease([e]);
      }
    },

    async nextEffectAvailableAt() {
      return read('nextEffectAvailableAt', () => outbox.nextAvailableAt());
    },

    async deadLetters(limit) {
      return read('deadLetters', () =>
        sql.deadLetters
          .all(limit)
          .map((row) => ({ ...toOutboxEffect(row), error: row.error ?? '' })),
      );
    },

    async getPortal(memberId) {
      return read(
        'getPortal',
        () => decodeJson(sql.getPortal.get(memberId)?.record) as PortalRecord | undefined,
      );
    },

    async savePortal(record) {
      const text = encodeJson(record, 'Portal record');
      await write('savePortal', () => sql.savePortal.run(record.memberId, text));
    },

    async deletePortal(memberId) {
      await write('deletePortal', () => sql.deletePortal.run(memberId));
    },

    async listPortals() {
      return read('listPortals', () =>
        sql.listPortals.all().map((r) => JSON.parse(r.record) as PortalRecord),
      );
    },

    async reserveRate(key, options) {
      return read('reserveRate', () => local.reserveRate(key, options));
    },

    async saturateRate(key, options) {
      read('saturateRate', () => local.saturateRate(key, options));
    },

    async acquireLock(name, owner, leaseMs, now) {
      return read('acquireLock', () => local.acquireLock(name, owner, leaseMs, now));
    },

    async releaseLock(name, owner) {
      read('releaseLock', () => local.releaseLock(name, owner));
    },

    async getOffset(key) {
      return read('getOffset', () => sql.getOffset.get(key)?.value);
    },

    async purgeExpired(now) {
      return write('purgeExpired', () => sql.purgeDedupe.run(now).changes);
    },

    async stats() {
      return read('stats', () => {
        const s = sql.stats.get() as NonNullable<ReturnType<SqliteStatements['stats']['get']>>;
        return {
          dialogs: s.dialogs,
          inboxDepth: s.inbox,
          outboxDepth: s.outbox,
          deadLetters: s.dead,
          timersPending: s.timers,
          ...(s.oldest !== null ? { oldestInboxAt: s.oldest } : {}),
        };
      });
    },

    async ping() {
      read('ping', () => sql.ping.get());
    },

    async appendHistory(dialogKey, w, now) {
      const history = encodeHistoryWrite(w, now);
      // Deferred like settles: nothing waits on a history entry to go on.
      await writeMerged(
        'appendHistory',
        histories,
        { dialogKey, w: history, trimNow: trimThisTime() },
        true,
      );
    },

    async readHistory(dialogKey, options = {}) {
      return read('readHistory', () => readHistoryRows(hsql, dialogKey, options.limit));
    },

    async listDialogs({ limit }) {
      return read('listDialogs', () => listDialogRows(hsql, sql, limit));
    },

    async dialogEffects(dialogKey) {
      return read('dialogEffects', () => dialogEffectRows(hsql, dialogKey));
    },

    async requeueDeadLetter(seq, now) {
      const row = await write('requeueDeadLetter', () =>
        hsql.requeue.run(now, seq).changes > 0 ? sql.outboxRow.get(seq) : undefined,
      );
      if (!row) return false;
      outbox.add({ seq, dialogKey: row.dialog_key, availableAt: row.available_at, row });
      return true;
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        // Writes already accepted into the queue are committed, not dropped.
        queue.flush();
      } finally {
        await checkpointer?.stop();
        db.close();
        lock?.release();
      }
    },
  };
}

/** Opens the file with the store's settings and brings its schema up to date. */
function inboxItemOf(row: InboxRowSql): InboxItem {
  const item: InboxItem = {
    seq: row.seq,
    dialogKey: row.dialog_key,
    payload: decodeJson(row.payload),
    receivedAt: row.received_at,
  };
  if (row.dedupe_key !== null) item.dedupeKey = row.dedupe_key;
  return item;
}

function openDatabase(
  path: string,
  options: SqliteStoreOptions,
): { db: Database.Database; sql: SqliteStatements; lock: SqliteFileLock | undefined } {
  let db: Database.Database | undefined;
  let lock: SqliteFileLock | undefined;
  try {
    const onDisk = path !== ':memory:' && path !== '';
    if (onDisk) {
      mkdirSync(dirname(path), { recursive: true });
      lock = lockSqliteFile(path);
    }
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    // A REPLACE that removes a row must fire its DELETE trigger, or the backlog counters drift.
    db.pragma('recursive_triggers = ON');
    migrate(db);
    releasePreviousLeases(db);
    if (countingWanted(options.countStatements)) countStatementsOf(db);
    return { db, sql: prepareStatements(db), lock };
  } catch (cause) {
    db?.close();
    lock?.release();
    if (isStoreError(cause)) throw cause;
    throw new StoreError(`Cannot open the SQLite store at ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * With the file lock held, every lease in the file belongs to a process that is gone: its dialogs
 * become free and its claimed effects pending again (their attempts unchanged: whether they were
 * sent is unknown, and sending again is what a crash costs).
 */
function releasePreviousLeases(db: Database.Database): void {
  db.transaction(() => {
    db.prepare(
      'UPDATE dialogs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL',
    ).run();
    db.prepare('DELETE FROM dialogs WHERE revision = 0 AND lease_owner IS NULL').run();
    db.prepare(
      "UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE status = 'inflight'",
    ).run();
  }).immediate();
}
