"use strict";
/**
 * The `commands` option of `defineBot`: which commands the bot registers on the portal. A keyboard
 * button with `command` works on a real portal only when that command is registered for the bot
 * (`imbot.command.register` / `imbot.v2.Command.register`); `ensureBotRegistered` registers them.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkCommands = checkCommands;
exports.freezeCommands = freezeCommands;
const COMMAND_KEYS = new Set(['command', 'title', 'hidden']);
const COMMAND_NAME = /^[A-Za-z0-9_]{1,64}$/;
function checkObject(c, at, problems) {
    for (const k of Object.keys(c))
        if (!COMMAND_KEYS.has(k))
            problems.push(`${at}.${k} is not known (command, title, hidden)`);
    const { title, hidden } = c;
    if (title !== undefined && (typeof title !== 'string' || !title.trim() || title.length > 100))
        problems.push(`${at}.title must be a non-empty string of at most 100 characters`);
    if (hidden !== undefined && typeof hidden !== 'boolean')
        problems.push(`${at}.hidden must be true or false`);
}
/**
 * Adds one line to `problems` per invalid entry of a `commands` option (not an array, a bad
 * name, an unknown key, a bad title or `hidden`, a name listed twice).
 *
 * @example
 * const problems: string[] = [];
 * checkCommands(['order', '/help'], problems); // ['commands[1] "/help" must be 1-64 latin letters, ...']
 */
function checkCommands(list, problems) {
    if (list === undefined)
        return;
    if (!Array.isArray(list)) {
        problems.push('commands must be an array of command names or { command, title?, hidden? }');
        return;
    }
    const seen = new Set();
    list.forEach((c, i) => {
        const at = `commands[${i}]`;
        const isObject = typeof c === 'object' && c !== null && !Array.isArray(c);
        if (!isObject && typeof c !== 'string') {
            problems.push(`${at} must be a command name or { command, title?, hidden? }`);
            return;
        }
        if (isObject)
            checkObject(c, at, problems);
        const name = isObject ? c.command : c;
        if (name === undefined) {
            problems.push(`${at}.command is missing`);
            return;
        }
        if (typeof name !== 'string' || !COMMAND_NAME.test(name)) {
            problems.push(`${at} ${JSON.stringify(name)} must be 1-64 latin letters, digits or "_" (no slash, no spaces)`);
            return;
        }
        // Case-insensitive: the portal may keep command names in a case-insensitive column.
        const key = name.toLowerCase();
        if (seen.has(key))
            problems.push(`${at} "${name}" is listed twice`);
        seen.add(key);
    });
}
/**
 * The validated `commands` option as frozen objects: a string `x` becomes `{ command: 'x' }`.
 *
 * @example
 * freezeCommands(['order', { command: 'operator', title: 'Talk to a human' }]);
 * // [{ command: 'order' }, { command: 'operator', title: 'Talk to a human' }]
 */
function freezeCommands(list) {
    return Object.freeze(list.map((c) => Object.freeze(typeof c === 'string'
        ? { command: c }
        : {
            command: c.command,
            ...(c.title !== undefined ? { title: c.title } : {}),
            ...(c.hidden !== undefined ? { hidden: c.hidden } : {}),
        })));
}
