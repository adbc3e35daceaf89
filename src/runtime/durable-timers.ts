/**
 * Durable xstate delays (ARCHITECTURE invariant 5). xstate keeps delayed events (`after`,
 * `raise`/`sendTo` with a delay) in its system scheduler and does not restore them from a
 * persisted snapshot (statelyai/xstate#5331). So every turn's actor gets a {@link TurnClock} whose
 * timeouts never fire by themselves; before the event is sent, the dialog's stored timers are put
 * back into the scheduler (so that leaving a state cancels them through xstate's own `cancel`), and
 * after the turn the scheduler's remaining entries are the dialog's new timer set, with absolute
 * deadlines. A stored timer that is due reaches the machine through the dialog's mailbox: its
 * scheduler callback is run by {@link fireTimer}, exactly as xstate would have run it.
 *
 * Limitation: only delays scheduled by the root machine are durable (targeting itself or a direct
 * child). Delays scheduled inside invoked/spawned child machines are dropped at the end of the turn.
 */
import type { ActorOptions, AnyActorLogic, AnyActorRef, EventObject } from 'xstate';
import type { TimerRecord } from '../store/store';
import { jsonCopy } from './json-copy';

type XstateClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/** The xstate clock of one turn: records timeouts, fires one only when asked. */
export class TurnClock implements XstateClock {
  private next = 1;
  private readonly pending = new Map<number, () => void>();
  /** The handle returned by the last `setTimeout` (the scheduler calls it synchronously). */
  last: number | undefined;

  setTimeout(fn: () => void): number {
    const handle = this.next++;
    this.pending.set(handle, fn);
    this.last = handle;
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Runs a recorded timeout now; false when it was cleared meanwhile. */
  fire(handle: number): boolean {
    const fn = this.pending.get(handle);
    if (!fn) return false;
    this.pending.delete(handle);
    fn();
    return true;
  }
}

/** What {@link rearmTimers} put back, to tell kept timers from new ones afterwards. */
export interface Rearmed {
  /** Scheduler entry object → the stored record it came from. */
  entries: Map<object, TimerRecord>;
  /** Timer key → the turn clock handle that fires it. */
  handles: Map<string, number>;
}

interface TimerMeta {
  /** Id of the direct child the event is for; absent for the root machine itself. */
  target?: string;
}

function scheduled(
  actor: AnyActorRef,
): Record<
  string,
  { id: string; event: EventObject; delay: number; source: AnyActorRef; target: AnyActorRef }
> {
  // The system keeps its live table in `_snapshot`; `getSnapshot()` copies the whole table on
  // every call (read-only use here; the copy is the fallback should xstate move it).
  const live = (actor.system as { _snapshot?: { _scheduledEvents?: object } })._snapshot
    ?._scheduledEvents;
  return (live ?? actor.system.getSnapshot()._scheduledEvents) as ReturnType<typeof scheduled>;
}

/**
 * Puts the dialog's stored timers back into the started actor's scheduler. Timers whose target
 * child no longer exists are skipped (they could never be delivered).
 *
 * @example
 * const rearmed = rearmTimers({ actor, clock: turnClock, timers: record.timers, now });
 */
export function rearmTimers(options: {
  actor: AnyActorRef;
  clock: TurnClock;
  timers: readonly TimerRecord[];
  now: number;
}): Rearmed {
  const { actor, clock } = options;
  const rearmed: Rearmed = { entries: new Map(), handles: new Map() };
  for (const timer of options.timers) {
    const targetId = (timer.meta as TimerMeta | undefined)?.target;
    const target =
      targetId === undefined
        ? actor
        : (actor.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> })
            .children?.[targetId];
    if (!target) continue;
    clock.last = undefined;
    actor.system.scheduler.schedule(
      actor,
      target,
      timer.event as EventObject,
      Math.max(0, timer.deadline - options.now),
      timer.timerKey,
    );
    const entry = scheduled(actor)[`${actor.sessionId}.${timer.timerKey}`];
    if (entry && clock.last !== undefined) {
      rearmed.entries.set(entry, timer);
      rearmed.handles.set(timer.timerKey, clock.last);
    }
  }
  return rearmed;
}

/**
 * Delivers a re-armed timer's event the way xstate's scheduler does; false when the timer was not re-armed.
 *
 * @example
 * if (!fireTimer({ clock: turnClock, rearmed, timerKey })) logger.debug('stale timer');
 */
export function fireTimer(options: {
  clock: TurnClock;
  rearmed: Rearmed;
  timerKey: string;
}): boolean {
  const handle = options.rearmed.handles.get(options.timerKey);
  return handle !== undefined && options.clock.fire(handle);
}

/**
 * The dialog's timer set after the turn: kept timers keep their stored deadline (and `fired` flag),
 * new ones get `now + delay`.
 *
 * @example
 * const timers = collectTimers({ actor, rearmed, now });
 */
export function collectTimers(options: { actor: AnyActorRef; rearmed: Rearmed; now: number }): {
  timers: TimerRecord[];
  dropped: number;
} {
  const { actor } = options;
  const timers: TimerRecord[] = [];
  let dropped = 0;
  const children =
    (actor.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> }).children ?? {};
  for (const entry of Object.values(scheduled(actor))) {
    if (entry.source !== actor) {
      dropped += 1;
      continue;
    }
    const kept = options.rearmed.entries.get(entry);
    if (kept) {
      timers.push(kept);
      continue;
    }
    let meta: TimerMeta | undefined;
    if (entry.target !== actor) {
      if (children[entry.target.id] !== entry.target) {
        dropped += 1;
        continue;
      }
      meta = { target: entry.target.id };
    }
    const record: TimerRecord = {
      timerKey: entry.id,
      deadline: options.now + entry.delay,
      event: jsonCopy(entry.event),
    };
    if (meta) record.meta = meta;
    timers.push(record);
  }
  return { timers, dropped };
}
