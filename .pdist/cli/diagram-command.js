"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runDiagramCommand = runDiagramCommand;
/**
 * `openlines-bot diagram <bot>`: the bot's machine as a Mermaid flowchart, printed or written to a
 * Markdown file inside a mermaid code fence.
 */
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
const load_bot_1 = require("./load-bot");
const machine_to_mermaid_1 = require("./machine-to-mermaid");
/**
 * Prints (or writes) the diagram; resolves with the exit code.
 *
 * @example
 * await runDiagramCommand({ botSpec: 'bots/support', out: 'docs/support.md', io: processIo() });
 */
async function runDiagramCommand(options) {
    const { io } = options;
    const bot = await (0, load_bot_1.loadBot)({ spec: options.botSpec, cwd: io.cwd });
    const text = (0, machine_to_mermaid_1.machineToMermaid)({
        machine: bot.machine,
        title: `bot "${bot.code}" (${bot.name}), version ${bot.version}`,
        ...(options.direction ? { direction: options.direction } : {}),
    });
    if (options.out === undefined) {
        io.stdout.write(text);
        return 0;
    }
    const path = (0, node_path_1.resolve)(io.cwd, options.out);
    await (0, promises_1.writeFile)(path, `# ${bot.name} (\`${bot.code}\`, version ${bot.version})\n\n\`\`\`mermaid\n${text}\`\`\`\n`, 'utf8');
    io.stdout.write(`Wrote the diagram of "${bot.code}" to ${options.out}\n`);
    return 0;
}
