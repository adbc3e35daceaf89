/**
 * The storage contract. Every adapter (memory, SQLite, and later Redis) implements it with the
 * same guarantees, checked by one shared contract suite (`test/store/contract.ts`).
 *
 * Guarantees an adapter must give:
 * - `appendInbox` is atomic for the whole list: either every accepted item (and the fetch offset,
 *   when given) is durable when the promise resolves, or nothing is. Duplicate `dedupeKey`s
 *   (pending or already processed and not expired) are reported, not stored.
 * - `commitTurn` is atomic: snapshot + revision + new effects + the dialog's timer set + consuming
 *   the inbox item all happen, or none. It fails with `{ status: 'conflict' }` when the stored
 *   revision is not `expectedRevision` (compare-and-set), so several processes can share dialogs.
 * - Effects of one dialog are claimed in `seq` order, and never while an earlier effect of the same
 *   dialog is still claimed (in flight) or pending.
 * - A claim is a lease: an effect or timer whose lease expired (the process died) can be claimed again.
 *   The claimer keeps a claim by extending it (`extendEffectClaims`) while it holds the effect, and
 *   recording an outcome is fenced: `settleEffect` with an `owner` changes nothing unless that
 *   owner still holds the claim (a process whose claim was taken over cannot settle the effect).
 * - Every call does a bounded amount of work, whatever the backlog (limits are honoured inside).
 *
 * Every method that depends on time takes `now` (ms since epoch) from the caller's clock.
 */
import type { Effect } from '../dsl/effect';

/** `<memberId>:<botId>:<chatId>` — see {@link dialogKeyOf}. */
export type DialogKey = string;

/** Builds the dialog key: a dialog is one chat of one bot on one portal. */
export function dialogKeyOf(memberId: string, botId: number, chatId: number): DialogKey {
  return `${memberId}:${botId}:${chatId}`;
}

/** A durable record of something the dialog must process: an inbound event, a fired timer, a failed effect. */
export interface InboxItem {
  /** Store-assigned, strictly increasing across the store. Processing order within a dialog. */
  seq: number;
  dialogKey: DialogKey;
  dedupeKey?: string;
  /** JSON payload; the runtime decides its shape. */
  payload: unknown;
  receivedAt: number;
}

export interface NewInboxItem {
  dialogKey: DialogKey;
  /** When set, a second item with the same key (pending, or processed within the TTL) is a duplicate. */
  dedupeKey?: string;
  payload: unknown;
}

/** What {@link Store.nextTurn} reads. */
export interface NextTurn {
  item: InboxItem;
  record: DialogRecord | undefined;
  /** Another item of the dialog waits behind `item`. */
  more: boolean;
}

export type AppendResult = { status: 'accepted'; seq: number } | { status: 'duplicate' };

export interface AppendOptions {
  now: number;
  /** How long processed dedupe keys are remembered. Default: 7 days. */
  dedupeTtlMs?: number;
  /** Persist a fetch offset in the same transaction; it never moves backwards. */
  offset?: { key: string; value: number };
}

/** A durable timer (an xstate `after` delay armed by a dialog's machine). */
export interface TimerRecord {
  /** Unique within the dialog, stable across turns (e.g. xstate's scheduled-event id). */
  timerKey: string;
  /** Absolute deadline, ms since epoch. */
  deadline: number;
  /** The xstate event to send when it fires (JSON). */
  event: unknown;
  /** Runtime-private data (JSON), e.g. which actor it targets. */
  meta?: unknown;
  /** Set by `fireDueTimers`: already moved to the inbox, waiting to be processed. */
  fired?: boolean;
}

/** What a dialog's row holds. */
export interface DialogRecord {
  dialogKey: DialogKey;
  /** Compare-and-set counter; 0 means "no record yet". */
  revision: number;
  /** xstate persisted snapshot (JSON); `null` when the conversation ended/reset. */
  snapshot: unknown;
  /** The bot definition's version that produced the snapshot. */
  botVersion: string;
  /** Runtime-private dialog data (JSON): the machine input, conversation number... */
  meta?: unknown;
  /** The timers armed for this dialog, including fired-but-not-yet-processed ones. */
  timers: TimerRecord[];
  updatedAt: number;
}

/** A committed effect in the outbox. */
export interface OutboxEffect {
  /** Store-assigned, strictly increasing: emission order. */
  seq: number;
  dialogKey: DialogKey;
  /** The portal's `memberId`: effects are rate-limited and batched per portal. */
  portalId: string;
  effect: Effect;
  /** Runtime-private routing data (JSON): bot id, chat id, dialog id, api version. */
  meta?: unknown;
  attempts: number;
  /** ms since epoch before which it must not be sent (retry backoff). */
  availableAt: number;
  createdAt: number;
}

export interface NewEffect {
  portalId: string;
  effect: Effect;
  meta?: unknown;
}

export interface TurnCommit {
  /** Must equal the stored revision (0 when there was no record). */
  expectedRevision: number;
  snapshot: unknown;
  botVersion: string;
  meta?: unknown;
  /** Appended to the outbox in this order. */
  effects: NewEffect[];
  /** Replaces the dialog's whole timer set. */
  timers: TimerRecord[];
  /**
   * The caller read the dialog at `expectedRevision` and its timer set then was exactly `timers`:
   * an adapter may leave the stored set as it is instead of rewriting it (the compare-and-set on
   * the revision guarantees nobody changed it meanwhile).
   */
  timersUnchanged?: boolean;
  /**
   * The keys of the timer set the caller read at `expectedRevision`. When every one of them is in
   * `timers` too, an adapter may overwrite those timers in place instead of deleting the set first.
   */
  storedTimerKeys?: readonly string[];
  /** The inbox item this turn consumed (deleted in the same transaction). */
  consumedSeq?: number;
  now: number;
  /**
   * Entries for the dialog's history, written in the same transaction (then trimmed to the
   * retention). Absent: the history is not touched (history switched off writes nothing).
   */
  history?: HistoryWrite;
  /**
   * Optional for adapters: the caller (the dispatcher of this process) would claim the new
   * effects right after the commit. An adapter may then record them as claimed by `owner` until
   * `now + leaseMs` in the same transaction, and return them in `CommitResult.claimed`, saving
   * the claim's own write. Only when no earlier effect of the dialog is unsettled (pending or
   * in flight): the order rules of claims hold as for `claimEffects`. An adapter that does not
   * leaves them pending, and the caller claims them as usual.
   */
  claimFor?: { owner: string; leaseMs: number };
}

/** What the dialog's history records (see {@link HistoryEntry}). */
export type HistoryKind =
  /** An inbound item reached the dialog: a client message, a command, a join, a fired timer, a refused effect. */
  | 'inbound'
  /** A turn was committed: the state after it, the effects it queued, the timers it armed. */
  | 'turn'
  /** An effect's REST call had an outcome: sent, retried, failed (with its code) or dead-lettered. */
  | 'effect'
  /** An operator acted on the dialog (retried a dead letter, fired a timer, reset it). */
  | 'operator';

/** One entry of a dialog's history. */
export interface HistoryEntry {
  /** Store-assigned, strictly increasing within the dialog. */
  id: number;
  /** ms since epoch. */
  at: number;
  kind: HistoryKind;
  /** JSON; its shape is the runtime's (see src/runtime/history.ts). */
  data: unknown;
}

export interface NewHistoryEntry {
  at: number;
  kind: HistoryKind;
  data: unknown;
}

/** Entries to append to one dialog's history, and the retention to apply right after. */
export interface HistoryWrite {
  entries: NewHistoryEntry[];
  /** Keep at most this many entries of the dialog (the newest). */
  maxEntries: number;
  /** Drop entries older than this (ms, against the write's `now`); absent: no age limit. */
  maxAgeMs?: number;
}

/** An effect of the outbox as the inspector shows it. */
export interface InspectedEffect extends OutboxEffect {
  status: 'pending' | 'inflight' | 'dead';
  /** The last error (retried or dead-lettered effects). */
  error?: string;
}

/** A dialog with the counts the inspector lists. */
export interface DialogSummary extends DialogRecord {
  /** Effects not yet sent (pending or in flight). */
  outboxDepth: number;
  deadLetters: number;
}

/** What {@link Store.commitInlineTurn} commits: a turn whose event never waited in the inbox. */
export interface InlineTurnCommit extends TurnCommit {
  /**
   * The event the turn processed, when it is not in the inbox (`consumedSeq` absent): its dedupe
   * key is remembered in the same transaction, as consuming an inbox item would remember it.
   */
  inbound?: { dedupeKey?: string; dedupeTtlMs?: number };
}

/**
 * What {@link Store.commitInlineTurn} answers besides a {@link CommitResult}: `busy` when an inbox
 * item of the dialog waits before the turn's event (it must run first), `duplicate` when the
 * event's dedupe key is already known (pending or processed). Nothing is written in either case.
 */
export type InlineCommitResult = CommitResult | { status: 'busy' } | { status: 'duplicate' };

export type CommitResult =
  | {
      status: 'committed';
      revision: number;
      /** The new effects, already claimed for `TurnCommit.claimFor` (when the adapter did so). */
      claimed?: OutboxEffect[];
    }
  | { status: 'conflict' };

export interface ClaimOptions {
  now: number;
  limit: number;
  /** Lease length: after it expires the claim can be taken again. */
  leaseMs: number;
  /** Identifies the claiming process (for leases across processes). */
  owner: string;
}

/** Options of `orphanedDialogs`. */
export interface OrphanScan {
  now: number;
  /** Leases of this owner count as free (its own work that it lost track of, e.g. during a store outage). */
  owner: string;
  /** Cursor from the previous page's `next`; 0 to start at the beginning. */
  after: number;
  /** Dialogs looked at in this page (an upper bound on the work of the call). */
  limit: number;
}

/** What the outbox dispatcher reports for one claimed effect. */
export type EffectOutcome =
  | { status: 'sent'; result?: unknown }
  | {
      status: 'retry';
      availableAt: number;
      error: string;
      /**
       * Whether this attempt counts toward the dead-letter limit; default true. The portal's rate
       * limit (503 `QUERY_LIMIT_EXCEEDED`, 429) only delays an effect: such a retry passes false.
       */
      countAttempt?: boolean;
    }
  | { status: 'failed'; error: string; deadLetter: boolean };

/** Portal credentials and installation data (app mode) or webhook-mode data. */
export interface PortalRecord {
  memberId: string;
  domain: string;
  clientEndpoint?: string;
  serverEndpoint?: string;
  applicationToken?: string;
  accessToken?: string;
  refreshToken?: string;
  /** ms since epoch. */
  expiresAt?: number;
  scope?: string;
  /** Bot ids on this portal by bot code. */
  bots: Record<string, { id: number; apiVersion: 1 | 2 }>;
  installedAt: number;
  updatedAt: number;
}

/** The limit of a shared request budget (see {@link Store.reserveRate}). */
export interface RateLimitOptions {
  /** Requests the bucket holds (Bitrix24: 50, Enterprise 250). A positive integer. */
  burst: number;
  /** Requests per second it drains (Bitrix24: 2, Enterprise 5). A positive number. */
  perSecond: number;
  now: number;
}

/** What {@link Store.reserveRate} granted. */
export interface RateReservation {
  /** How long (ms) to wait before sending the reserved request; 0 means now. */
  waitMs: number;
  /** Requests in the bucket right after the reservation (the caller's included, waiting ones too). */
  level: number;
}

/**
 * Backlog figures for `/metrics` and `/healthz`. Adapters keep them as maintained counters (and
 * one indexed read for the oldest item), so `stats()` costs O(1) whatever the number of dialogs.
 */
export interface StoreStats {
  dialogs: number;
  inboxDepth: number;
  outboxDepth: number;
  deadLetters: number;
  timersPending: number;
  /** When the oldest unprocessed inbox item was received (ms since epoch); absent when the inbox is empty. */
  oldestInboxAt?: number;
}

/** The one storage interface of the framework. */
export interface Store {
  /** Adapter name, e.g. `sqlite`. */
  readonly kind: string;

  // -- inbox (durable record before acknowledgement) --
  appendInbox(items: NewInboxItem[], options: AppendOptions): Promise<AppendResult[]>;
  /** The oldest pending item of a dialog, if any. */
  nextInbox(dialogKey: DialogKey): Promise<InboxItem | undefined>;
  /**
   * The dialog's oldest pending items, at most `limit`, in `seq` order (the first one is
   * `nextInbox`'s). Lets the runtime look past a waiting item (a session's first message waits
   * for its join) without consuming anything.
   */
  peekInbox(dialogKey: DialogKey, limit: number): Promise<InboxItem[]>;
  /**
   * Optional: the dialog's oldest pending item (as `nextInbox`) and its record (as `loadDialog`),
   * read together, and whether another item waits behind that one. The runtime uses it when
   * present: one read per turn, and no read that only finds the inbox empty.
   */
  nextTurn?(dialogKey: DialogKey): Promise<NextTurn | undefined>;
  /** Dialog keys with pending inbox items (for recovery after a restart), oldest first. */
  pendingDialogs(limit: number): Promise<DialogKey[]>;

  // -- dialogs --
  loadDialog(dialogKey: DialogKey): Promise<DialogRecord | undefined>;
  commitTurn(dialogKey: DialogKey, commit: TurnCommit): Promise<CommitResult>;
  /**
   * Optional: commits a turn run on an event as soon as it arrived, before it was written to the
   * inbox (so the event is acknowledged once this commit is durable, with no inbox write, read or
   * delete). Atomically, and only when no inbox item of the dialog is older than the turn's own
   * (`consumedSeq`; without it, when the dialog has no inbox item at all, and the `inbound`
   * dedupe key is neither pending nor remembered): everything `commitTurn` writes, plus the
   * `inbound` dedupe key. Otherwise nothing is written and the answer says why. Only adapters
   * whose process is the store's only writer of its inbox (memory, SQLite) have it.
   */
  commitInlineTurn?(dialogKey: DialogKey, commit: InlineTurnCommit): Promise<InlineCommitResult>;
  /** Drops the inbox item without touching the dialog (e.g. a stale timer, an event for a deleted bot). */
  discardInbox(seq: number): Promise<void>;

  // -- per-dialog lease, so that several processes never run one dialog at once --
  /** Takes the lease, or extends it when `owner` already holds it; false while another owner's lease runs. */
  acquireDialog(
    dialogKey: DialogKey,
    owner: string,
    leaseMs: number,
    now: number,
  ): Promise<boolean>;
  releaseDialog(dialogKey: DialogKey, owner: string): Promise<void>;
  /**
   * One page of the dialogs that have pending inbox items and nobody running them: no lease, an
   * expired lease, or a lease of `owner` itself. Pages go in order of the dialogs' oldest pending
   * item, starting after the cursor `after` (0: from the start); `next` is the cursor of the next
   * page, 0 when this page reached the end. For the periodic scan that hands the work of dead or
   * stopped processes to live ones.
   */
  orphanedDialogs(options: OrphanScan): Promise<{ dialogs: DialogKey[]; next: number }>;

  // -- timers --
  /**
   * Atomically marks due timers (deadline <= now, not yet fired) as fired and appends one inbox
   * item per timer (payload `{ kind: 'timer', timerKey, event, meta, deadline }`, dedupe key
   * `timer:<dialogKey>:<timerKey>:<deadline>`). Returns the dialogs that got work.
   */
  fireDueTimers(now: number, limit: number): Promise<DialogKey[]>;
  /** The earliest deadline of a not-yet-fired timer, to schedule the next wake-up. */
  nextTimerDeadline(): Promise<number | undefined>;

  // -- effects outbox --
  claimEffects(options: ClaimOptions): Promise<OutboxEffect[]>;
  /**
   * Records an effect's outcome. With `owner`, only while `owner` holds the effect's claim (a
   * claim that expired but was not taken by anyone still counts); otherwise nothing changes.
   */
  settleEffect(seq: number, outcome: EffectOutcome, now: number, owner?: string): Promise<void>;
  /**
   * Extends `owner`'s claims of `seqs` to `leaseUntil` (the heartbeat of a process that still
   * holds them). Returns the seqs it still held (and now holds longer); the others were taken over.
   */
  extendEffectClaims(seqs: readonly number[], owner: string, leaseUntil: number): Promise<number[]>;
  /**
   * Gives `owner`'s claims of `seqs` back unsent (graceful stop): they can be claimed at once by
   * anyone, and the attempt does not count.
   */
  releaseEffects(seqs: readonly number[], owner: string): Promise<void>;
  /**
   * When the outbox may next have something to claim (for retry wake-ups): the earliest, over
   * dialogs, of the first unsettled effect's `availableAt` (pending) or lease expiry (in flight).
   * Effects queued behind an earlier one do not count, so after a `claimEffects(now)` that found
   * nothing, this is later than `now` (or `undefined`).
   */
  nextEffectAvailableAt(): Promise<number | undefined>;
  deadLetters(limit: number): Promise<Array<OutboxEffect & { error: string }>>;

  // -- portals --
  getPortal(memberId: string): Promise<PortalRecord | undefined>;
  savePortal(record: PortalRecord): Promise<void>;
  deletePortal(memberId: string): Promise<void>;
  listPortals(): Promise<PortalRecord[]>;

  // -- shared request budgets and locks (several processes, one portal) --
  /**
   * Reserves one request in the budget `key` (a portal's `memberId`): GCRA over a leaky bucket of
   * `burst` requests draining `perSecond`, so the requests of every process sharing the store stay
   * within the limit together. Always grants, in arrival order: the answer says how long to wait.
   * Shared by every process on the Redis store; the memory and SQLite stores (one process) keep
   * the budget in the process.
   */
  reserveRate(key: string, options: RateLimitOptions): Promise<RateReservation>;
  /** The portal refused a request for its limit: treat the budget `key` as full from `now`. */
  saturateRate(key: string, options: RateLimitOptions): Promise<void>;
  /**
   * Takes the named lock (e.g. `oauth:<memberId>` while refreshing a portal's tokens) until
   * `now + leaseMs`, unless another owner holds it unexpired; the holder may take it again
   * (extending it). Resolves true when `owner` holds it.
   */
  acquireLock(name: string, owner: string, leaseMs: number, now: number): Promise<boolean>;
  /** Gives the lock back if `owner` holds it. */
  releaseLock(name: string, owner: string): Promise<void>;

  // -- fetch offsets --
  getOffset(key: string): Promise<number | undefined>;

  // -- housekeeping --
  /** Forgets processed dedupe keys older than their TTL. */
  purgeExpired(now: number): Promise<number>;
  stats(): Promise<StoreStats>;
  /** Throws when the store cannot serve (for `/healthz`). */
  ping(): Promise<void>;
  close(): Promise<void>;

  // -- history and inspection (every built-in adapter implements these; optional for others) --
  /** Appends entries to a dialog's history outside a turn (effect outcomes, operator actions). */
  appendHistory?(dialogKey: DialogKey, write: HistoryWrite, now: number): Promise<void>;
  /** The dialog's history, oldest first: the newest `limit` entries (default: all kept). */
  readHistory?(dialogKey: DialogKey, options?: { limit?: number }): Promise<HistoryEntry[]>;
  /** Dialogs that have a record, most recently updated first. */
  listDialogs?(options: { limit: number }): Promise<DialogSummary[]>;
  /** The dialog's effects still in the outbox (pending, in flight, dead letters), in seq order. */
  dialogEffects?(dialogKey: DialogKey): Promise<InspectedEffect[]>;
  /** Makes a dead letter pending again (attempts reset, available at `now`); false when `seq` is not a dead letter. */
  requeueDeadLetter?(seq: number, now: number): Promise<boolean>;
}

/**
 * A dialog's next turn read: the store's own `nextTurn` when it has one, else `nextInbox` and
 * `loadDialog` (then `more` is true, so the caller asks again after the item).
 *
 * @example
 * const next = await readNextTurn(store, dialogKey);
 */
export async function readNextTurn(
  store: Pick<Store, 'nextTurn' | 'nextInbox' | 'loadDialog'>,
  dialogKey: DialogKey,
): Promise<NextTurn | undefined> {
  if (store.nextTurn) return store.nextTurn(dialogKey);
  const item = await store.nextInbox(dialogKey);
  return item && { item, record: await store.loadDialog(dialogKey), more: true };
}
