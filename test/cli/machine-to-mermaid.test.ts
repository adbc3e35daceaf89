/**
 * `machineToMermaid` and `openlines-bot diagram`: the output is checked with mermaid's own parser
 * (see mermaid-parse.ts), and its content against the machines it draws.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, not, setup } from 'xstate';
import { runCli } from '../../src/cli/main';
import { machineToMermaid } from '../../src/cli/machine-to-mermaid';
import { createSupportMachine } from '../../bots/support/machine';
import { capturedIo } from './captured-io';
import { parseMermaid } from './mermaid-parse';

async function diagramOf(bot: string): Promise<string> {
  const io = capturedIo();
  const code = await runCli({ argv: ['diagram', bot], io });
  expect({ code, err: io.err() }).toEqual({ code: 0, err: '' });
  return io.out();
}

// Names that would break naive output: quotes, Mermaid keywords, spaces, an `#`, a dot.
const awkward = setup({
  types: { events: {} as { type: 'go' } | { type: 'stop' } | { type: 'x.y' } },
  guards: { a: () => true, b: () => false },
  delays: { slow: 90_000 },
}).createMachine({
  id: 'awkward machine',
  initial: 'end',
  on: { stop: '.done "quoted"' },
  states: {
    end: {
      on: {
        go: { guard: and(['a', not('b')]), target: 'graph' },
        'x.y': { guard: ({ event }) => event.type === 'x.y', target: 'par #1' },
      },
      after: { 1500: 'graph', slow: 'end' },
    },
    graph: { always: { target: 'par #1' } },
    'par #1': {
      type: 'parallel',
      states: {
        left: { initial: 'l1', states: { l1: { on: { go: 'l2' } }, l2: {} } },
        right: { initial: 'r1', states: { r1: {} } },
      },
      on: { go: 'done "quoted"' },
    },
    'done "quoted"': { type: 'final' },
  },
});

describe('machineToMermaid', () => {
  it('draws states, guarded transitions, after-delays, invoked actors and final states', () => {
    const text = machineToMermaid({ machine: createSupportMachine({ idleSeconds: 90 }) });
    const lines = text.split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('  s_support__start((" ")) --> s_support_menu');
    expect(lines).toContain('  s_support_menu -->|"message [asksForOperator]"| s_support_handoff');
    expect(lines).toContain(
      '  s_support_menu -->|"command [orderCommand]"| s_support_order__start',
    );
    expect(lines).toContain('  s_support_menu -->|"after idle (90 s)"| s_support_closing');
    expect(lines).toContain(
      '  s_support_handoff -->|"effect.failed [operatorRefused]"| s_support_noOperator',
    );
    expect(lines).toContain('  s_support_lookup -->|"done: lookupOrder"| s_support_menu');
    expect(lines).toContain('  s_support_lookup["lookup<br/>invokes lookupOrder"]');
    expect(lines).toContain('  s_support_goodbye((("goodbye")))');
    expect(lines).toContain('  subgraph s_support_order ["order"]');
    // A transition that only runs actions is drawn as a loop on its state.
    expect(lines).toContain('  s_support_handoff -->|"message"| s_support_handoff');
  });

  it('escapes awkward names and labels combined guards, numeric delays and parallel states', async () => {
    const text = machineToMermaid({ machine: awkward, direction: 'LR', title: 'awkward\nmachine' });
    expect(text).toContain('flowchart LR\n  %% awkward machine\n');
    expect(text).toContain('s_awkward_machine_end -->|"go [a and not b]"| s_awkward_machine_graph');
    expect(text).toContain('s_awkward_machine_end -->|"after 1.5 s"| s_awkward_machine_graph');
    expect(text).toContain('s_awkward_machine_end -->|"after slow (90 s)"| s_awkward_machine_end');
    expect(text).toContain('"x.y [inline guard]"');
    expect(text).toContain('((("done #quot;quoted#quot;")))');
    expect(text).toContain('subgraph s_awkward_machine_par__1 ["par #35;1 (parallel)"]');
    expect(text).toContain('s_awkward_machine__any{{"any state"}}');
    const [result] = await parseMermaid([text]);
    expect(result).toEqual({ ok: true, diagramType: 'flowchart-v2' });
  });
});

describe('runDiagramCommand', () => {
  it("prints diagrams of the three example bots that mermaid's parser accepts", async () => {
    const texts = [
      await diagramOf('bots/support'),
      await diagramOf('bots/faq'),
      await diagramOf('bots/lead-form'),
    ];
    // A control: the parser does reject broken flowcharts, so the check can fail.
    const broken = texts[0]!.replace(
      '-->|"message [asksForOperator]"|',
      '-->|"message [asksForOperator]|',
    );
    const results = await parseMermaid([...texts, broken]);
    expect(results.slice(0, 3)).toEqual(
      [0, 1, 2].map(() => ({ ok: true, diagramType: 'flowchart-v2' })),
    );
    expect(results[3]?.ok).toBe(false);
    expect(texts[0]).toContain('%% bot "support" (Support), version 1');
    expect(texts[2]).toContain('-->|"message [validAnswer]"| s_leadForm_submit');
  });

  it('writes a Markdown file with a mermaid fence with --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'olb-diagram-'));
    try {
      const io = capturedIo();
      expect(
        await runCli({ argv: ['diagram', 'bots/support', '--out', join(dir, 'support.md')], io }),
      ).toBe(0);
      expect(io.out()).toContain('Wrote the diagram of "support"');
      const md = readFileSync(join(dir, 'support.md'), 'utf8');
      const fenced = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1];
      expect(md.startsWith('# Support (`support`, version 1)\n')).toBe(true);
      expect(fenced).toBe(await diagramOf('bots/support'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
