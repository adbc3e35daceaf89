"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.missingImplementations = missingImplementations;
exports.describeMissing = describeMissing;
const PLURAL = {
    action: 'actions',
    guard: 'guards',
    delay: 'delays',
    actor: 'actors',
};
function stateName(node) {
    return node.path.length === 0 ? '(machine)' : node.path.join('.');
}
/** The name of an action or guard reference, when it is one (xstate built-ins excluded). */
function referenceName(ref) {
    if (typeof ref === 'string')
        return ref.startsWith('xstate.') ? undefined : ref;
    if (typeof ref === 'object' && ref !== null) {
        const type = ref.type;
        if (typeof type === 'string' && !type.startsWith('xstate.'))
            return type;
    }
    return undefined;
}
/** Named guards inside a guard, higher-order ones (`and`, `or`, `not`) included. */
function guardNames(guard, out, depth = 0) {
    if (guard === undefined || guard === null || depth > 16)
        return;
    const name = referenceName(guard);
    if (name !== undefined && typeof guard !== 'function') {
        out.push(name);
        return;
    }
    const inner = guard.guards;
    if (Array.isArray(inner))
        for (const g of inner)
            guardNames(g, out, depth + 1);
}
function actionNames(actions, out) {
    if (!Array.isArray(actions))
        return;
    for (const a of actions) {
        if (typeof a === 'function')
            continue;
        const name = referenceName(a);
        if (name !== undefined)
            out.push(name);
    }
}
function walk(node, visit) {
    visit(node);
    for (const child of Object.values(node.states ?? {}))
        walk(child, visit);
}
/**
 * Every action, guard, delay and actor the machine names but does not define, in document order,
 * each name once per kind.
 *
 * @example
 * const missing = missingImplementations(machine);
 * // [{ kind: 'action', name: 'sayHelo', state: 'greeting' }]
 */
function missingImplementations(machine) {
    const impl = (machine.implementations ?? {});
    const found = [];
    const seen = new Set();
    const check = (kind, name, node) => {
        if (impl[PLURAL[kind]]?.[name] !== undefined)
            return;
        const key = `${kind}:${name}`;
        if (seen.has(key))
            return;
        seen.add(key);
        found.push({ kind, name, state: stateName(node) });
    };
    walk(machine.root, (node) => {
        const actions = [];
        actionNames(node.entry, actions);
        actionNames(node.exit, actions);
        const guards = [];
        const transitions = [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
        for (const t of transitions) {
            actionNames(t.actions, actions);
            guardNames(t.guard, guards);
        }
        for (const name of actions)
            check('action', name, node);
        for (const name of guards)
            check('guard', name, node);
        for (const a of node.after ?? []) {
            if (typeof a.delay === 'string' && !/^\d+$/.test(a.delay))
                check('delay', a.delay, node);
        }
        for (const inv of node.invoke ?? []) {
            const src = inv.src;
            // Inline logic gets a generated `xstate.invoke.<n>.<id>` name that xstate resolves itself.
            if (typeof src === 'string' && !src.startsWith('xstate.'))
                check('actor', src, node);
        }
    });
    return found;
}
/**
 * One line per missing name, for error messages.
 *
 * @example
 * describeMissing({ kind: 'guard', name: 'isOrdr', state: 'menu' });
 * // 'guard "isOrdr" (used in "menu") is not defined: add it to setup({ guards: { isOrdr: ... } }) or fix the name'
 */
function describeMissing(m) {
    return `${m.kind} "${m.name}" (used in "${m.state}") is not defined: add it to setup({ ${PLURAL[m.kind]}: { ${m.name}: ... } }) or fix the name`;
}
