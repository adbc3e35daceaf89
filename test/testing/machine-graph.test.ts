import { toDirectedGraph, type DirectedGraphNode } from '@xstate/graph';
import { createFaqMachine } from '../../bots/faq/machine';
import { createLeadFormMachine } from '../../bots/lead-form/machine';
import { createSupportMachine } from '../../bots/support/machine';
import { enteredAtomicStates, machineGraph, stateKeyOf } from '../../src/testing/machine-graph';

const machines = {
  support: createSupportMachine(),
  faq: createFaqMachine(),
  leadForm: createLeadFormMachine({ lineId: 4 }),
};

describe('machineGraph', () => {
  it.each(Object.entries(machines))(
    'lists the same edges as @xstate/graph for the %s bot',
    (_name, machine) => {
      const edges = (n: DirectedGraphNode): string[] => [
        ...n.edges.map((e) => `${e.source.id} -${e.transition.eventType}-> ${e.target.id}`),
        ...n.children.flatMap(edges),
      ];
      const theirs = edges(toDirectedGraph(machine)).sort();
      const ours = machineGraph(machine)
        .transitions.filter((t) => t.eventType !== '')
        .flatMap((t) => {
          const source = t.definition.source.id;
          const targets = t.definition.target?.map((n) => n.id) ?? [source];
          return targets.map((target) => `${source} -${t.eventType}-> ${target}`);
        })
        .sort();
      expect(ours).toEqual(theirs);
    },
  );

  it('labels transitions for people', () => {
    const labels = machineGraph(machines.support).transitions.map((t) => t.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'menu → handoff on message [asksForOperator]',
        'menu → closing on after idle',
        'lookup → menu on done lookupOrder',
        'lookup → (stays) on message',
        'order.waiting.attempt0 → order.waiting.attempt1 on message',
      ]),
    );
    expect(machineGraph(machines.leadForm).transitions.map((t) => t.label)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\w+ → handedOver on always \[hasLine\]$/)]),
    );
  });

  it('keys states by their dotted path and marks top-level final states as endings', () => {
    const graph = machineGraph(machines.support);
    expect(graph.states.map((s) => s.key)).toEqual([
      'menu',
      'order',
      'order.waiting',
      'order.waiting.attempt0',
      'order.waiting.attempt1',
      'order.waiting.attempt2',
      'lookup',
      'handoff',
      'transferred',
      'noOperator',
      'goodbye',
      'closing',
      'quiet',
      'handedOff',
    ]);
    expect(graph.states.filter((s) => s.ending).map((s) => s.key)).toEqual([
      'noOperator',
      'goodbye',
      'closing',
      'handedOff',
    ]);
  });

  it('resolves a compound target to its initial atomic state', () => {
    const order = machines.support.root.states.order!;
    expect(enteredAtomicStates(order).map(stateKeyOf)).toEqual(['order.waiting.attempt0']);
  });
});
