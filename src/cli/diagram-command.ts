/**
 * `openlines-bot diagram <bot>`: the bot's machine as a Mermaid flowchart, printed or written to a
 * Markdown file inside a mermaid code fence.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from './cli-io';
import { loadBot } from './load-bot';
import { machineToMermaid } from './machine-to-mermaid';

/** Options of {@link runDiagramCommand}. */
export interface DiagramCommandOptions {
  botSpec: string;
  /** A Markdown file to write instead of printing. */
  out?: string;
  direction?: 'TD' | 'LR';
  io: CliIo;
}

/**
 * Prints (or writes) the diagram; resolves with the exit code.
 *
 * @example
 * await runDiagramCommand({ botSpec: 'bots/support', out: 'docs/support.md', io: processIo() });
 */
export async function runDiagramCommand(options: DiagramCommandOptions): Promise<number> {
  const { io } = options;
  const bot = await loadBot({ spec: options.botSpec, cwd: io.cwd });
  const text = machineToMermaid({
    machine: bot.machine,
    title: `bot "${bot.code}" (${bot.name}), version ${bot.version}`,
    ...(options.direction ? { direction: options.direction } : {}),
  });
  if (options.out === undefined) {
    io.stdout.write(text);
    return 0;
  }
  const path = resolve(io.cwd, options.out);
  await writeFile(
    path,
    `# ${bot.name} (\`${bot.code}\`, version ${bot.version})\n\n\`\`\`mermaid\n${text}\`\`\`\n`,
    'utf8',
  );
  io.stdout.write(`Wrote the diagram of "${bot.code}" to ${options.out}\n`);
  return 0;
}
