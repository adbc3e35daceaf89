/**
 * A bot's machine as plain JSON for the inspector's diagram: every state (nested), its type, its
 * initial child, and its transitions (event, `after` delay, `always`, invoke done/error) with
 * guard names and target paths. The browser draws it; nothing here runs the machine.
 */
import type { AnyStateMachine } from 'xstate';

/** One state of the outline. `path` is the dot-joined state keys from the root ('' for the root). */
export interface OutlineState {
  path: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  initial?: string;
  invokes: string[];
  transitions: OutlineTransition[];
  children: OutlineState[];
}

export interface OutlineTransition {
  /** What triggers it: an event type, `after 10 min`, `always`, `done: lookup`, `error: lookup`. */
  label: string;
  guard?: string;
  /** Target state paths; empty for a targetless (internal) transition. */
  targets: string[];
}

/** The parts of xstate's `StateNode` read here (public properties, typed loosely on purpose). */
interface Node {
  key: string;
  path: string[];
  type: OutlineState['type'];
  states: Record<string, Node>;
  initial?: { target: Node[] };
  transitions: Map<string, Transition[]>;
  after: Transition[];
  always?: Transition[];
  invoke: Array<{ id: string; src: unknown }>;
}

interface Transition {
  eventType: string;
  target?: Node[];
  guard?: unknown;
  delay?: unknown;
}

function guardName(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string')
    return (guard as { type: string }).type;
  if (typeof guard === 'function') {
    const g = guard as { name?: string; guards?: unknown[] };
    if (Array.isArray(g.guards) && g.name)
      return `${g.name}(${g.guards.map((x) => guardName(x) ?? '?').join(', ')})`;
    return g.name && g.name !== 'guard' ? g.name : 'guard';
  }
  return 'guard';
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

function labelOf(t: Transition, delays: Record<string, unknown>): string {
  if (t.delay !== undefined) {
    const d = typeof t.delay === 'string' ? delays[t.delay] : t.delay;
    return typeof d === 'number'
      ? `after ${formatMs(d)}`
      : `after ${typeof t.delay === 'string' ? t.delay : 'a delay'}`;
  }
  if (t.eventType === '') return 'always';
  const done = /^xstate\.done\.actor\.(.+)$/.exec(t.eventType);
  if (done) return `done: ${done[1]}`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(t.eventType);
  if (error) return `error: ${error[1]}`;
  return t.eventType;
}

/**
 * The outline of a machine.
 *
 * @example
 * const outline = machineOutline(supportBot.machine);
 * outline.children.map((s) => s.key) // ['menu', 'askOrder', ...]
 */
export function machineOutline(machine: AnyStateMachine): OutlineState {
  const delays = (machine.implementations?.delays ?? {}) as Record<string, unknown>;
  const visit = (n: Node): OutlineState => {
    const transitions: OutlineTransition[] = [];
    const add = (t: Transition): void => {
      const guard = guardName(t.guard);
      transitions.push({
        label: labelOf(t, delays),
        ...(guard !== undefined ? { guard } : {}),
        targets: (t.target ?? []).map((x) => x.path.join('.')),
      });
    };
    const afterEvents = new Set(n.after.map((t) => t.eventType));
    for (const [event, list] of n.transitions)
      if (!afterEvents.has(event)) for (const t of list) add(t);
    for (const t of n.after) add(t);
    for (const t of n.always ?? []) add({ ...t, eventType: '' });
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
  return visit(machine.root as unknown as Node);
}

/**
 * The paths of the active states of a persisted state value, outermost first.
 *
 * @example
 * activePaths({ handoff: 'waiting' }) // ['handoff', 'handoff.waiting']
 */
export function activePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  if (typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.push(path, ...activePaths(v, path));
  }
  return out;
}
