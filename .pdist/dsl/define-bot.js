"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.defineBot = defineBot;
const errors_1 = require("../errors");
const bot_command_1 = require("./bot-command");
const missing_implementations_1 = require("./missing-implementations");
const KNOWN = new Set([
    'code',
    'name',
    'machine',
    'version',
    'migrate',
    'apiVersion',
    'sayVia',
    'fallback',
    'properties',
    'description',
    'commands',
    'operatorMessages',
]);
const PROPERTY_KEYS = new Set(['workPosition', 'color', 'lastName', 'gender', 'avatar']);
const EFFECT_TYPES = new Set([
    'say',
    'greet',
    'typing',
    'toOperator',
    'transfer',
    'finish',
    'call',
]);
function isMachine(m) {
    const x = m;
    return (typeof x === 'object' &&
        x !== null &&
        typeof x.getInitialSnapshot === 'function' &&
        typeof x.transition === 'function' &&
        typeof x.restoreSnapshot === 'function' &&
        typeof x.root === 'object');
}
function checkProperties(p, problems) {
    if (p === undefined)
        return;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
        problems.push('properties must be an object');
        return;
    }
    for (const [k, v] of Object.entries(p)) {
        if (!PROPERTY_KEYS.has(k))
            problems.push(`properties.${k} is not a known property (${[...PROPERTY_KEYS].join(', ')})`);
        else if (k === 'gender' ? v !== 'M' && v !== 'F' : typeof v !== 'string') {
            problems.push(k === 'gender'
                ? 'properties.gender must be "M" or "F"'
                : `properties.${k} must be a string`);
        }
    }
}
function checkFallback(f, problems) {
    if (f === undefined || f === false || typeof f === 'function')
        return;
    if (!Array.isArray(f)) {
        problems.push('fallback must be false, an array of effects or a function returning one');
        return;
    }
    f.forEach((e, i) => {
        const type = e?.type;
        if (typeof type !== 'string' || !EFFECT_TYPES.has(type))
            problems.push(`fallback[${i}] is not an effect`);
    });
}
/**
 * Declares a bot: validates every option and returns a frozen definition. Throws a `ConfigError`
 * with one line per problem.
 *
 * @example
 * export default defineBot({
 *   code: 'support_bot',
 *   name: 'Support',
 *   version: '1',
 *   machine: supportMachine,
 *   properties: { workPosition: 'First line', color: 'GREEN' },
 *   commands: ['order', { command: 'operator', title: 'Talk to a human' }],
 * });
 */
function defineBot(options) {
    const problems = [];
    if (typeof options !== 'object' || options === null)
        throw new errors_1.ConfigError(['defineBot() needs an options object'], 'Invalid bot');
    const o = options;
    for (const k of Object.keys(o))
        if (!KNOWN.has(k))
            problems.push(`unknown option "${k}"`);
    if (typeof o.code !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{1,63}$/.test(o.code)) {
        problems.push('code must be 2-64 letters, digits, "_" or "-", starting with a letter (e.g. "support_bot")');
    }
    if (typeof o.name !== 'string' || o.name.trim() === '' || o.name.length > 100)
        problems.push('name must be a non-empty string of at most 100 characters');
    if (o.machine === undefined)
        problems.push('machine is missing (an xstate v5 machine from setup(...).createMachine(...))');
    else if (!isMachine(o.machine))
        problems.push('machine is not an xstate v5 machine (use setup(...).createMachine(...))');
    else
        for (const m of (0, missing_implementations_1.missingImplementations)(o.machine))
            problems.push(`machine: ${(0, missing_implementations_1.describeMissing)(m)}`);
    if (typeof o.version !== 'string' || o.version.trim() === '' || o.version.length > 64) {
        problems.push('version must be a non-empty string of at most 64 characters (e.g. "1" or "2024-05-01")');
    }
    if (o.migrate !== undefined && typeof o.migrate !== 'function')
        problems.push('migrate must be a function ({ snapshot, fromVersion, toVersion }) => snapshot');
    if (o.apiVersion !== undefined && o.apiVersion !== 1 && o.apiVersion !== 2)
        problems.push('apiVersion must be 1 or 2');
    if (o.sayVia !== undefined &&
        o.sayVia !== 'auto' &&
        o.sayVia !== 'session' &&
        o.sayVia !== 'bot') {
        problems.push('sayVia must be "auto", "session" or "bot"');
    }
    checkFallback(o.fallback, problems);
    checkProperties(o.properties, problems);
    if (o.description !== undefined && typeof o.description !== 'string')
        problems.push('description must be a string');
    (0, bot_command_1.checkCommands)(o.commands, problems);
    if (o.operatorMessages !== undefined &&
        o.operatorMessages !== 'event' &&
        o.operatorMessages !== 'message')
        problems.push('operatorMessages must be "event" or "message"');
    if (problems.length > 0) {
        const code = typeof o.code === 'string' ? ` "${o.code}"` : '';
        throw new errors_1.ConfigError(problems, `Invalid bot${code}`);
    }
    const def = {
        code: options.code,
        name: options.name,
        machine: options.machine,
        version: options.version,
        apiVersion: options.apiVersion ?? 2,
        sayVia: options.sayVia ?? 'auto',
        operatorMessages: options.operatorMessages ?? 'event',
        properties: Object.freeze({ ...(options.properties ?? {}) }),
        ...(options.migrate ? { migrate: options.migrate } : {}),
        ...(options.fallback !== undefined
            ? {
                fallback: Array.isArray(options.fallback)
                    ? Object.freeze([...options.fallback])
                    : options.fallback,
            }
            : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
        ...(options.commands !== undefined ? { commands: (0, bot_command_1.freezeCommands)(options.commands) } : {}),
    };
    return Object.freeze(def);
}
