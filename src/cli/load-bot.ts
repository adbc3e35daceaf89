/**
 * Loads a bot for the CLI from what the user typed: a module (`.ts`, `.js`, ...) or a folder
 * holding `bot.ts`. TypeScript loads without a build step because the launcher
 * (`bin/openlines-bot.js`) registers tsx before the CLI runs.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BotDefinition } from '../dsl/define-bot';
import { OpenlinesError, isOpenlinesError } from '../errors';

/** A bot module could not be found, loaded, or does not export a bot. Code `BOT_LOAD`. */
export class BotLoadError extends OpenlinesError {
  /** The path as the user gave it. */
  readonly spec: string;
  constructor(spec: string, message: string, options?: { cause?: unknown }) {
    super('BOT_LOAD', message, options);
    this.spec = spec;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), spec: this.spec };
  }
}

/** Options of {@link loadBot}. */
export interface LoadBotOptions {
  /** A module path or a folder holding `bot.ts` (or `bot.js`). */
  spec: string;
  /** Where relative paths start. Default `process.cwd()`. */
  cwd?: string;
}

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const FOLDER_ENTRIES = ['bot.ts', 'bot.mts', 'bot.js', 'bot.mjs', 'bot.cjs'];

/** True for a value shaped like the result of `defineBot` (works across duplicated module copies). */
export function isBotDefinition(value: unknown): value is BotDefinition {
  const v = value as Partial<BotDefinition> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.code === 'string' &&
    typeof v.name === 'string' &&
    typeof v.version === 'string' &&
    (v.apiVersion === 1 || v.apiVersion === 2) &&
    typeof v.machine === 'object' &&
    v.machine !== null &&
    typeof (v.machine as { getInitialSnapshot?: unknown }).getInitialSnapshot === 'function'
  );
}

function resolveModulePath(spec: string, cwd: string): string {
  const full = resolve(cwd, spec);
  if (!existsSync(full)) {
    const withExt = MODULE_EXTENSIONS.map((e) => full + e).find((p) => existsSync(p));
    if (withExt) return withExt;
    throw new BotLoadError(spec, `No bot at "${spec}": no such file or folder (looked in ${cwd})`);
  }
  if (statSync(full).isDirectory()) {
    const entry = FOLDER_ENTRIES.map((f) => join(full, f)).find((p) => existsSync(p));
    if (!entry)
      throw new BotLoadError(
        spec,
        `The folder "${spec}" holds no bot.ts (or bot.js): a bot folder needs one that default-exports defineBot(...)`,
      );
    return entry;
  }
  if (!MODULE_EXTENSIONS.includes(extname(full))) {
    throw new BotLoadError(
      spec,
      `"${spec}" is not a JavaScript or TypeScript module (expected ${MODULE_EXTENSIONS.join(', ')})`,
    );
  }
  return full;
}

async function importModule(path: string): Promise<unknown> {
  try {
    // The plain `require` on purpose: it is the one tsx (the launcher) or jest hooks for TypeScript.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as unknown;
  } catch (e) {
    // An ES module (.mjs, or "type": "module") cannot be required on Node 20: import it instead.
    if ((e as { code?: unknown }).code === 'ERR_REQUIRE_ESM')
      return (await import(pathToFileURL(path).href)) as unknown;
    throw e;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'function')
    return 'a function (call it? a bot is the value defineBot returns)';
  if (
    typeof value === 'object' &&
    typeof (value as { getInitialSnapshot?: unknown }).getInitialSnapshot === 'function'
  ) {
    return 'an xstate machine (wrap it: defineBot({ code, name, version, machine }))';
  }
  return typeof value === 'object' ? 'an object that is not a bot' : `a ${typeof value}`;
}

/**
 * Loads the bot a CLI argument names. Throws a {@link BotLoadError} that says what is wrong and
 * how to fix it: missing path, folder without `bot.ts`, a module that throws while loading, or
 * one whose default export (or export `bot`) is not a `defineBot` result.
 *
 * @example
 * const bot = await loadBot({ spec: 'bots/support' });
 * console.log(bot.code); // 'support'
 */
export async function loadBot(options: LoadBotOptions): Promise<BotDefinition> {
  const cwd = options.cwd ?? process.cwd();
  const { spec } = options;
  const path = resolveModulePath(spec, cwd);
  const shown = relative(cwd, path) || path;
  let mod: unknown;
  try {
    mod = await importModule(path);
  } catch (e) {
    const reason = isOpenlinesError(e) || e instanceof Error ? e.message : String(e);
    throw new BotLoadError(spec, `Could not load the bot module ${shown}: ${reason}`, { cause: e });
  }
  const exports = (typeof mod === 'object' && mod !== null ? mod : {}) as Record<string, unknown>;
  const inner = exports.default as Record<string, unknown> | undefined;
  const candidates = [exports.default, exports.bot, inner?.default, inner?.bot, mod];
  const bot = candidates.find(isBotDefinition);
  if (bot) return bot;
  const names = Object.keys(exports).filter((k) => k !== '__esModule');
  throw new BotLoadError(
    spec,
    `${shown} does not export a bot: its default export (or an export named "bot") must be the result of defineBot(...). ` +
      `The default export is ${describe(exports.default)}` +
      (names.length > 0 ? `; the module exports: ${names.join(', ')}.` : '.'),
  );
}
