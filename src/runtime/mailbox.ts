/**
 * The per-dialog mailbox scheduler: a dialog with work is run by at most one worker at a time
 * (its items strictly in order), different dialogs run concurrently up to `concurrency`. Work
 * itself lives in the store's inbox; this only remembers which dialogs to look at, so an idle
 * dialog costs nothing here.
 */
import type { DialogKey } from '../store/store';

export interface Mailbox {
  /** The dialog has (or may have) new inbox items. */
  schedule(dialogKey: DialogKey): void;
  /** Starts running scheduled dialogs (scheduling before `start` only queues). */
  start(): void;
  /** Stops starting new runs; resolves when the running ones have ended. */
  stop(): Promise<void>;
  /** True when no dialog is running or queued. */
  isIdle(): boolean;
  /** Resolves the next time the mailbox is idle (at once when it is). */
  idle(): Promise<void>;
  /** Dialogs running or queued. */
  size(): number;
  /** Dialogs running or queued, not counting those held by inline turns. */
  pending(): number;
  /** True when the dialog is running or queued here. */
  has(dialogKey: DialogKey): boolean;
  /**
   * Marks an idle dialog as running outside the mailbox (an inline turn): it is not run here until
   * {@link release}, and counts as running for `idle` and `stop`. False (nothing done) when the
   * dialog is running or queued, or the mailbox is not running.
   */
  hold(dialogKey: DialogKey): boolean;
  /** Ends a {@link hold}; the dialog runs here if it was scheduled meanwhile (or `schedule` is set). */
  release(dialogKey: DialogKey, schedule?: boolean): void;
}

export interface MailboxOptions {
  /** Dialogs processed at the same time; default 32. */
  concurrency?: number;
  /** Drains one dialog's inbox (or part of it; returning `true` asks to be run again). */
  run(dialogKey: DialogKey): Promise<boolean>;
  /** A run threw (it is not retried here; the items stay in the store inbox). */
  onError(dialogKey: DialogKey, error: unknown): void;
  /** A run or a hold ended (after the next runs started): room may have freed. */
  onEnded?: () => void;
}

/**
 * Creates a mailbox scheduler.
 *
 * @example
 * const mailbox = createMailbox({ run: (key) => drainDialog(key), onError: (key, e) => logger.error({ err: e, dialog: key }) });
 * mailbox.start();
 * mailbox.schedule('member:571:1777');
 */
export function createMailbox(options: MailboxOptions): Mailbox {
  const concurrency = Math.max(1, options.concurrency ?? 32);
  const queue: DialogKey[] = [];
  const queued = new Set<DialogKey>();
  const running = new Set<DialogKey>();
  /** Dialogs held by inline turns: running, but not against `concurrency`. */
  const held = new Set<DialogKey>();
  const again = new Set<DialogKey>();
  let started = false;
  let stopped = false;
  let idleWaiters: Array<() => void> = [];

  const isIdle = (): boolean =>
    running.size === 0 && held.size === 0 && (queue.length === 0 || stopped || !started);
  const notifyIdle = (): void => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const schedule = (dialogKey: DialogKey): void => {
    if (running.has(dialogKey) || held.has(dialogKey)) {
      again.add(dialogKey);
      return;
    }
    if (queued.has(dialogKey)) return;
    queued.add(dialogKey);
    queue.push(dialogKey);
    pump();
  };

  const runOne = async (dialogKey: DialogKey): Promise<void> => {
    let more = false;
    try {
      more = await options.run(dialogKey);
    } catch (e) {
      options.onError(dialogKey, e);
    } finally {
      running.delete(dialogKey);
      const rerun = again.delete(dialogKey) || more;
      if (rerun && !stopped) schedule(dialogKey);
      pump();
      notifyIdle();
      options.onEnded?.();
    }
  };

  function pump(): void {
    if (!started || stopped) return;
    while (running.size < concurrency && queue.length > 0) {
      const key = queue.shift() as DialogKey;
      queued.delete(key);
      running.add(key);
      void runOne(key);
    }
  }

  return {
    schedule,
    start() {
      started = true;
      pump();
    },
    async stop() {
      stopped = true;
      if (running.size > 0 || held.size > 0)
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    isIdle,
    idle: () =>
      isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    size: () => running.size + held.size + queue.length,
    pending: () => running.size + queue.length,
    has: (dialogKey) => running.has(dialogKey) || held.has(dialogKey) || queued.has(dialogKey),
    hold(dialogKey) {
      if (
        !started ||
        stopped ||
        running.has(dialogKey) ||
        held.has(dialogKey) ||
        queued.has(dialogKey)
      )
        return false;
      held.add(dialogKey);
      return true;
    },
    release(dialogKey, scheduleIt = false) {
      if (!held.delete(dialogKey)) return;
      const rerun = again.delete(dialogKey) || scheduleIt;
      if (rerun && !stopped) schedule(dialogKey);
      pump();
      notifyIdle();
      options.onEnded?.();
    },
  };
}
