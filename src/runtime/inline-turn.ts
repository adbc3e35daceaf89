/**
 * Inline turns: an event for a dialog with nothing waiting is processed as it arrives, and
 * acknowledged once its turn is committed. The commit (`Store.commitInlineTurn`) writes what a
 * turn writes plus the event's dedupe key, and only while no inbox item of the dialog waits, so
 * the event skips the inbox (its write, its read back and its delete) without changing what is
 * durable when it is acknowledged: the event's whole effect on the dialog instead of the event.
 *
 * Whenever that cannot hold, the event takes the inbox path as any other:
 * - the turn needs the inbox (a session's join rules, a discarded item), or the commit is refused
 *   (an older item waits, the dialog changed): the event is appended and the mailbox runs it;
 * - the turn reaches the machine's first invoked REST call, or runs longer than the budget: the
 *   event is appended first (and acknowledged then), the call is made, and the turn's commit
 *   consumes the appended item, as a mailbox turn would. The acknowledgement never waits for a
 *   call, and a call is never made for an event that is not durable.
 *
 * The dialog is held in the mailbox meanwhile, so nothing else of it runs in this process; the
 * store's only writer is this process (memory, SQLite), so nothing runs it elsewhere.
 */
import { clearTimeout, setTimeout } from 'node:timers';
import type { AppendResult, InlineCommitResult, NewInboxItem, TurnCommit } from '../store/store';
import { jsonCopy } from './json-copy';
import type { Mailbox } from './mailbox';
import { processItem, type InlineResult, type TurnEnv } from './process-next';

/** Default budget of an inline turn (ms) before its event is written to the inbox. */
export const DEFAULT_INLINE_BUDGET_MS = 200;
/** Default number of inline turns at once; further events meanwhile take the inbox path. */
export const DEFAULT_INLINE_MAX_CONCURRENT = 4;

/** The machine invoked a REST call for an event that turned out to be a duplicate: the call is not made. */
export class DuplicateInlineEventError extends Error {
  constructor() {
    super('the event is a duplicate of one already recorded; its turn is discarded');
    this.name = 'DuplicateInlineEventError';
  }
}

/** Options of {@link acceptInline}. */
export interface AcceptInlineOptions {
  env: TurnEnv;
  mailbox: Mailbox;
  /** The event as the inbox would hold it. */
  item: NewInboxItem;
  budgetMs: number;
  /**
   * The turn failed (the store failed): called once the event is in the inbox, so that the dialog
   * is retried as a failed mailbox run is (with its backoff).
   */
  onError: (dialogKey: string, error: unknown) => void;
}

/**
 * Runs the event's turn inline when the dialog is idle here. Returns undefined (nothing done) when
 * it is not, or the store has no inline commit; otherwise the acknowledgement: it resolves once
 * the event is durable (its turn committed, or the event appended), as `appendInbox` would.
 *
 * @example
 * const ack = acceptInline({ env, mailbox, item, budgetMs: 200, onError }) ?? appendAndSchedule(item);
 */
export function acceptInline(options: AcceptInlineOptions): Promise<AppendResult> | undefined {
  const { env, mailbox, item } = options;
  const { store } = env;
  const commitInline = store.commitInlineTurn?.bind(store);
  if (!commitInline || !mailbox.hold(item.dialogKey)) return undefined;
  const dialogKey = item.dialogKey;
  const receivedAt = env.clock.now();

  // 'inline': not written anywhere yet; 'queued': appended (seq); 'dropped': appended as a duplicate.
  let mode: 'inline' | 'queued' | 'dropped' = 'inline';
  let seq = 0;
  let committing = false;
  let settled = false;
  let resolveAck!: (r: AppendResult) => void;
  let rejectAck!: (e: unknown) => void;
  const ack = new Promise<AppendResult>((resolve, reject) => {
    resolveAck = resolve;
    rejectAck = reject;
  });
  const answer = (r: AppendResult): void => {
    if (settled) return;
    settled = true;
    resolveAck(r);
  };

  let appending: Promise<AppendResult> | undefined;
  /** Appends the event to the inbox (once), and acknowledges it with the append's result. */
  const append = (): Promise<AppendResult> =>
    (appending ??= store.appendInbox([item], { now: receivedAt }).then(
      ([r]) => {
        const result: AppendResult = r ?? { status: 'duplicate' };
        if (result.status === 'accepted') {
          mode = 'queued';
          seq = result.seq;
        } else mode = 'dropped';
        answer(result);
        return result;
      },
      (err: unknown) => {
        // Not acknowledged: the sender sends it again. The turn may still commit inline (then the
        // resent event is a duplicate), or it is left to that resend.
        if (!settled) {
          settled = true;
          rejectAck(err);
        }
        throw err;
      },
    ));

  // Real time, whatever the runtime's clock: the sender waits in real time (a test's fake clock
  // that is never advanced must not hold an acknowledgement back for ever).
  const budget = setTimeout(() => {
    if (!committing) append().catch(() => undefined);
  }, options.budgetMs);
  budget.unref();

  const commit = async (c: TurnCommit): Promise<InlineCommitResult> => {
    committing = true;
    clearTimeout(budget);
    if (appending) await appending.catch(() => undefined);
    if (mode === 'dropped') return { status: 'duplicate' };
    if (mode === 'queued') return commitInline(dialogKey, { ...c, consumedSeq: seq });
    const { consumedSeq: _consumed, ...rest } = c;
    return commitInline(dialogKey, {
      ...rest,
      inbound: item.dedupeKey !== undefined ? { dedupeKey: item.dedupeKey } : {},
    });
  };
  const beforeRestCall = async (): Promise<void> => {
    if ((await append()).status !== 'accepted') throw new DuplicateInlineEventError();
  };

  let failure: unknown;
  const run = async (): Promise<InlineResult | 'error'> => {
    try {
      const record = await store.loadDialog(dialogKey);
      const next = {
        item: {
          seq: 0,
          dialogKey,
          ...(item.dedupeKey !== undefined ? { dedupeKey: item.dedupeKey } : {}),
          // What the inbox would give back: a JSON copy, shared with nothing.
          payload: jsonCopy(item.payload),
          receivedAt,
        },
        record,
        more: false,
      };
      const r = await processItem({ env, dialogKey, next, inline: { commit, beforeRestCall } });
      return r as InlineResult;
    } catch (err) {
      failure = err;
      return 'error';
    } finally {
      clearTimeout(budget);
    }
  };

  void run().then(async (outcome) => {
    if (outcome === 'drained' || outcome === 'duplicate') {
      // Committed inline (or refused as a duplicate before anything was written); a queued event
      // was acknowledged by its append already.
      if (mode === 'inline')
        answer(outcome === 'drained' ? { status: 'accepted', seq: 0 } : { status: 'duplicate' });
      mailbox.release(dialogKey);
      return;
    }
    // The inbox path: the event is appended (if it is not yet) and the mailbox runs the dialog.
    if (mode === 'inline') {
      try {
        await append();
      } catch {
        mailbox.release(dialogKey);
        return;
      }
    }
    if (outcome === 'error') {
      mailbox.release(dialogKey);
      if (mode === 'queued') options.onError(dialogKey, failure);
      return;
    }
    mailbox.release(dialogKey, mode === 'queued');
  });
  return ack;
}

/** What {@link createInlineTurns} returns: where the runtime's `accept` and `deliver` go through. */
export interface InlineTurns {
  /**
   * Runs the event's turn inline when it may (inline turns on, fewer than `maxConcurrent`
   * running, no append of the dialog under way, the dialog idle here): the acknowledgement, or
   * undefined when the event must be appended.
   */
  accept(item: NewInboxItem): Promise<AppendResult> | undefined;
  /**
   * Runs `append` for items of these dialogs once their inline turns are acknowledged (committed,
   * or their event appended): an event that arrived later is never appended before an earlier one.
   */
  appendAfter<T>(dialogKeys: readonly string[], append: () => Promise<T>): Promise<T>;
}

/**
 * The runtime's inline turns: their limit, and the order of the appends that follow them.
 *
 * @example
 * const inline = createInlineTurns({ env, mailbox, option: { maxConcurrent: 4 }, onError });
 * const ack = inline.accept(item) ?? inline.appendAfter([item.dialogKey], () => appendAndSchedule(item));
 */
export function createInlineTurns(options: {
  env: TurnEnv;
  mailbox: Mailbox;
  /** `RuntimeOptions.inlineTurns`. */
  option: boolean | { budgetMs?: number; maxConcurrent?: number } | undefined;
  onError: AcceptInlineOptions['onError'];
}): InlineTurns {
  const { option } = options;
  const on = option !== false;
  const budgetMs =
    (typeof option === 'object' ? option.budgetMs : undefined) ?? DEFAULT_INLINE_BUDGET_MS;
  // Inline turns pay off while the process has time to spare; under load, events queue in the
  // inbox and the mailbox runs them (cheaper then: their acknowledgements share a grouped append).
  const maxConcurrent =
    (typeof option === 'object' ? option.maxConcurrent : undefined) ??
    DEFAULT_INLINE_MAX_CONCURRENT;
  let running = 0;
  /** The acknowledgement of the inline turn running per dialog. */
  const acks = new Map<string, Promise<AppendResult>>();
  /** Appends under way per dialog (no inline turn starts for the dialog meanwhile). */
  const appending = new Map<string, number>();

  return {
    accept(item) {
      if (!on || running >= maxConcurrent || appending.has(item.dialogKey)) return undefined;
      const ack = acceptInline({
        env: options.env,
        mailbox: options.mailbox,
        item,
        budgetMs,
        onError: options.onError,
      });
      if (!ack) return undefined;
      running += 1;
      acks.set(item.dialogKey, ack);
      const done = (): void => {
        running -= 1;
        if (acks.get(item.dialogKey) === ack) acks.delete(item.dialogKey);
      };
      ack.then(done, done);
      return ack;
    },

    async appendAfter(dialogKeys, append) {
      for (const key of dialogKeys) appending.set(key, (appending.get(key) ?? 0) + 1);
      try {
        const waits: Promise<unknown>[] = [];
        for (const key of dialogKeys) {
          const ack = acks.get(key);
          if (ack) waits.push(ack);
        }
        if (waits.length > 0) await Promise.allSettled(waits);
        return await append();
      } finally {
        for (const key of dialogKeys) {
          const n = (appending.get(key) ?? 1) - 1;
          if (n <= 0) appending.delete(key);
          else appending.set(key, n);
        }
      }
    },
  };
}
