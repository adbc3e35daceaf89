"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BotLoadError = void 0;
exports.isBotDefinition = isBotDefinition;
exports.loadBot = loadBot;
/**
 * Loads a bot for the CLI from what the user typed: a module (`.ts`, `.js`, ...) or a folder
 * holding `bot.ts`. TypeScript loads without a build step because the launcher
 * (`bin/openlines-bot.js`) registers tsx before the CLI runs.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const node_url_1 = require("node:url");
const errors_1 = require("../errors");
/** A bot module could not be found, loaded, or does not export a bot. Code `BOT_LOAD`. */
class BotLoadError extends errors_1.OpenlinesError {
    /** The path as the user gave it. */
    spec;
    constructor(spec, message, options) {
        super('BOT_LOAD', message, options);
        this.spec = spec;
    }
    toJSON() {
        return { ...super.toJSON(), spec: this.spec };
    }
}
exports.BotLoadError = BotLoadError;
const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const FOLDER_ENTRIES = ['bot.ts', 'bot.mts', 'bot.js', 'bot.mjs', 'bot.cjs'];
/** True for a value shaped like the result of `defineBot` (works across duplicated module copies). */
function isBotDefinition(value) {
    const v = value;
    return (typeof v === 'object' &&
        v !== null &&
        typeof v.code === 'string' &&
        typeof v.name === 'string' &&
        typeof v.version === 'string' &&
        (v.apiVersion === 1 || v.apiVersion === 2) &&
        typeof v.machine === 'object' &&
        v.machine !== null &&
        typeof v.machine.getInitialSnapshot === 'function');
}
function resolveModulePath(spec, cwd) {
    const full = (0, node_path_1.resolve)(cwd, spec);
    if (!(0, node_fs_1.existsSync)(full)) {
        const withExt = MODULE_EXTENSIONS.map((e) => full + e).find((p) => (0, node_fs_1.existsSync)(p));
        if (withExt)
            return withExt;
        throw new BotLoadError(spec, `No bot at "${spec}": no such file or folder (looked in ${cwd})`);
    }
    if ((0, node_fs_1.statSync)(full).isDirectory()) {
        const entry = FOLDER_ENTRIES.map((f) => (0, node_path_1.join)(full, f)).find((p) => (0, node_fs_1.existsSync)(p));
        if (!entry)
            throw new BotLoadError(spec, `The folder "${spec}" holds no bot.ts (or bot.js): a bot folder needs one that default-exports defineBot(...)`);
        return entry;
    }
    if (!MODULE_EXTENSIONS.includes((0, node_path_1.extname)(full))) {
        throw new BotLoadError(spec, `"${spec}" is not a JavaScript or TypeScript module (expected ${MODULE_EXTENSIONS.join(', ')})`);
    }
    return full;
}
async function importModule(path) {
    try {
        // The plain `require` on purpose: it is the one tsx (the launcher) or jest hooks for TypeScript.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(path);
    }
    catch (e) {
        // An ES module (.mjs, or "type": "module") cannot be required on Node 20: import it instead.
        if (e.code === 'ERR_REQUIRE_ESM')
            return (await import((0, node_url_1.pathToFileURL)(path).href));
        throw e;
    }
}
function describe(value) {
    if (value === undefined)
        return 'nothing';
    if (value === null)
        return 'null';
    if (typeof value === 'function')
        return 'a function (call it? a bot is the value defineBot returns)';
    if (typeof value === 'object' &&
        typeof value.getInitialSnapshot === 'function') {
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
async function loadBot(options) {
    const cwd = options.cwd ?? process.cwd();
    const { spec } = options;
    const path = resolveModulePath(spec, cwd);
    const shown = (0, node_path_1.relative)(cwd, path) || path;
    let mod;
    try {
        mod = await importModule(path);
    }
    catch (e) {
        const reason = (0, errors_1.isOpenlinesError)(e) || e instanceof Error ? e.message : String(e);
        throw new BotLoadError(spec, `Could not load the bot module ${shown}: ${reason}`, { cause: e });
    }
    const exports = (typeof mod === 'object' && mod !== null ? mod : {});
    const inner = exports.default;
    const candidates = [exports.default, exports.bot, inner?.default, inner?.bot, mod];
    const bot = candidates.find(isBotDefinition);
    if (bot)
        return bot;
    const names = Object.keys(exports).filter((k) => k !== '__esModule');
    throw new BotLoadError(spec, `${shown} does not export a bot: its default export (or an export named "bot") must be the result of defineBot(...). ` +
        `The default export is ${describe(exports.default)}` +
        (names.length > 0 ? `; the module exports: ${names.join(', ')}.` : '.'));
}
