"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROOT_KEY = void 0;
exports.stateKeyOf = stateKeyOf;
exports.eventLabel = eventLabel;
exports.machineGraph = machineGraph;
exports.enteredAtomicStates = enteredAtomicStates;
exports.selfAndAncestors = selfAndAncestors;
/** Label of the root in reports. */
exports.ROOT_KEY = '(machine)';
/**
 * The key of a state node: its path below the root, dotted.
 *
 * @example
 * stateKeyOf(machine.root.states.order.states.waiting); // 'order.waiting'
 */
function stateKeyOf(node) {
    return node.path.length === 0 ? exports.ROOT_KEY : node.path.join('.');
}
function guardName(guard, index) {
    if (typeof guard === 'string')
        return guard;
    if (typeof guard === 'function')
        return guard.name && guard.name !== 'guard' ? guard.name : `guard #${index + 1}`;
    const type = guard?.type;
    return typeof type === 'string' ? type : `guard #${index + 1}`;
}
/**
 * A readable name for an xstate event type: `after idle`, `always`, `done lookupOrder`, `message`.
 *
 * @example
 * eventLabel('xstate.after.idle.support.menu', node); // 'after idle'
 */
function eventLabel(eventType, node) {
    if (eventType === '')
        return 'always';
    const after = /^xstate\.after\.(.+)\.[^.]*$/.exec(eventType);
    if (after && eventType.endsWith(`.${node.id}`)) {
        const delay = eventType.slice('xstate.after.'.length, -(node.id.length + 1));
        return `after ${/^\d+$/.test(delay) ? `${delay} ms` : delay}`;
    }
    const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
    if (actor) {
        const invoke = node.invoke.find((i) => i.id === actor[2]);
        const src = invoke && typeof invoke.src === 'string' ? invoke.src : 'invoked actor';
        return `${actor[1]} ${src}`;
    }
    if (eventType.startsWith('xstate.done.state.'))
        return 'done';
    return eventType;
}
function transitionsOf(node) {
    const lists = [...node.transitions.values()];
    if (node.always)
        lists.push(node.always);
    return lists;
}
/**
 * Reads the static graph of a machine.
 *
 * @example
 * const graph = machineGraph(bot.machine);
 * graph.states.map((s) => s.key); // ['menu', 'order', 'order.waiting', ...]
 */
function machineGraph(machine) {
    const states = [];
    const transitions = [];
    const byDefinition = new Map();
    const visit = (node) => {
        if (node !== machine.root && node.type !== 'history') {
            const parent = node.parent && node.parent !== machine.root ? stateKeyOf(node.parent) : undefined;
            states.push({
                key: stateKeyOf(node),
                type: node.type,
                node,
                ...(parent !== undefined ? { parent } : {}),
                ending: node.type === 'final' && node.parent === machine.root,
            });
        }
        for (const list of transitionsOf(node)) {
            list.forEach((t, index) => {
                const source = stateKeyOf(node);
                const eventType = t.eventType;
                const targets = (t.target ?? []).map(stateKeyOf);
                const guard = t.guard === undefined ? '' : ` [${guardName(t.guard, index)}]`;
                const to = targets.length > 0 ? targets.join(', ') : '(stays)';
                const entry = {
                    key: `${source}|${eventType}|${index}`,
                    source,
                    eventType,
                    targets,
                    guarded: t.guard !== undefined,
                    label: `${source} → ${to} on ${eventLabel(eventType, node)}${guard}`,
                    definition: t,
                };
                transitions.push(entry);
                byDefinition.set(t, entry);
            });
        }
        for (const child of Object.values(node.states))
            visit(child);
    };
    visit(machine.root);
    return {
        machine,
        states,
        transitions,
        stateByKey: new Map(states.map((s) => [s.key, s])),
        byDefinition,
    };
}
/**
 * The atomic states entered when `node` is the target of a transition: a compound state enters
 * its initial child, a parallel state all of its regions, a history state its parent's initial
 * state.
 *
 * @example
 * enteredAtomicStates(machine.root.states.order); // [order.waiting node]
 */
function enteredAtomicStates(node) {
    const out = [];
    const enter = (n, depth) => {
        if (depth > 100)
            return;
        if (n.type === 'history') {
            // History returns to states that were active before, so their parent's initial state is
            // the one new state it can lead to.
            for (const t of n.parent?.initial?.target ?? [])
                enter(t, depth + 1);
            return;
        }
        if (n.type === 'compound') {
            for (const t of n.initial?.target ?? [])
                enter(t, depth + 1);
            return;
        }
        if (n.type === 'parallel') {
            for (const child of Object.values(n.states))
                enter(child, depth + 1);
            return;
        }
        out.push(n);
    };
    enter(node, 0);
    return out;
}
/**
 * `node` and its ancestors up to (without) the root: the nodes whose transitions apply while
 * `node` is active.
 *
 * @example
 * selfAndAncestors(waitingNode).map(stateKeyOf); // ['order.waiting', 'order']
 */
function selfAndAncestors(node, options = {}) {
    const out = [];
    for (let n = node; n; n = n.parent) {
        if (n === n.machine.root && !options.withRoot)
            break;
        out.push(n);
    }
    return out;
}
