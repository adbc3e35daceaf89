"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDuration = parseDuration;
exports.parseTranscriptLine = parseTranscriptLine;
const UNITS = {
    ms: 1,
    s: 1000,
    sec: 1000,
    m: 60_000,
    min: 60_000,
    h: 3_600_000,
};
/**
 * A duration like `10m`, `90s`, `1h 30m`, `500ms`, `10 minutes`, in milliseconds; `undefined` when
 * it is not one.
 *
 * @example
 * parseDuration('1h 30m'); // 5_400_000
 */
function parseDuration(text) {
    const re = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b/giy;
    const compact = text.trim();
    if (compact === '')
        return undefined;
    let total = 0;
    let at = 0;
    while (at < compact.length) {
        re.lastIndex = at;
        const m = re.exec(compact);
        if (!m)
            return undefined;
        const unit = m[2].toLowerCase();
        const key = unit.startsWith('ms') || unit.startsWith('milli')
            ? 'ms'
            : unit.startsWith('s')
                ? 's'
                : unit.startsWith('m')
                    ? 'm'
                    : 'h';
        total += Number(m[1]) * UNITS[key];
        at = re.lastIndex;
        while (compact[at] === ' ' || compact[at] === ',')
            at++;
    }
    return Math.round(total);
}
function parseRegex(text) {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
    if (!m)
        return text;
    try {
        return new RegExp(m[1], m[2]);
    }
    catch (e) {
        return `invalid regular expression ${text}: ${e.message}`;
    }
}
function parseJoin(arg) {
    if (arg === '')
        return {};
    if (/^(anonymous|unknown|no name)$/i.test(arg))
        return { client: null };
    const [firstName, ...rest] = arg.split(/\s+/);
    return {
        client: {
            firstName: firstName,
            ...(rest.length ? { lastName: rest.join(' ') } : { lastName: '' }),
        },
    };
}
function parseExpect(arg) {
    const negated = /^(no|not)\s+/i.test(arg);
    const what = arg.replace(/^(no|not)\s+/i, '').trim();
    const lower = what.toLowerCase();
    const simple = {
        operator: 'operator',
        finished: 'finished',
        finish: 'finished',
        greet: 'greet',
        greeting: 'greet',
        typing: 'typing',
        reply: 'reply',
        replies: 'reply',
        done: 'done',
    };
    const kind = simple[lower];
    if (kind)
        return { expect: { kind }, negated };
    const transfer = /^transfer(?:red)?(?:\s+to)?\s+(line|user)\s+(\d+)$/i.exec(what);
    if (transfer) {
        const id = Number(transfer[2]);
        return {
            expect: {
                kind: 'transfer',
                to: transfer[1]?.toLowerCase() === 'line' ? { lineId: id } : { userId: id },
            },
            negated,
        };
    }
    const call = /^call\s+([A-Za-z][\w.]*)$/.exec(what);
    if (call)
        return { expect: { kind: 'call', method: call[1] }, negated };
    const state = /^state\s+(\S+)$/i.exec(what);
    if (state)
        return { expect: { kind: 'state', value: state[1] }, negated };
    return `unknown expectation "${arg}" (operator, finished, transfer line <id>, transfer user <id>, greet, typing, call <method>, state <name>, done, reply; "no ..." negates)`;
}
function parseButtons(arg) {
    const buttons = [...arg.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1].trim());
    const rest = arg.replace(/\[[^\]]*\]/g, '').trim();
    if (buttons.length === 0 || rest !== '')
        return `buttons must be written as [First] [Second], got "${arg}"`;
    return buttons;
}
/**
 * Reads one line of a scenario, given its keyword (`client`, `bot`, ...), the text after it, and
 * whether a colon followed the keyword.
 *
 * @example
 * parseTranscriptLine({ keyword: 'wait', arg: '10m', hasArg: true }); // { step: { kind: 'wait', ms: 600000 } }
 */
function parseTranscriptLine(options) {
    const { keyword, arg, hasArg } = options;
    const need = (what) => ({ error: `"${keyword}:" needs ${what}` });
    switch (keyword) {
        case 'join':
            return { step: { kind: 'join', ...parseJoin(arg) } };
        case 'client':
            return hasArg && arg !== ''
                ? { step: { kind: 'client', text: arg } }
                : need('the text the client writes');
        case 'press':
            return arg ? { step: { kind: 'press', button: arg } } : need('a button text or command');
        case 'command': {
            const [command, ...params] = arg.replace(/^\//, '').split(/\s+/);
            return command
                ? { step: { kind: 'command', command, params: params.join(' ') } }
                : need('a command name');
        }
        case 'wait': {
            const ms = parseDuration(arg);
            return ms === undefined
                ? { error: `"wait: ${arg}" is not a duration (e.g. 10m, 90s, 1h 30m, 500ms)` }
                : { step: { kind: 'wait', ms } };
        }
        case 'fail': {
            const m = /^([A-Za-z][\w.]*)\s+([A-Z][A-Z0-9_]*)$/.exec(arg);
            return m
                ? { step: { kind: 'fail', method: m[1], code: m[2] } }
                : need('a method and a Bitrix24 error code, e.g. "fail: imopenlines.bot.session.operator WRONG_CHAT"');
        }
        case 'bot': {
            if (arg === '...' || arg === '…')
                return { step: { kind: 'bot', rest: true } };
            if (arg === '')
                return need('the reply text, /regex/ or ...');
            const re = parseRegex(arg);
            if (re instanceof RegExp)
                return { step: { kind: 'bot', pattern: re } };
            return arg.startsWith('/') && re !== arg
                ? { error: re }
                : { step: { kind: 'bot', text: arg } };
        }
        case 'buttons': {
            const buttons = parseButtons(arg);
            return typeof buttons === 'string'
                ? { error: buttons }
                : { step: { kind: 'buttons', buttons } };
        }
        case 'expect': {
            const e = parseExpect(arg);
            return typeof e === 'string' ? { error: e } : { step: { kind: 'expect', ...e } };
        }
        default:
            return {
                error: `unknown line "${`${keyword}${hasArg ? ':' : ''} ${arg}`.trim()}" (expected join, client:, press:, command:, wait:, fail:, bot:, buttons:, expect:)`,
            };
    }
}
