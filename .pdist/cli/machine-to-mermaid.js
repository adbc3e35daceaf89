"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.machineToMermaid = machineToMermaid;
/** Mermaid quoted text: `"` and angle brackets as entity codes, so user text cannot break the syntax. */
function quote(text) {
    return `"${text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\r?\n/g, ' ')}"`;
}
function guardLabel(guard) {
    if (guard === undefined || guard === null)
        return '';
    if (typeof guard === 'string')
        return guard;
    if (typeof guard === 'object' && typeof guard.type === 'string') {
        const { type, params } = guard;
        if (params === undefined || params === null || typeof params === 'function')
            return type;
        const shown = typeof params === 'object'
            ? Object.values(params)
                .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
                .join(', ')
            : JSON.stringify(params);
        return `${type}(${shown})`;
    }
    if (typeof guard === 'function') {
        // xstate's and()/or()/not() keep their operands in `guards`.
        const g = guard;
        if (Array.isArray(g.guards) && g.name) {
            const parts = g.guards.map(guardLabel);
            return g.name === 'not' ? `not ${parts.join(' ')}` : parts.join(` ${g.name} `);
        }
        return g.name && g.name !== 'guard' ? g.name : 'inline guard';
    }
    return 'guard';
}
/** 600000 → "10 min", 1500 → "1.5 s". */
function formatMs(ms) {
    if (ms % 3_600_000 === 0 && ms > 0)
        return `${ms / 3_600_000} h`;
    if (ms % 60_000 === 0 && ms > 0)
        return `${ms / 60_000} min`;
    return `${ms / 1000} s`;
}
function delayLabel(delay, delays) {
    if (typeof delay === 'number')
        return `after ${formatMs(delay)}`;
    if (typeof delay === 'string') {
        const value = delays[delay];
        return typeof value === 'number' ? `after ${delay} (${formatMs(value)})` : `after ${delay}`;
    }
    return 'after delay';
}
/**
 * Renders the machine as Mermaid flowchart text (without a Markdown fence).
 *
 * @example
 * const text = machineToMermaid({ machine: supportBot.machine, title: 'support v1' });
 * // flowchart TD
 * //   support__start((" ")) --> support_menu
 * //   support_menu -->|"message [asksForOperator]"| support_handoff ...
 */
function machineToMermaid(options) {
    const root = options.machine.root;
    const delays = (options.machine.implementations?.delays ?? {});
    const ids = new Map();
    const used = new Set();
    const idOf = (n, suffix = '') => {
        const key = n.id + suffix;
        let id = ids.get(key);
        if (id === undefined) {
            const base = `s_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
            id = base;
            for (let i = 2; used.has(id); i++)
                id = `${base}_${i}`;
            used.add(id);
            ids.set(key, id);
        }
        return id;
    };
    const isContainer = (n) => n.type === 'compound' || n.type === 'parallel';
    // An edge into a compound state enters it: it points at the state's start marker.
    const entryOf = (n) => (n.type === 'compound' ? idOf(n, '__start') : idOf(n));
    const sourceOf = (n) => (n === root ? idOf(n, '__any') : idOf(n));
    const lines = [`flowchart ${options.direction ?? 'TD'}`];
    if (options.title)
        lines.push(`  %% ${options.title.replace(/\r?\n/g, ' ')}`);
    const edges = [];
    let rootHandlesEvents = false;
    const edge = (from, to, label) => {
        const target = to === undefined ? from : to;
        edges.push(`  ${sourceOf(from)} -->|${quote(label)}| ${target === root ? sourceOf(root) : entryOf(target)}`);
    };
    const collectEdges = (n) => {
        const invokes = new Map(n.invoke.map((i) => [i.id, typeof i.src === 'string' ? i.src : 'actor']));
        for (const [eventType, list] of n.transitions) {
            if (eventType.startsWith('xstate.after.'))
                continue;
            for (const t of list) {
                let label = eventType;
                const done = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
                if (done)
                    label = `${done[1] === 'done' ? 'done' : 'error'}: ${invokes.get(done[2] ?? '') ?? 'actor'}`;
                const guard = guardLabel(t.guard);
                if (guard)
                    label += ` [${guard}]`;
                if (n === root)
                    rootHandlesEvents = true;
                if (!t.target || t.target.length === 0)
                    edge(n, undefined, label);
                else
                    for (const to of t.target)
                        edge(n, to, label);
            }
        }
        for (const t of n.after) {
            const guard = guardLabel(t.guard);
            const label = delayLabel(t.delay, delays) + (guard ? ` [${guard}]` : '');
            for (const to of t.target ?? [n])
                edge(n, to, label);
        }
        for (const t of n.always ?? []) {
            const guard = guardLabel(t.guard);
            for (const to of t.target ?? [n])
                edge(n, to, guard ? `always [${guard}]` : 'always');
        }
    };
    const renderNode = (n, indent) => {
        const invoked = n.invoke.map((i) => (typeof i.src === 'string' ? i.src : 'actor'));
        const text = invoked.length > 0
            ? `${quote(n.key).slice(0, -1)}<br/>invokes ${invoked.join(', ')}"`
            : quote(n.key);
        if (n.type === 'final')
            lines.push(`${indent}${idOf(n)}(((${text})))`);
        else
            lines.push(`${indent}${idOf(n)}[${text}]`);
    };
    const renderChildren = (n, indent) => {
        const initial = n.initial?.target?.[0];
        if (n.type === 'compound' && initial) {
            lines.push(`${indent}${idOf(n, '__start')}((" ")) --> ${entryOf(initial)}`);
        }
        for (const child of Object.values(n.states)) {
            if (child.type === 'history')
                continue;
            if (isContainer(child)) {
                lines.push(`${indent}subgraph ${idOf(child)} [${quote(child.type === 'parallel' ? `${child.key} (parallel)` : child.key)}]`);
                renderChildren(child, `${indent}  `);
                lines.push(`${indent}end`);
            }
            else {
                renderNode(child, indent);
            }
            collectEdges(child);
        }
    };
    renderChildren(root, '  ');
    collectEdges(root);
    if (rootHandlesEvents)
        lines.push(`  ${sourceOf(root)}{{"any state"}}`);
    return [...lines, ...edges].join('\n') + '\n';
}
