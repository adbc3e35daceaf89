"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.graphOf = graphOf;
exports.stateKeysOf = stateKeysOf;
exports.createCoverageTracker = createCoverageTracker;
const machine_graph_1 = require("./machine-graph");
const graphs = new WeakMap();
/**
 * The static graph of a machine, computed once per machine.
 *
 * @example
 * graphOf(bot.machine).states.length;
 */
function graphOf(machine) {
    let g = graphs.get(machine);
    if (!g)
        graphs.set(machine, (g = (0, machine_graph_1.machineGraph)(machine)));
    return g;
}
/**
 * Every state key a state value stands for, ancestors included: `{ order: 'waiting' }` →
 * `order`, `order.waiting`.
 *
 * @example
 * stateKeysOf({ order: 'waiting' }); // ['order', 'order.waiting']
 */
function stateKeysOf(value, prefix = '') {
    if (typeof value === 'string')
        return [`${prefix}${value}`];
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
function createCoverageTracker(options) {
    const graph = graphOf(options.machine);
    const visitedStates = new Set();
    const visitedTransitions = new Set();
    const seeState = (value) => {
        for (const k of stateKeysOf(value))
            if (graph.stateByKey.has(k))
                visitedStates.add(k);
    };
    const observer = {
        start: (s) => seeState(s.value),
        step(transitions, s) {
            seeState(s.value);
            for (const t of transitions) {
                const known = graph.byDefinition.get(t);
                if (known)
                    visitedTransitions.add(known.key);
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
