"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TranscriptMismatch = void 0;
exports.runTranscriptScenario = runTranscriptScenario;
const transcript_expectation_1 = require("./transcript-expectation");
/**
 * A scenario step that did not hold. The message ends with the transcript and the state.
 *
 * @example
 * await runTranscriptScenario({ chat, scenario }).catch((e) => e instanceof TranscriptMismatch && console.log(e.line));
 */
class TranscriptMismatch extends Error {
    file;
    line;
    constructor(file, line, message, chat) {
        const state = chat.state === undefined
            ? '(no conversation yet)'
            : typeof chat.state === 'string'
                ? chat.state
                : JSON.stringify(chat.state);
        super(`${file}:${line}: ${message}\n\nTranscript:\n${chat.transcript.replace(/^/gm, '  ')}\n\nState: ${state}`);
        this.name = 'TranscriptMismatch';
        this.file = file;
        this.line = line;
    }
}
exports.TranscriptMismatch = TranscriptMismatch;
const isReply = (e) => (e.kind === 'say' || e.kind === 'sessionMessage') && e.status === 'sent';
const textOf = (e) => e && (e.kind === 'say' || e.kind === 'sessionMessage') ? e.text : '';
const quote = (s) => JSON.stringify(s);
async function act(step, chat) {
    switch (step.kind) {
        case 'join':
            await chat.join(step.client === undefined ? {} : { client: step.client });
            return true;
        case 'client':
            await chat.send(step.text);
            return true;
        case 'press':
            await chat.press(step.button);
            return true;
        case 'command':
            await chat.command(step.command, step.params);
            return true;
        case 'wait':
            await chat.wait({ ms: step.ms });
            return true;
        case 'fail':
            await chat.failNext(step.method, step.code);
            return false;
        default:
            return false;
    }
}
function checkStep(step, block, chat, fail) {
    if (step.kind === 'bot') {
        if ('rest' in step) {
            block.rest = true;
            return;
        }
        const wanted = 'text' in step ? quote(step.text) : String(step.pattern);
        const next = block.replies[block.consumed];
        if (!next)
            fail(step.line, `expected the bot to say ${wanted}, but it said nothing more after line ${block.line}`);
        const got = textOf(next);
        const ok = 'text' in step
            ? got.trim() === step.text.trim()
            : new RegExp(step.pattern.source, step.pattern.flags.replace(/[gy]/g, '')).test(got);
        if (!ok)
            fail(step.line, `expected the bot to say ${wanted}\n  but it said ${quote(got)}`);
        block.consumed += 1;
        block.lastReply = next;
        return;
    }
    if (step.kind === 'buttons') {
        const reply = block.lastReply;
        const buttons = reply && (reply.kind === 'say' || reply.kind === 'sessionMessage') ? reply.buttons : [];
        const texts = buttons.map((b) => b.text);
        const same = (a) => a.length === step.buttons.length && a.every((x, i) => x === step.buttons[i]);
        if (!same(texts) && !same(buttons.map((b) => b.command ?? ''))) {
            const shown = texts.length ? texts.map((t) => `[${t}]`).join(' ') : 'no buttons';
            fail(step.line, `expected the buttons ${step.buttons.map((t) => `[${t}]`).join(' ')}\n  but the reply had ${shown}`);
        }
        return;
    }
    if (step.kind === 'expect') {
        const holds = (0, transcript_expectation_1.expectationHolds)({ expectation: step.expect, output: block, chat });
        if (holds === step.negated) {
            const refused = [
                ...block.effects
                    .filter((e) => e.status !== 'sent')
                    .map((e) => `${e.call.method} → ${e.error ?? e.status}`),
                ...block.invoked
                    .filter((c) => c.status === 'failed')
                    .map((c) => `${c.method} → ${c.error ?? 'error'}`),
            ];
            const extra = !step.negated && refused.length ? `\n  (refused by the portal: ${refused.join(', ')})` : '';
            fail(step.line, `expected the bot ${step.negated ? 'not to' : 'to'} ${(0, transcript_expectation_1.describeExpectation)(step.expect)}${extra}`);
        }
    }
}
/**
 * Runs a scenario step by step against `chat`; rejects with a {@link TranscriptMismatch} at the
 * first line that does not hold. Replies a step produced must all be matched by `bot:` lines
 * (or skipped with `bot: ...`).
 *
 * @example
 * const chat = testBot(createSupportBot());
 * await runTranscriptScenario({ chat, scenario: parseTranscript({ text }).scenarios[0], file: 'support.txt' });
 */
async function runTranscriptScenario(options) {
    const { chat, scenario } = options;
    const file = options.file ?? 'transcript';
    const fail = (line, message) => {
        throw new TranscriptMismatch(file, line, message, chat);
    };
    let block;
    const closeActionOutput = () => {
        if (!block || block.rest || block.consumed >= block.replies.length)
            return;
        const extra = block.replies.slice(block.consumed).map((r) => `  ${quote(textOf(r))}`);
        fail(block.line, `the bot also said:\n${extra.join('\n')}\n  (add a "bot:" line for each reply, or "bot: ..." to leave the rest unchecked)`);
    };
    for (const step of scenario.steps) {
        const isAction = ['join', 'client', 'press', 'command', 'wait'].includes(step.kind);
        if (isAction)
            closeActionOutput();
        const before = chat.effects.length;
        const invokedBefore = chat.invokedCalls.length;
        try {
            if (await act(step, chat)) {
                const effects = chat.effects.slice(before);
                block = {
                    line: step.line,
                    effects,
                    invoked: chat.invokedCalls.slice(invokedBefore),
                    replies: effects.filter(isReply),
                    consumed: 0,
                    rest: false,
                };
            }
        }
        catch (e) {
            if (e instanceof TranscriptMismatch)
                throw e;
            const message = e instanceof Error ? e.message.split('\n\nTranscript:')[0] : String(e);
            fail(step.line, message ?? 'the step failed');
        }
        if (!isAction && step.kind !== 'fail') {
            checkStep(step, block ?? {
                line: step.line,
                effects: [],
                invoked: [],
                replies: [],
                consumed: 0,
                rest: false,
            }, chat, fail);
        }
    }
    closeActionOutput();
}
