/**
 * A static view of a bot's machine, read from xstate's state nodes (`machine.root`): every state
 * and every transition (events, `after` delays, `always`, invoke done/error), with stable keys
 * and readable labels. `checkFlow` analyses it; path coverage counts against it. Pure code, so
 * the test kit needs no graph library at run time.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** One state node (the machine's root is not listed). */
export interface GraphState {
  /** Dotted path below the root, e.g. `order.waiting`: what `chat.state` values and reports use. */
  key: string;
  type: AnyStateNode['type'];
  node: AnyStateNode;
  /** Key of the parent state; undefined for top-level states. */
  parent?: string;
  /** A final state directly under the root: the conversation ends there. */
  ending: boolean;
}

/** One transition of one state node. */
export interface GraphTransition {
  /** Stable across processes: `<source>|<event>|<index>`. */
  key: string;
  /** Key of the source state (`(machine)` for transitions on the root). */
  source: string;
  /** xstate event type; `''` for `always`. */
  eventType: string;
  /** Keys of the target states; empty for a transition that only runs actions. */
  targets: string[];
  guarded: boolean;
  /** e.g. `menu → handoff on message [asksForOperator]`. */
  label: string;
  definition: AnyTransitionDefinition;
}

/** The static graph of a machine. */
export interface MachineGraph {
  machine: AnyStateMachine;
  /** Document order. */
  states: GraphState[];
  transitions: GraphTransition[];
  stateByKey: Map<string, GraphState>;
  /** The graph transition of an xstate transition definition (xstate reuses the same objects at run time). */
  byDefinition: Map<AnyTransitionDefinition, GraphTransition>;
}

/** Label of the root in reports. */
export const ROOT_KEY = '(machine)';

/**
 * The key of a state node: its path below the root, dotted.
 *
 * @example
 * stateKeyOf(machine.root.states.order.states.waiting); // 'order.waiting'
 */
export function stateKeyOf(node: AnyStateNode): string {
  return node.path.length === 0 ? ROOT_KEY : node.path.join('.');
}

function guardName(guard: unknown, index: number): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function')
    return guard.name && guard.name !== 'guard' ? guard.name : `guard #${index + 1}`;
  const type = (guard as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : `guard #${index + 1}`;
}

/**
 * A readable name for an xstate event type: `after idle`, `always`, `done lookupOrder`, `message`.
 *
 * @example
 * eventLabel('xstate.after.idle.support.menu', node); // 'after idle'
 */
export function eventLabel(eventType: string, node: AnyStateNode): string {
  if (eventType === '') return 'always';
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
  if (eventType.startsWith('xstate.done.state.')) return 'done';
  return eventType;
}

function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[][] {
  const lists = [...node.transitions.values()];
  if (node.always) lists.push(node.always);
  return lists;
}

/**
 * Reads the static graph of a machine.
 *
 * @example
 * const graph = machineGraph(bot.machine);
 * graph.states.map((s) => s.key); // ['menu', 'order', 'order.waiting', ...]
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const states: GraphState[] = [];
  const transitions: GraphTransition[] = [];
  const byDefinition = new Map<AnyTransitionDefinition, GraphTransition>();

  const visit = (node: AnyStateNode): void => {
    if (node !== machine.root && node.type !== 'history') {
      const parent =
        node.parent && node.parent !== machine.root ? stateKeyOf(node.parent) : undefined;
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
        const entry: GraphTransition = {
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
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child);
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
export function enteredAtomicStates(node: AnyStateNode): AnyStateNode[] {
  const out: AnyStateNode[] = [];
  const enter = (n: AnyStateNode, depth: number): void => {
    if (depth > 100) return;
    if (n.type === 'history') {
      // History returns to states that were active before, so their parent's initial state is
      // the one new state it can lead to.
      for (const t of n.parent?.initial?.target ?? []) enter(t, depth + 1);
      return;
    }
    if (n.type === 'compound') {
      for (const t of n.initial?.target ?? []) enter(t, depth + 1);
      return;
    }
    if (n.type === 'parallel') {
      for (const child of Object.values(n.states) as AnyStateNode[]) enter(child, depth + 1);
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
export function selfAndAncestors(
  node: AnyStateNode,
  options: { withRoot?: boolean } = {},
): AnyStateNode[] {
  const out: AnyStateNode[] = [];
  for (let n: AnyStateNode | undefined = node; n; n = n.parent) {
    if (n === n.machine.root && !options.withRoot) break;
    out.push(n);
  }
  return out;
}
