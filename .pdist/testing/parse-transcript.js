"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TranscriptSyntaxError = exports.parseDuration = void 0;
exports.parseTranscript = parseTranscript;
/**
 * The transcript format: dialog tests a product owner can read and write.
 *
 * ```text
 * # Lines starting with # are comments.
 * ## asks for the order number            ← a scenario (one jest test)
 * join                                    ← the bot joins a new session (join: Anna Smith / join: anonymous)
 * bot: /Hello, Ivan/                      ← the next reply: exact text, or /regex/flags
 * buttons: [Order status] [Talk to a human]
 * press: Order status                     ← a button, by its text or command
 * bot: Please send me your order number.
 * client: 12345                           ← the client writes
 * bot: ...                                ← replies not checked further in this step
 * wait: 10m                               ← time passes (500ms, 90s, 10m, 1h 30m)
 * expect: finished                        ← operator, finished, transfer line 5, state menu, no reply, ...
 * ```
 */
const errors_1 = require("../errors");
const parse_transcript_line_1 = require("./parse-transcript-line");
var parse_transcript_line_2 = require("./parse-transcript-line");
Object.defineProperty(exports, "parseDuration", { enumerable: true, get: function () { return parse_transcript_line_2.parseDuration; } });
/**
 * A transcript with syntax errors; `problems` holds one `file:line: message` per error.
 *
 * @example
 * try { parseTranscript({ text, file }) } catch (e) { if (e instanceof TranscriptSyntaxError) console.log(e.problems) }
 */
class TranscriptSyntaxError extends errors_1.ConfigError {
    file;
    constructor(file, problems) {
        super(problems, `Invalid transcript ${file}`);
        this.file = file;
    }
}
exports.TranscriptSyntaxError = TranscriptSyntaxError;
/**
 * Parses a transcript. Throws a {@link TranscriptSyntaxError} listing every bad line with its
 * line number.
 *
 * @example
 * const { scenarios } = parseTranscript({ text: '## hi\njoin\nbot: /Hello/', file: 'support.txt' });
 */
function parseTranscript(options) {
    const file = options.file ?? 'transcript';
    const problems = [];
    const scenarios = [];
    let current;
    let acted = false;
    const written = new Set();
    const lines = options.text.split(/\r?\n/);
    lines.forEach((raw, i) => {
        const line = i + 1;
        const fail = (message) => problems.push(`${file}:${line}: ${message}`);
        if (raw.trim() === '' || /^\s*#(?!#)/.test(raw))
            return;
        const header = /^\s*##\s*(.*)$/.exec(raw);
        if (header) {
            const name = header[1].trim();
            if (!name)
                fail('a scenario needs a name after ##');
            else if (scenarios.some((s) => s.name === name))
                fail(`scenario "${name}" appears twice`);
            current = { name, line, steps: [] };
            scenarios.push(current);
            acted = false;
            return;
        }
        const last = current?.steps[current.steps.length - 1];
        if (/^\s/.test(raw) &&
            last &&
            (last.kind === 'client' || (last.kind === 'bot' && 'text' in last))) {
            // An indented line continues a multi-line message.
            last.text += `\n${raw.trim()}`;
            return;
        }
        if (!current)
            return void fail('this line is outside a scenario: start one with "## <name>"');
        written.add(current);
        const m = /^\s*([A-Za-z]+)\s*(:?)\s*(.*?)\s*$/.exec(raw);
        const keyword = m?.[1]?.toLowerCase() ?? '';
        const parsed = m
            ? (0, parse_transcript_line_1.parseTranscriptLine)({ keyword, arg: m[3], hasArg: m[2] === ':' })
            : { error: `cannot read "${raw.trim()}"` };
        if ('error' in parsed)
            return void fail(parsed.error);
        const step = { ...parsed.step, line };
        const isAction = ['join', 'client', 'press', 'command', 'wait'].includes(step.kind);
        if (!isAction &&
            !acted &&
            (step.kind === 'bot' ||
                step.kind === 'buttons' ||
                (step.kind === 'expect' && step.expect.kind !== 'state'))) {
            return void fail(`"${keyword}:" must follow an action (join, client:, press:, command:, wait:)`);
        }
        if (step.kind === 'buttons' && last?.kind !== 'bot')
            return void fail('"buttons:" must follow a "bot:" line (the reply they belong to)');
        if (isAction)
            acted = true;
        current.steps.push(step);
    });
    for (const s of scenarios)
        if (!written.has(s))
            problems.push(`${file}:${s.line}: scenario "${s.name}" has no steps`);
    if (scenarios.length === 0 && problems.length === 0)
        problems.push(`${file}: no scenarios (start one with "## <name>")`);
    if (problems.length > 0)
        throw new TranscriptSyntaxError(file, problems);
    return { file, scenarios };
}
