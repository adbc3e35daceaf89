"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.machineOutline = machineOutline;
exports.activePaths = activePaths;
function guardName(guard) {
    if (guard === undefined || guard === null)
        return undefined;
    if (typeof guard === 'string')
        return guard;
    if (typeof guard === 'object' && typeof guard.type === 'string')
        return guard.type;
    if (typeof guard === 'function') {
        const g = guard;
        if (Array.isArray(g.guards) && g.name)
            return `${g.name}(${g.guards.map((x) => guardName(x) ?? '?').join(', ')})`;
        return g.name && g.name !== 'guard' ? g.name : 'guard';
    }
    return 'guard';
}
function formatMs(ms) {
    if (ms % 3_600_000 === 0 && ms > 0)
        return `${ms / 3_600_000} h`;
    if (ms % 60_000 === 0 && ms > 0)
        return `${ms / 60_000} min`;
    return `${ms / 1000} s`;
}
function labelOf(t, delays) {
    if (t.delay !== undefined) {
        const d = typeof t.delay === 'string' ? delays[t.delay] : t.delay;
        return typeof d === 'number'
            ? `after ${formatMs(d)}`
            : `after ${typeof t.delay === 'string' ? t.delay : 'a delay'}`;
    }
    if (t.eventType === '')
        return 'always';
    const done = /^xstate\.done\.actor\.(.+)$/.exec(t.eventType);
    if (done)
        return `done: ${done[1]}`;
    const error = /^xstate\.error\.actor\.(.+)$/.exec(t.eventType);
    if (error)
        return `error: ${error[1]}`;
    return t.eventType;
}
/**
 * The outline of a machine.
 *
 * @example
 * const outline = machineOutline(supportBot.machine);
 * outline.children.map((s) => s.key) // ['menu', 'askOrder', ...]
 */
function machineOutline(machine) {
    const delays = (machine.implementations?.delays ?? {});
    const visit = (n) => {
        const transitions = [];
        const add = (t) => {
            const guard = guardName(t.guard);
            transitions.push({
                label: labelOf(t, delays),
                ...(guard !== undefined ? { guard } : {}),
                targets: (t.target ?? []).map((x) => x.path.join('.')),
            });
        };
        const afterEvents = new Set(n.after.map((t) => t.eventType));
        for (const [event, list] of n.transitions)
            if (!afterEvents.has(event))
                for (const t of list)
                    add(t);
        for (const t of n.after)
            add(t);
        for (const t of n.always ?? [])
            add({ ...t, eventType: '' });
        const initial = n.initial?.target[0]?.key;
        return {
            path: n.path.join('.'),
            key: n.key,
            type: n.type,
            ...(initial !== undefined ? { initial } : {}),
            invokes: n.invoke.map((i) => (typeof i.src === 'string' ? i.src : i.id)),
            transitions,
            children: Object.values(n.states).map(visit),
        };
    };
    return visit(machine.root);
}
/**
 * The paths of the active states of a persisted state value, outermost first.
 *
 * @example
 * activePaths({ handoff: 'waiting' }) // ['handoff', 'handoff.waiting']
 */
function activePaths(value, prefix = '') {
    if (typeof value === 'string')
        return [prefix ? `${prefix}.${value}` : value];
    if (typeof value !== 'object' || value === null)
        return [];
    const out = [];
    for (const [k, v] of Object.entries(value)) {
        const path = prefix ? `${prefix}.${k}` : k;
        out.push(path, ...activePaths(v, path));
    }
    return out;
}
