/**
 * The `openlines-bot` command line: `serve`, `register`, `unregister`, `chat`, `play`, `diagram`, `init`.
 * `bin/openlines-bot.js` calls {@link main}; tests call {@link runCli} with their own streams.
 */
import { parseArgs } from 'node:util';
import { isOpenlinesError, redact } from '../errors';
import { runChatCommand } from './chat-command';
import { UsageError, processIo, type CliIo } from './cli-io';
import { runDiagramCommand } from './diagram-command';
import { runInitCommand } from './init-command';
import { runAttachCommand, runDetachCommand, runLinesCommand } from './lines-command';
import { runPlayCommand } from './play-command';
import { COMMAND_HELP, MAIN_HELP } from './help-text';
import { runRegisterCommand, runUnregisterCommand } from './register-command';
import { runServeCommand } from './serve-command';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Arguments after the program name, e.g. `['chat', 'bots/support']`. */
  argv: string[];
  io: CliIo;
  /** How `serve` ends the process after a graceful shutdown. Default `process.exit`. */
  exit?: (code: number) => void;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const OPTIONS: Record<string, OptionSpec> = {
  serve: { port: { type: 'string' }, host: { type: 'string' } },
  register: {
    url: { type: 'string' },
    fetch: { type: 'boolean' },
    v1: { type: 'boolean' },
    line: { type: 'string' },
    join: { type: 'string' },
    time: { type: 'string' },
    left: { type: 'string' },
  },
  lines: { json: { type: 'boolean' } },
  attach: {
    line: { type: 'string' },
    join: { type: 'string' },
    time: { type: 'string' },
    left: { type: 'string' },
    v1: { type: 'boolean' },
  },
  detach: { line: { type: 'string' }, v1: { type: 'boolean' } },
  unregister: { v1: { type: 'boolean' } },
  chat: { name: { type: 'string' }, verbose: { type: 'boolean' } },
  diagram: { out: { type: 'string', short: 'o' }, lr: { type: 'boolean' } },
  init: { name: { type: 'string' } },
  play: { port: { type: 'string' }, name: { type: 'string' }, 'no-open': { type: 'boolean' } },
};

function parse(command: string, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...OPTIONS[command], help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function oneBot(command: string, positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      `${command} needs exactly one bot (a module or a folder holding bot.ts), got ${positionals.length}`,
    );
  }
  return positionals[0] as string;
}

async function dispatch(options: RunCliOptions): Promise<number> {
  const { io } = options;
  const [command, ...rest] = options.argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  if (!(command in OPTIONS)) throw new UsageError(`unknown command "${command}"`);
  const { values, positionals } = parse(command, rest);
  if (values.help === true) {
    io.stdout.write(COMMAND_HELP[command] ?? MAIN_HELP);
    return 0;
  }
  const all = values as Record<string, string | boolean | undefined>;
  const str = (name: string) => (typeof all[name] === 'string' ? all[name] : undefined);
  const flag = (name: string) => all[name] === true;
  const lineText = () =>
    Object.fromEntries(
      ['line', 'join', 'time', 'left'].flatMap((k) => (str(k) !== undefined ? [[k, str(k)]] : [])),
    );
  switch (command) {
    case 'serve':
      return runServeCommand({
        botSpecs: positionals,
        io,
        ...(str('port') !== undefined ? { port: str('port') } : {}),
        ...(str('host') !== undefined ? { host: str('host') } : {}),
        ...(options.exit ? { exit: options.exit } : {}),
      });
    case 'register':
      if (str('line') === undefined && ['join', 'time', 'left'].some((k) => str(k) !== undefined))
        throw new UsageError('--join, --time and --left need --line <id>');
      return runRegisterCommand({
        botSpec: oneBot(command, positionals),
        io,
        fetch: flag('fetch'),
        v1: flag('v1'),
        ...(str('url') !== undefined ? { url: str('url') } : {}),
        ...(str('line') !== undefined ? { line: lineText() } : {}),
      });
    case 'lines':
      if (positionals.length > 0) throw new UsageError('lines takes no arguments');
      return runLinesCommand({ io, json: flag('json') });
    case 'attach':
      return runAttachCommand({
        botSpec: oneBot(command, positionals),
        io,
        v1: flag('v1'),
        line: lineText(),
      });
    case 'detach':
      return runDetachCommand({
        botSpec: oneBot(command, positionals),
        io,
        v1: flag('v1'),
        ...(str('line') !== undefined ? { line: str('line') } : {}),
      });
    case 'unregister':
      return runUnregisterCommand({ botSpec: oneBot(command, positionals), io, v1: flag('v1') });
    case 'init':
      if (positionals.length !== 1)
        throw new UsageError(`init needs exactly one folder, got ${positionals.length}`);
      return runInitCommand({
        dir: positionals[0] as string,
        io,
        ...(str('name') !== undefined ? { name: str('name') } : {}),
      });
    case 'chat':
      return runChatCommand({
        botSpec: oneBot(command, positionals),
        io,
        verbose: flag('verbose'),
        ...(str('name') !== undefined ? { clientName: str('name') } : {}),
      });
    case 'play':
      return runPlayCommand({
        botSpec: oneBot(command, positionals),
        io,
        open: !flag('no-open'),
        ...(str('port') !== undefined ? { port: str('port') } : {}),
        ...(str('name') !== undefined ? { clientName: str('name') } : {}),
        ...(options.exit ? { exit: options.exit } : {}),
      });
    default:
      return runDiagramCommand({
        botSpec: oneBot(command, positionals),
        io,
        ...(str('out') !== undefined ? { out: str('out') } : {}),
        ...(flag('lr') ? { direction: 'LR' as const } : {}),
      });
  }
}

/**
 * Runs one CLI invocation with the given streams; resolves with the exit code (0 success,
 * 1 failure, 2 wrong usage). Errors are printed, never thrown.
 *
 * @example
 * const code = await runCli({ argv: ['diagram', 'bots/support'], io: processIo() });
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const { io } = options;
  try {
    return await dispatch(options);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`openlines-bot: ${e.message}\nRun "openlines-bot --help" for usage.\n`);
      return 2;
    }
    if (isOpenlinesError(e)) {
      io.stderr.write(`openlines-bot: ${e.message}\n`);
      return 1;
    }
    const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
    io.stderr.write(`openlines-bot: unexpected error: ${redact(text)}\n`);
    return 1;
  }
}

/**
 * The entry point of `bin/openlines-bot.js`.
 *
 * @example
 * main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
 */
export function main(argv: string[]): Promise<number> {
  return runCli({ argv, io: processIo() });
}
