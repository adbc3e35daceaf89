/**
 * The in-memory store: the whole contract, no durability. For tests and for trying a bot out.
 * Values are kept as JSON text, so callers can never mutate stored state and every read returns
 * exactly what a durable adapter would return.
 */
import { decodeJson, encodeJson, encodeOptionalJson } from './json-column';
import { createMemoryHistory } from './memory-history';
import { createMemoryInbox } from './memory-inbox';
import { createMemoryOutbox } from './memory-outbox';
import { createMemoryTimers } from './memory-timers';
import type {
  AppendResult,
  CommitResult,
  TurnCommit,
  DialogKey,
  DialogRecord,
  DialogSummary,
  PortalRecord,
  Store,
} from './store';
import { createLocalCoordination } from './rate-gcra';
import { StoreError } from './store-error';
import {
  DEFAULT_DEDUPE_TTL_MS,
  encodeHistoryWrite,
  timerDedupeKey,
  timerPayloadJson,
} from './store-rules';

interface DialogRow {
  revision: number;
  snapshot?: string;
  botVersion: string;
  meta?: string;
  updatedAt: number;
  leaseOwner?: string;
  leaseUntil?: number;
}

/**
 * Creates an in-memory {@link Store}. Everything is lost when the process exits.
 *
 * @example
 * const store = memoryStore();
 * await store.appendInbox([{ dialogKey: 'm:1:2', dedupeKey: 'msg:7', payload: { kind: 'event' } }], { now: Date.now() });
 */
export function memoryStore(): Store {
  const inbox = createMemoryInbox();
  const outbox = createMemoryOutbox();
  const dialogs = new Map<DialogKey, DialogRow>();
  // Dialogs with a live conversation, kept up to date so that `stats` costs O(1).
  let live = 0;
  const timers = createMemoryTimers();
  const history = createMemoryHistory();
  const portals = new Map<string, string>();
  const offsets = new Map<string, number>();
  const local = createLocalCoordination();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new StoreError('The memory store is closed');
  };

  const recordOf = (dialogKey: DialogKey): DialogRecord | undefined => {
    const row = dialogs.get(dialogKey);
    if (!row || row.revision === 0) return undefined;
    return {
      dialogKey,
      revision: row.revision,
      snapshot: decodeJson(row.snapshot) ?? null,
      botVersion: row.botVersion,
      ...(row.meta === undefined ? {} : { meta: decodeJson(row.meta) }),
      timers: timers.list(dialogKey),
      updatedAt: row.updatedAt,
    };
  };

  /** `commitTurn` itself, synchronous (so that `commitInlineTurn` checks and commits at once). */
  const commitTurnNow = (dialogKey: DialogKey, commit: TurnCommit): CommitResult => {
    const snapshot =
      commit.snapshot === null ? undefined : encodeOptionalJson(commit.snapshot, 'Snapshot');
    const meta = encodeOptionalJson(commit.meta, 'Dialog meta');
    const effects = commit.effects.map((e) => ({
      portalId: e.portalId,
      effect: encodeJson(e.effect, 'Effect'),
      meta: encodeOptionalJson(e.meta, 'Effect meta'),
    }));
    const timerRows = timers.encode(commit.timers);
    const historyWrite = commit.history && encodeHistoryWrite(commit.history, commit.now);
    const existing = dialogs.get(dialogKey);
    if ((existing?.revision ?? 0) !== commit.expectedRevision) return { status: 'conflict' };
    const revision = commit.expectedRevision + 1;
    const { leaseOwner, leaseUntil } = existing ?? {};
    const wasLive =
      existing !== undefined && existing.revision > 0 && existing.snapshot !== undefined;
    live += (snapshot !== undefined ? 1 : 0) - (wasLive ? 1 : 0);
    dialogs.set(dialogKey, {
      revision,
      snapshot,
      botVersion: commit.botVersion,
      meta,
      updatedAt: commit.now,
      leaseOwner,
      leaseUntil,
    });
    outbox.add(dialogKey, effects, commit.now);
    timers.replace(dialogKey, timerRows);
    if (commit.consumedSeq !== undefined) inbox.remove(commit.consumedSeq, dialogKey);
    if (historyWrite) history.write(dialogKey, historyWrite);
    return { status: 'committed', revision };
  };

  return {
    kind: 'memory',

    async appendInbox(items, options) {
      ensureOpen();
      const { now } = options;
      const ttl = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
      // Encode everything first: a bad payload must leave nothing behind.
      const payloads = items.map((item) => encodeJson(item.payload, 'Inbox payload'));
      const results = items.map((item, i): AppendResult => {
        if (item.dedupeKey !== undefined) {
          if (inbox.isDuplicate(item.dedupeKey, now)) return { status: 'duplicate' };
          inbox.remember(item.dedupeKey, now + ttl);
        }
        return {
          status: 'accepted',
          seq: inbox.push(item.dialogKey, item.dedupeKey, payloads[i] as string, now),
        };
      });
      if (options.offset) {
        const { key, value } = options.offset;
        offsets.set(key, Math.max(offsets.get(key) ?? value, value));
      }
      return results;
    },

    async nextInbox(dialogKey) {
      ensureOpen();
      return inbox.next(dialogKey);
    },

    async peekInbox(dialogKey, limit) {
      ensureOpen();
      return inbox.peek(dialogKey, limit);
    },

    async pendingDialogs(limit) {
      ensureOpen();
      return inbox.pendingDialogs(limit);
    },

    async loadDialog(dialogKey): Promise<DialogRecord | undefined> {
      ensureOpen();
      return recordOf(dialogKey);
    },

    async commitTurn(dialogKey, commit) {
      ensureOpen();
      return commitTurnNow(dialogKey, commit);
    },

    async commitInlineTurn(dialogKey, commit) {
      ensureOpen();
      const head = inbox.headSeq(dialogKey);
      if (head !== undefined && (commit.consumedSeq === undefined || head < commit.consumedSeq))
        return { status: 'busy' };
      const key = commit.consumedSeq === undefined ? commit.inbound?.dedupeKey : undefined;
      if (key !== undefined && inbox.isDuplicate(key, commit.now)) return { status: 'duplicate' };
      const result = commitTurnNow(dialogKey, commit);
      if (result.status === 'committed' && key !== undefined)
        inbox.remember(key, commit.now + (commit.inbound?.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS));
      return result;
    },

    async discardInbox(seq) {
      ensureOpen();
      inbox.remove(seq);
    },

    async acquireDialog(dialogKey, owner, leaseMs, now) {
      ensureOpen();
      const row = dialogs.get(dialogKey);
      if (!row) {
        dialogs.set(dialogKey, {
          revision: 0,
          botVersion: '',
          updatedAt: now,
          leaseOwner: owner,
          leaseUntil: now + leaseMs,
        });
        return true;
      }
      if (row.leaseOwner !== undefined && row.leaseOwner !== owner && (row.leaseUntil ?? 0) > now)
        return false;
      row.leaseOwner = owner;
      row.leaseUntil = now + leaseMs;
      return true;
    },

    async releaseDialog(dialogKey, owner) {
      ensureOpen();
      const row = dialogs.get(dialogKey);
      if (!row || row.leaseOwner !== owner) return;
      if (row.revision === 0) dialogs.delete(dialogKey);
      else {
        delete row.leaseOwner;
        delete row.leaseUntil;
      }
    },

    async orphanedDialogs({ now, owner, after, limit }) {
      ensureOpen();
      const page = inbox.pendingHeads(after, limit);
      const dialogsOut = page
        .filter(({ dialogKey }) => {
          const row = dialogs.get(dialogKey);
          return (
            row?.leaseOwner === undefined ||
            row.leaseOwner === owner ||
            (row.leaseUntil ?? 0) <= now
          );
        })
        .map((h) => h.dialogKey);
      const last = page[page.length - 1];
      return { dialogs: dialogsOut, next: page.length >= limit && last ? last.head : 0 };
    },

    async fireDueTimers(now, limit) {
      ensureOpen();
      const woken = new Set<DialogKey>();
      for (const timer of timers.fireDue(now, limit)) {
        const key = timerDedupeKey(timer.dialogKey, timer.timerKey, timer.deadline);
        if (inbox.isDuplicate(key, now)) continue;
        inbox.remember(key, now + DEFAULT_DEDUPE_TTL_MS);
        inbox.push(timer.dialogKey, key, timerPayloadJson(timer), now);
        woken.add(timer.dialogKey);
      }
      return [...woken];
    },

    async nextTimerDeadline() {
      ensureOpen();
      return timers.nextDeadline();
    },

    async claimEffects(options) {
      ensureOpen();
      return outbox.claim(options);
    },

    async settleEffect(seq, outcome, now, owner) {
      ensureOpen();
      outbox.settle(seq, outcome, now, owner);
    },

    async extendEffectClaims(seqs, owner, leaseUntil) {
      ensureOpen();
      return outbox.extend(seqs, owner, leaseUntil);
    },

    async releaseEffects(seqs, owner) {
      ensureOpen();
      outbox.release(seqs, owner);
    },

    async nextEffectAvailableAt() {
      ensureOpen();
      return outbox.nextAvailableAt();
    },

    async deadLetters(limit) {
      ensureOpen();
      return outbox.deadLetters(limit);
    },

    async getPortal(memberId) {
      ensureOpen();
      return decodeJson(portals.get(memberId)) as PortalRecord | undefined;
    },

    async savePortal(record) {
      ensureOpen();
      portals.set(record.memberId, encodeJson(record, 'Portal record'));
    },

    async deletePortal(memberId) {
      ensureOpen();
      portals.delete(memberId);
    },

    async listPortals() {
      ensureOpen();
      return [...portals.keys()].sort().map((k) => decodeJson(portals.get(k)) as PortalRecord);
    },

    async reserveRate(key, options) {
      ensureOpen();
      return local.reserveRate(key, options);
    },

    async saturateRate(key, options) {
      ensureOpen();
      local.saturateRate(key, options);
    },

    async acquireLock(name, owner, leaseMs, now) {
      ensureOpen();
      return local.acquireLock(name, owner, leaseMs, now);
    },

    async releaseLock(name, owner) {
      ensureOpen();
      local.releaseLock(name, owner);
    },

    async getOffset(key) {
      ensureOpen();
      return offsets.get(key);
    },

    async purgeExpired(now) {
      ensureOpen();
      return inbox.purge(now);
    },

    async stats() {
      ensureOpen();
      const { depth, dead } = outbox.counts();
      const timersPending = timers.pendingCount();
      const oldest = inbox.oldestReceivedAt();
      return {
        dialogs: live,
        inboxDepth: inbox.size,
        outboxDepth: depth,
        deadLetters: dead,
        timersPending,
        ...(oldest !== undefined ? { oldestInboxAt: oldest } : {}),
      };
    },

    async ping() {
      ensureOpen();
    },

    async close() {
      closed = true;
    },

    async appendHistory(dialogKey, write, now) {
      ensureOpen();
      history.write(dialogKey, encodeHistoryWrite(write, now));
    },

    async readHistory(dialogKey, options = {}) {
      ensureOpen();
      return history.read(dialogKey, options.limit);
    },

    async listDialogs({ limit }) {
      ensureOpen();
      const keys = [...dialogs.entries()]
        .filter(([, row]) => row.revision > 0)
        .sort((a, b) => b[1].updatedAt - a[1].updatedAt || (a[0] < b[0] ? -1 : 1))
        .slice(0, Math.max(0, limit))
        .map(([key]) => key);
      return keys.map((key): DialogSummary => {
        const { depth, dead } = outbox.countsOf(key);
        return { ...(recordOf(key) as DialogRecord), outboxDepth: depth, deadLetters: dead };
      });
    },

    async dialogEffects(dialogKey) {
      ensureOpen();
      return outbox.ofDialog(dialogKey);
    },

    async requeueDeadLetter(seq, now) {
      ensureOpen();
      return outbox.requeue(seq, now);
    },
  };
}
