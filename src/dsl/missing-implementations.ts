/**
 * Names a machine refers to but does not define: actions, guards, delays and actors given by
 * name (`'sendGreeting'`, `{ type: 'sendGreeting' }`, `guard: 'isOrder'`, `after: { idle: ... }`,
 * `invoke: { src: 'lookup' }`) with no entry in `setup({ actions, guards, delays, actors })` or
 * `machine.provide(...)`. xstate ignores an unknown action silently and fails on the others only
 * when the state is entered; `defineBot` and `checkFlow` report them before the bot runs.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** What kind of implementation a name refers to. */
export type ImplementationKind = 'action' | 'guard' | 'delay' | 'actor';

/** One name used by the machine and defined nowhere. */
export interface MissingImplementation {
  kind: ImplementationKind;
  name: string;
  /** Dotted path of the state that uses it (`(machine)` for the root). */
  state: string;
}

const PLURAL: Record<ImplementationKind, 'actions' | 'guards' | 'delays' | 'actors'> = {
  action: 'actions',
  guard: 'guards',
  delay: 'delays',
  actor: 'actors',
};

function stateName(node: AnyStateNode): string {
  return node.path.length === 0 ? '(machine)' : node.path.join('.');
}

/** The name of an action or guard reference, when it is one (xstate built-ins excluded). */
function referenceName(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref.startsWith('xstate.') ? undefined : ref;
  if (typeof ref === 'object' && ref !== null) {
    const type = (ref as { type?: unknown }).type;
    if (typeof type === 'string' && !type.startsWith('xstate.')) return type;
  }
  return undefined;
}

/** Named guards inside a guard, higher-order ones (`and`, `or`, `not`) included. */
function guardNames(guard: unknown, out: string[], depth = 0): void {
  if (guard === undefined || guard === null || depth > 16) return;
  const name = referenceName(guard);
  if (name !== undefined && typeof guard !== 'function') {
    out.push(name);
    return;
  }
  const inner = (guard as { guards?: unknown }).guards;
  if (Array.isArray(inner)) for (const g of inner) guardNames(g, out, depth + 1);
}

function actionNames(actions: unknown, out: string[]): void {
  if (!Array.isArray(actions)) return;
  for (const a of actions) {
    if (typeof a === 'function') continue;
    const name = referenceName(a);
    if (name !== undefined) out.push(name);
  }
}

function walk(node: AnyStateNode, visit: (node: AnyStateNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states ?? {})) walk(child as AnyStateNode, visit);
}

/**
 * Every action, guard, delay and actor the machine names but does not define, in document order,
 * each name once per kind.
 *
 * @example
 * const missing = missingImplementations(machine);
 * // [{ kind: 'action', name: 'sayHelo', state: 'greeting' }]
 */
export function missingImplementations(machine: AnyStateMachine): MissingImplementation[] {
  const impl = (machine.implementations ?? {}) as unknown as Record<
    string,
    Record<string, unknown> | undefined
  >;
  const found: MissingImplementation[] = [];
  const seen = new Set<string>();
  const check = (kind: ImplementationKind, name: string, node: AnyStateNode): void => {
    if (impl[PLURAL[kind]]?.[name] !== undefined) return;
    const key = `${kind}:${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ kind, name, state: stateName(node) });
  };
  walk(machine.root, (node) => {
    const actions: string[] = [];
    actionNames(node.entry, actions);
    actionNames(node.exit, actions);
    const guards: string[] = [];
    const transitions = [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
    for (const t of transitions) {
      actionNames(t.actions, actions);
      guardNames(t.guard, guards);
    }
    for (const name of actions) check('action', name, node);
    for (const name of guards) check('guard', name, node);
    for (const a of node.after ?? []) {
      if (typeof a.delay === 'string' && !/^\d+$/.test(a.delay)) check('delay', a.delay, node);
    }
    for (const inv of node.invoke ?? []) {
      const src = (inv as { src?: unknown }).src;
      // Inline logic gets a generated `xstate.invoke.<n>.<id>` name that xstate resolves itself.
      if (typeof src === 'string' && !src.startsWith('xstate.')) check('actor', src, node);
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
export function describeMissing(m: MissingImplementation): string {
  return `${m.kind} "${m.name}" (used in "${m.state}") is not defined: add it to setup({ ${PLURAL[m.kind]}: { ${m.name}: ... } }) or fix the name`;
}
