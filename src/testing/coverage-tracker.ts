/**
 * Records which states and transitions of a bot's machine one test chat visited, from the
 * microsteps {@link instrumentMachine} reports.
 */
import type { AnyStateMachine, AnyTransitionDefinition, StateValue } from 'xstate';
import type { CoverageRecord } from './coverage-data';
import { machineGraph, type MachineGraph } from './machine-graph';
import type { MachineObserver } from './instrument-machine';

/** What one chat covered. */
export interface CoverageTracker {
  readonly observer: MachineObserver;
  readonly visitedStates: ReadonlySet<string>;
  readonly visitedTransitions: ReadonlySet<string>;
  /** The chat's coverage as a file record. */
  record(): CoverageRecord;
}

const graphs = new WeakMap<AnyStateMachine, MachineGraph>();

/**
 * The static graph of a machine, computed once per machine.
 *
 * @example
 * graphOf(bot.machine).states.length;
 */
export function graphOf(machine: AnyStateMachine): MachineGraph {
  let g = graphs.get(machine);
  if (!g) graphs.set(machine, (g = machineGraph(machine)));
  return g;
}

/**
 * Every state key a state value stands for, ancestors included: `{ order: 'waiting' }` →
 * `order`, `order.waiting`.
 *
 * @example
 * stateKeysOf({ order: 'waiting' }); // ['order', 'order.waiting']
 */
export function stateKeysOf(value: StateValue, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  return Object.entries(value).flatMap(([k, v]) => [
    `${prefix}${k}`,
    ...(v === undefined ? [] : stateKeysOf(v, `${prefix}${k}.`)),
  ]);
}

/**
 * Starts tracking the coverage of `machine` for bot `botCode`.
 *
 * @example
 * const tracker = createCoverageTracker({ botCode: bot.code, machine: bot.machine });
 * const watched = instrumentMachine(bot.machine, tracker.observer);
 */
export function createCoverageTracker(options: {
  botCode: string;
  machine: AnyStateMachine;
}): CoverageTracker {
  const graph = graphOf(options.machine);
  const visitedStates = new Set<string>();
  const visitedTransitions = new Set<string>();
  const seeState = (value: StateValue) => {
    for (const k of stateKeysOf(value)) if (graph.stateByKey.has(k)) visitedStates.add(k);
  };
  const observer: MachineObserver = {
    start: (s) => seeState(s.value),
    step(transitions: readonly AnyTransitionDefinition[], s) {
      seeState(s.value);
      for (const t of transitions) {
        const known = graph.byDefinition.get(t);
        if (known) visitedTransitions.add(known.key);
      }
    },
  };
  return {
    observer,
    visitedStates,
    visitedTransitions,
    record: () => ({
      bot: options.botCode,
      states: graph.states.map((s) => s.key),
      transitions: graph.transitions.map((t) => ({ key: t.key, label: t.label })),
      visitedStates: [...visitedStates],
      visitedTransitions: [...visitedTransitions],
    }),
  };
}
