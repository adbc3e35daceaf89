/**
 * One turn of one dialog, in memory: actor from snapshot → re-arm durable timers → deliver the
 * event → wait until settled → collect emitted effects, the new timer set and the persisted
 * snapshot → stop the actor. The caller commits the result atomically. The only I/O is what the
 * machine invokes: its promises, and its REST calls (`fromRestCall`) through `options.rest`. Those
 * happen before the commit, so they are at-least-once: if the process dies after a call but before
 * the commit, the event is replayed and the call made again (outbox effects, committed first, are
 * sent after the commit instead).
 */
import {
  createActor,
  type AnyActorRef,
  type AnyStateMachine,
  type EventObject,
  type Snapshot,
} from 'xstate';
import type { Clock } from '../clock';
import type { BotDefinition } from '../dsl/define-bot';
import { bindRestCalls, type RestCallPerformer } from '../dsl/from-rest-call';
import { EFFECT_EVENT, type Effect, type EffectEmitted } from '../dsl/effect';
import type { DialogInput } from '../dsl/machine-events';
import type { TimerRecord } from '../store/store';
import { collectTimers, fireTimer, rearmTimers, TurnClock } from './durable-timers';
import { jsonCopy } from './json-copy';
import { TurnError } from './turn-error';
import { waitForSettled } from './wait-for-settled';

/** What the turn delivers to the machine. */
export type Delivery = { kind: 'event'; event: EventObject } | { kind: 'timer'; timerKey: string };

export interface RunTurnOptions {
  bot: BotDefinition;
  dialogKey: string;
  /** Persisted snapshot to restore; `undefined` starts a new conversation from the initial state. */
  snapshot?: unknown;
  input: DialogInput;
  /** The dialog's stored timers (re-armed when the snapshot is restored). */
  timers: readonly TimerRecord[];
  delivery: Delivery;
  now: number;
  /** Runtime clock, for the turn timeout. */
  clock: Clock;
  timeoutMs: number;
  /**
   * Performs the machine's invoked REST calls (`fromRestCall`) on the dialog's portal. Without it
   * they reject with `RestCallUnavailableError`.
   */
  rest?: RestCallPerformer;
}

export type RunTurnResult =
  | {
      status: 'ok';
      /** Persisted snapshot, or `null` when the machine reached a final state (conversation over). */
      snapshot: unknown;
      effects: Effect[];
      timers: TimerRecord[];
      /** Set when the stored snapshot could not be restored and the dialog restarted. */
      restartReason?: string;
      /** Delays of child actors that could not be made durable. */
      droppedTimers: number;
    }
  | { status: 'error'; error: TurnError; restartReason?: string };

interface Started {
  actor: AnyActorRef;
  clock: TurnClock;
  effects: Effect[];
  errors: unknown[];
}

function start(
  machine: AnyStateMachine,
  input: DialogInput,
  snapshot: unknown,
  rest: RestCallPerformer | undefined,
): Started | { restoreError: unknown } {
  const clock = new TurnClock();
  const actor = createActor(machine, {
    input,
    clock,
    ...(snapshot !== undefined ? { snapshot: snapshot as Snapshot<unknown> } : {}),
  }) as AnyActorRef;
  // Bound before start: an initial state may invoke a call at once. Invoked calls happen inside the
  // turn, before the commit (at-least-once: a crash before the commit replays the event and the call).
  if (rest) bindRestCalls({ system: actor.system, perform: rest });
  const before = actor.getSnapshot() as { status: string; error?: unknown };
  if (snapshot !== undefined && before.status === 'error') return { restoreError: before.error };
  const effects: Effect[] = [];
  const errors: unknown[] = [];
  actor.on(EFFECT_EVENT, (e: unknown) => effects.push((e as EffectEmitted).effect));
  // An error observer keeps xstate from rethrowing the machine's error as an uncaught exception.
  actor.subscribe({ error: collectInto(errors) });
  actor.start();
  return { actor, clock, effects, errors };
}

/** A listener that keeps what it gets (a returned arrow: no per-turn function naming by loaders that keep names). */
function collectInto(list: unknown[]): (value: unknown) => void {
  return (value) => {
    list.push(value);
  };
}

function failed(
  options: RunTurnOptions,
  restartReason: string | undefined,
  reason: 'error' | 'timeout',
  text: string,
  cause?: unknown,
): RunTurnResult {
  const error = new TurnError({
    dialogKey: options.dialogKey,
    botCode: options.bot.code,
    reason,
    message: text,
    cause,
  });
  return restartReason ? { status: 'error', error, restartReason } : { status: 'error', error };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs one turn and disposes of the actor, whatever happens.
 *
 * @example
 * const r = await runTurn({ bot, dialogKey, snapshot, input, timers, delivery: { kind: 'event', event: botEvent }, now, clock, timeoutMs: 10_000 });
 */
export async function runTurn(options: RunTurnOptions): Promise<RunTurnResult> {
  const { bot } = options;
  let restartReason: string | undefined;
  let started = start(bot.machine, options.input, options.snapshot, options.rest);
  if ('restoreError' in started) {
    restartReason = `stored snapshot cannot be restored: ${message(started.restoreError)}`;
    started = start(bot.machine, options.input, undefined, options.rest);
    if ('restoreError' in started)
      throw new Error('unreachable: a fresh actor has no snapshot to restore');
  }
  const fresh = options.snapshot === undefined || restartReason !== undefined;
  const { actor, clock, effects, errors } = started;
  let finished = false;
  try {
    const rearmed = rearmTimers({
      actor,
      clock,
      timers: fresh ? [] : options.timers,
      now: options.now,
    });
    const status = (actor.getSnapshot() as { status: string }).status;
    if (status === 'active') {
      if (options.delivery.kind === 'event') actor.send(options.delivery.event);
      else if (!fresh) fireTimer({ clock, rearmed, timerKey: options.delivery.timerKey });
    }
    const settled = await waitForSettled({
      actor,
      clock: options.clock,
      timeoutMs: options.timeoutMs,
    });
    if (settled === 'timeout')
      return failed(
        options,
        restartReason,
        'timeout',
        `the machine did not settle within ${options.timeoutMs} ms (invoked work still running)`,
      );
    const snap = actor.getSnapshot() as { status: string; error?: unknown };
    if (settled === 'error' || snap.status === 'error') {
      const cause = snap.error ?? errors[0];
      return failed(options, restartReason, 'error', `the machine threw: ${message(cause)}`, cause);
    }
    const done = snap.status === 'done';
    const { timers, dropped } = done
      ? { timers: [], dropped: 0 }
      : collectTimers({ actor, rearmed, now: options.now });
    // Plain JSON copies (what a JSON round trip gives), so the commit shares nothing with the machine.
    const persisted = done ? null : jsonCopy(actor.getPersistedSnapshot());
    const copied = effects.map((e) => jsonCopy<Effect>(e));
    // Settled: nothing runs in the actor tree and its clock fires nothing, so the actor is left to
    // the garbage collector; stopping it would only walk its states once more.
    finished = true;
    const result: RunTurnResult = {
      status: 'ok',
      snapshot: persisted,
      effects: copied,
      timers,
      droppedTimers: dropped,
    };
    if (restartReason) result.restartReason = restartReason;
    return result;
  } catch (e) {
    // Serialisation of the snapshot or effects failed (not JSON), or xstate threw synchronously.
    return failed(options, restartReason, 'error', `the turn failed: ${message(e)}`, e);
  } finally {
    if (!finished) actor.stop();
  }
}
