/**
 * Watches a bot's machine while the real runtime runs it: every microstep (the states it passed
 * through, transient ones included, and the transitions it took) and the latest snapshot. The
 * runtime creates a fresh actor for every turn; the wrapper hooks into each actor's system
 * through xstate's inspection API, so the runtime needs no test hooks.
 */
import type {
  AnyActorScope,
  AnyStateMachine,
  AnyTransitionDefinition,
  InspectionEvent,
  StateValue,
} from 'xstate';

/** A snapshot as the kit reports it. */
export interface ObservedSnapshot {
  value: StateValue;
  context: unknown;
  status: string;
}

/** What {@link instrumentMachine} reports. */
export interface MachineObserver {
  /** A microstep took these transitions and produced `snapshot`. */
  step(transitions: readonly AnyTransitionDefinition[], snapshot: ObservedSnapshot): void;
  /** An actor started from the initial state or a restored snapshot. */
  start(snapshot: ObservedSnapshot): void;
}

function observed(snapshot: unknown): ObservedSnapshot {
  const s = snapshot as { value: StateValue; context: unknown; status: string };
  return { value: s.value, context: s.context, status: s.status };
}

/**
 * Returns a machine that behaves exactly like `machine` and reports to `observer`.
 *
 * @example
 * const watched = instrumentMachine(bot.machine, { start: (s) => seen.push(s.value), step: (t, s) => seen.push(s.value) });
 * createActor(watched).start();
 */
export function instrumentMachine(
  machine: AnyStateMachine,
  observer: MachineObserver,
): AnyStateMachine {
  const wrapper = Object.create(machine) as AnyStateMachine;
  const attach = (scope: AnyActorScope | undefined): void => {
    const system = scope?.system as
      { inspect?: (fn: (e: InspectionEvent) => void) => unknown } | undefined;
    if (typeof system?.inspect !== 'function') return;
    system.inspect((e) => {
      if (e.type !== '@xstate.microstep' || e.actorRef !== scope?.self) return;
      observer.step(e._transitions, observed(e.snapshot));
    });
  };
  const getInitialSnapshot: AnyStateMachine['getInitialSnapshot'] = function (
    this: AnyStateMachine,
    scope,
    input,
  ) {
    attach(scope);
    const snapshot = machine.getInitialSnapshot.call(this, scope, input);
    observer.start(observed(snapshot));
    return snapshot;
  };
  const restoreSnapshot: AnyStateMachine['restoreSnapshot'] = function (
    this: AnyStateMachine,
    snapshot,
    scope,
  ) {
    attach(scope);
    const restored = machine.restoreSnapshot.call(this, snapshot, scope);
    observer.start(observed(restored));
    return restored;
  };
  Object.defineProperties(wrapper, {
    getInitialSnapshot: { value: getInitialSnapshot },
    restoreSnapshot: { value: restoreSnapshot },
  });
  return wrapper;
}
