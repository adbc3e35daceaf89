"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkFlow = checkFlow;
const missing_implementations_1 = require("../dsl/missing-implementations");
const machine_graph_1 = require("./machine-graph");
const KIND_ORDER = {
    unreachable: 0,
    'dead-end': 1,
    silent: 2,
    'no-timeout': 3,
    'missing-implementation': 4,
};
function transitionsOf(node) {
    return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}
/** Transitions that apply while `node` is active: its own and its ancestors', the root's included. */
function available(node) {
    return (0, machine_graph_1.selfAndAncestors)(node, { withRoot: true }).flatMap(transitionsOf);
}
function reachableNodes(machine) {
    const marked = new Set();
    const queue = [];
    const mark = (node) => {
        for (const n of (0, machine_graph_1.selfAndAncestors)(node, { withRoot: true })) {
            if (!marked.has(n)) {
                marked.add(n);
                queue.push(n);
            }
        }
    };
    const enter = (target) => {
        mark(target);
        for (const atomic of (0, machine_graph_1.enteredAtomicStates)(target))
            mark(atomic);
    };
    enter(machine.root);
    for (let i = 0; i < queue.length; i++) {
        for (const t of transitionsOf(queue[i]))
            for (const target of t.target ?? [])
                enter(target);
    }
    return marked;
}
/** The atomic states each transition available in `node` can lead to. */
function successors(node) {
    return available(node).flatMap((t) => (t.target ?? []).flatMap(machine_graph_1.enteredAtomicStates));
}
function isUnguardedHandler(t) {
    const doesSomething = (t.target?.length ?? 0) > 0 || t.actions.length > 0 || t.reenter;
    return t.guard === undefined && doesSomething;
}
function waitingProblems(state) {
    const transitions = available(state.node);
    // An unguarded `always` moves on at once: the dialog never rests here.
    if (transitions.some((t) => t.eventType === '' && t.guard === undefined))
        return [];
    // A state that invokes work waits for that work (its onDone/onError), not for the client.
    if ((state.node.invoke ?? []).length > 0)
        return [];
    const problems = [];
    const onMessage = transitions.filter((t) => t.eventType === 'message' || t.eventType === '*');
    if (!onMessage.some(isUnguardedHandler)) {
        problems.push({
            kind: 'silent',
            state: state.key,
            message: onMessage.length === 0
                ? `"${state.key}" waits for the client but has no \`message\` transition: whatever the client writes, the bot says nothing. Add a \`message\` transition (at least a fallback reply).`
                : `"${state.key}" waits for the client but every \`message\` transition has a guard: text none of them expects gets no answer. End the list with an unguarded \`message\` transition (a fallback reply).`,
        });
    }
    if (!transitions.some((t) => t.eventType.startsWith('xstate.after.'))) {
        problems.push({
            kind: 'no-timeout',
            state: state.key,
            message: `"${state.key}" waits for the client with no idle timeout: a client who goes quiet keeps the dialog open forever. Add an \`after\` delay (e.g. close the session after 10 minutes).`,
        });
    }
    return problems;
}
function flowProblems(graph) {
    const problems = [];
    const reachable = reachableNodes(graph.machine);
    for (const s of graph.states) {
        const parentUnreachable = s.parent !== undefined && !reachable.has(graph.stateByKey.get(s.parent).node);
        if (!reachable.has(s.node) && !parentUnreachable) {
            problems.push({
                kind: 'unreachable',
                state: s.key,
                message: `"${s.key}" is unreachable: no transition leads to it (check the targets that should, and their spelling).`,
            });
        }
    }
    const resting = graph.states.filter((s) => reachable.has(s.node) && !s.ending && (s.type === 'atomic' || s.type === 'final'));
    const next = new Map(resting.map((s) => [s.node, successors(s.node)]));
    // Which states can still end the conversation: walk backwards from the top-level final states.
    const endings = graph.states.filter((s) => s.ending).map((s) => s.node);
    const canEnd = new Set(endings);
    for (let changed = true, rounds = 0; changed && rounds < graph.states.length + 1; rounds++) {
        changed = false;
        for (const [node, succ] of next) {
            if (!canEnd.has(node) && succ.some((n) => canEnd.has(n))) {
                canEnd.add(node);
                changed = true;
            }
        }
    }
    for (const s of resting) {
        const succ = next.get(s.node) ?? [];
        if (!succ.some((n) => n !== s.node)) {
            problems.push({
                kind: 'dead-end',
                state: s.key,
                message: `"${s.key}" is a dead end: it is not a final state and nothing leads out of it. Add a way out (an \`after\` timeout, a hand-off) or make it \`type: 'final'\`.`,
            });
        }
        else if (endings.length > 0 && !canEnd.has(s.node)) {
            problems.push({
                kind: 'dead-end',
                state: s.key,
                message: `"${s.key}" has no way out: every path from it loops back without ever reaching a final state.`,
            });
        }
        if (s.type === 'atomic')
            problems.push(...waitingProblems(s));
    }
    for (const m of (0, missing_implementations_1.missingImplementations)(graph.machine)) {
        problems.push({ kind: 'missing-implementation', state: m.state, message: (0, missing_implementations_1.describeMissing)(m) });
    }
    const order = new Map(graph.states.map((s, i) => [s.key, i]));
    return problems.sort((a, b) => (order.get(a.state) ?? 0) - (order.get(b.state) ?? 0) ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}
function machineOf(target) {
    const candidate = target.machine ?? target;
    if (typeof candidate !== 'object' || candidate === null || typeof candidate.root !== 'object') {
        throw new TypeError('checkFlow needs a bot from defineBot(...) or an xstate machine');
    }
    return candidate;
}
/**
 * Reviews a bot's flow without running it. Reports unreachable states, dead ends (non-final
 * states with no way out, or no path to a final state), silent waiting states (no unguarded
 * `message` transition, so unexpected text gets no reply), waiting states without an idle
 * timeout (`after`) and actions, guards, delays or actors the machine names but does not define.
 * A state that invokes work (e.g. `fromRestCall`) waits for it, not for the client. Guards are not evaluated: every transition counts as possible.
 *
 * @example
 * const report = checkFlow(supportBot);
 * expect(report.problems).toEqual([]); // a failure lists every problem with its state
 */
function checkFlow(bot, options = {}) {
    const graph = (0, machine_graph_1.machineGraph)(machineOf(bot));
    const ignore = options.ignore ?? [];
    const problems = flowProblems(graph).filter((p) => !ignore.some((i) => i.kind === p.kind && (i.state === undefined || i.state === p.state)));
    return { ok: problems.length === 0, problems };
}
