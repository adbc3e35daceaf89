/**
 * Fires durable timers: one clock timeout to the store's earliest unfired deadline; when it
 * expires, `store.fireDueTimers` moves every due timer into its dialog's inbox (atomically, once
 * per deadline across processes) and the dialogs are scheduled.
 */
import type { Clock, ClockHandle } from '../clock';
import type { Logger } from '../logger';
import type { DialogKey, Store } from '../store/store';

export interface TimerScheduler {
  /** Fires what is due now, then follows the earliest deadline. */
  start(): Promise<void>;
  stop(): void;
  /** Fires every timer due now (serialised with the clock-driven runs). */
  runDue(): Promise<void>;
  /** A commit armed a timer at `deadline`: wake up earlier if needed. */
  notify(deadline: number): void;
  /** Resolves when no firing is in progress. */
  idle(): Promise<void>;
}

export interface TimerSchedulerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Dialogs that got fired timers in their inbox. */
  onDue(dialogKeys: DialogKey[]): void;
  /** Timers fired per store call; default 500. */
  batch?: number;
  /**
   * Longest single wait; the scheduler re-reads the store at least this often (ms), which is how
   * it finds timers armed by other processes (a dead one's included); default 2_000.
   */
  maxWaitMs?: number;
  /** After a failed store call (e.g. the store is down), try again this soon (ms); default 1_000. */
  retryMs?: number;
}

/**
 * Creates the durable timer scheduler.
 *
 * @example
 * const timers = createTimerScheduler({ store, clock, logger, onDue: (keys) => keys.forEach(mailbox.schedule) });
 * await timers.start();
 */
export function createTimerScheduler(options: TimerSchedulerOptions): TimerScheduler {
  const { store, clock, logger } = options;
  const batch = options.batch ?? 500;
  const maxWaitMs = options.maxWaitMs ?? 2_000;
  const retryMs = options.retryMs ?? 1_000;
  let running = false;
  let handle: ClockHandle | undefined;
  let armedAt: number | undefined;
  let chain: Promise<void> = Promise.resolve();

  const arm = (deadline: number): void => {
    if (handle !== undefined) clock.clearTimeout(handle);
    const wait = Math.min(Math.max(0, deadline - clock.now()), maxWaitMs);
    armedAt = clock.now() + wait;
    handle = clock.setTimeout(() => {
      handle = undefined;
      armedAt = undefined;
      runDue().catch((e: unknown) => logger.error({ err: e }, 'firing durable timers failed'));
    }, wait);
  };

  // A failed store call never stops the scheduler: it tries again soon, so that timers that came
  // due during a store outage fire once the store is back, without any new event.
  const fireAndRearm = async (): Promise<void> => {
    try {
      await fireThenArm();
    } catch (error) {
      if (running) arm(clock.now() + retryMs);
      throw error;
    }
  };

  const fireThenArm = async (): Promise<void> => {
    const now = clock.now();
    for (let i = 0; i < 10_000; i++) {
      const keys = await store.fireDueTimers(now, batch);
      if (keys.length > 0) options.onDue(keys);
      if (keys.length < batch) break;
    }
    if (!running) return;
    const next = await store.nextTimerDeadline();
    if (!running) return;
    if (next === undefined) {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
      armedAt = undefined;
      // Timers armed by another process are found by the periodic re-read.
      arm(clock.now() + maxWaitMs);
    } else arm(next);
  };

  function runDue(): Promise<void> {
    const run = chain.then(fireAndRearm);
    chain = run.catch(() => undefined);
    return run;
  }

  return {
    async start() {
      running = true;
      await runDue();
    },
    stop() {
      running = false;
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
      armedAt = undefined;
    },
    runDue,
    idle: () => chain,
    notify(deadline) {
      if (!running) return;
      if (armedAt === undefined || deadline < armedAt) arm(deadline);
    },
  };
}
