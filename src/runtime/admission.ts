/**
 * Admission of new events under load. Recording an event (its inbox append, or its inline turn)
 * is much cheaper than processing it, so without a bound a busy process acknowledges events far
 * faster than it runs their turns: the backlog grows unseen (the sender sees quick answers while
 * replies come seconds late), and every waiting event costs more (it is written, read back and
 * deleted, and what it holds in memory lives long enough to be promoted by the garbage collector).
 *
 * The gate holds a new event back, before anything of it is recorded, while the process already
 * has `maxBacklog` dialogs with work (queued or running turns, plus events being recorded). Held
 * events go on in arrival order as room frees, and never wait longer than `maxWaitMs`: then they
 * are recorded anyway, so an acknowledgement is delayed by at most that much. Nothing is
 * acknowledged while it waits: if the process dies meanwhile, the sender sends the event again.
 */
import { systemClock, type Clock, type ClockHandle } from '../clock';

/** `RuntimeOptions.admission`: `false` records every event at once, however long the backlog. */
export type AdmissionOption = false | { maxBacklog?: number; maxWaitMs?: number };

/** Default bound of the backlog, in dialogs: twice the default turn concurrency (32). */
export const DEFAULT_MAX_BACKLOG = 64;
/** Default longest wait of one event at the gate (ms). */
export const DEFAULT_ADMISSION_MAX_WAIT_MS = 1000;

/** Problems of an `admission` option (empty when valid). */
export function admissionOptionProblems(option: unknown): string[] {
  if (option === undefined || option === false) return [];
  if (typeof option !== 'object' || option === null)
    return ['admission must be false or { maxBacklog?, maxWaitMs? }'];
  const o = option as { maxBacklog?: unknown; maxWaitMs?: unknown };
  const problems: string[] = [];
  if (
    o.maxBacklog !== undefined &&
    !(Number.isInteger(o.maxBacklog) && (o.maxBacklog as number) >= 1)
  )
    problems.push('admission.maxBacklog must be a positive integer');
  if (
    o.maxWaitMs !== undefined &&
    !(typeof o.maxWaitMs === 'number' && o.maxWaitMs >= 0 && o.maxWaitMs <= 60_000)
  )
    problems.push('admission.maxWaitMs must be a number of milliseconds from 0 to 60000');
  return problems;
}

/** How one wait at the gate ended. */
export type AdmissionOutcome = 'admitted' | 'timeout' | 'opened';

/** Options of {@link createAdmission}. */
export interface AdmissionOptions {
  option: AdmissionOption | undefined;
  /** Dialogs with queued or running turns here (not counting the gate's own admitted events). */
  backlog: () => number;
  /**
   * Times the waits; default the real clock, whatever the runtime's: it is the sender that waits
   * (a test's fake clock that is never advanced must not hold an event back for ever).
   */
  clock?: Clock;
  /** Called for each event that had to wait: how long, and how the wait ended. */
  onWaited?: (waitedMs: number, outcome: AdmissionOutcome) => void;
}

/** The gate. */
export interface Admission {
  /**
   * Lets one event in: at once (a function) when there is room and nobody waits, else a promise
   * of it. The function must be called once the event is recorded (or refused).
   */
  enter(): (() => void) | Promise<() => void>;
  /** Room may have freed (a turn ended): lets waiting events in. */
  wake(): void;
  /** Lets every waiting event in and stops holding any back (the runtime stops). */
  open(): void;
  /** Events waiting now. */
  waiting(): number;
}

interface Waiter {
  since: number;
  timer: ClockHandle | undefined;
  resolve: (leave: () => void) => void;
}

/**
 * Creates the admission gate of a runtime.
 *
 * @example
 * const gate = createAdmission({ option: { maxBacklog: 64 }, backlog: () => mailbox.pending() });
 * const entered = gate.enter();
 * const leave = typeof entered === 'function' ? entered : await entered;
 * try { await record(event); } finally { leave(); }
 */
export function createAdmission(options: AdmissionOptions): Admission {
  const option = options.option;
  const clock = options.clock ?? systemClock;
  const off = option === false;
  const maxBacklog =
    (typeof option === 'object' ? option.maxBacklog : undefined) ?? DEFAULT_MAX_BACKLOG;
  const maxWaitMs =
    (typeof option === 'object' ? option.maxWaitMs : undefined) ?? DEFAULT_ADMISSION_MAX_WAIT_MS;
  let opened = off;
  /** Events let in whose recording has not ended. */
  let inside = 0;
  const waiters: Waiter[] = [];
  const noop = (): void => undefined;

  const room = (): boolean => options.backlog() + inside < maxBacklog;

  const pass = (): (() => void) => {
    inside++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      inside--;
      wake();
    };
  };

  const admit = (w: Waiter, outcome: AdmissionOutcome): void => {
    if (w.timer !== undefined) clock.clearTimeout(w.timer);
    options.onWaited?.(clock.now() - w.since, outcome);
    w.resolve(pass());
  };

  function wake(): void {
    while (waiters.length > 0 && (opened || room())) {
      admit(waiters.shift() as Waiter, opened ? 'opened' : 'admitted');
    }
  }

  return {
    enter() {
      if (opened) return noop;
      if (waiters.length === 0 && room()) return pass();
      return new Promise<() => void>((resolve) => {
        const w: Waiter = { since: clock.now(), timer: undefined, resolve };
        w.timer = clock.setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i === -1) return;
          waiters.splice(i, 1);
          w.timer = undefined;
          admit(w, 'timeout');
        }, maxWaitMs);
        waiters.push(w);
      });
    },
    wake,
    open() {
      opened = true;
      wake();
    },
    waiting: () => waiters.length,
  };
}
