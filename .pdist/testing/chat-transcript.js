"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.humanDuration = humanDuration;
exports.formatButtons = formatButtons;
exports.formatTranscript = formatTranscript;
/**
 * A duration for people: `10 min`, `1 h 30 min`, `45 s`, `250 ms`.
 *
 * @example
 * humanDuration(600_000); // '10 min'
 */
function humanDuration(ms) {
    if (ms < 1000)
        return `${ms} ms`;
    const parts = [];
    let rest = Math.round(ms / 1000);
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    if (h)
        parts.push(`${h} h`);
    if (m)
        parts.push(`${m} min`);
    if (s)
        parts.push(`${s} s`);
    return parts.join(' ');
}
/**
 * Buttons as the transcript shows them: `[Order status] [Talk to a human]`.
 *
 * @example
 * formatButtons([{ text: 'Yes', command: 'yes' }]); // '[Yes]'
 */
function formatButtons(buttons) {
    return buttons.map((b) => `[${b.text}]`).join(' ');
}
function outcome(effect) {
    if (effect.status === 'failed')
        return `  ✗ refused: ${effect.error ?? 'error'}`;
    if (effect.status === 'retrying')
        return `  (retrying after ${effect.error ?? 'an error'})`;
    return '';
}
function effectLines(effect) {
    const tail = outcome(effect);
    switch (effect.kind) {
        case 'say':
        case 'sessionMessage': {
            const lines = effect.text.split(/\r?\n/).map((l, i) => (i === 0 ? `bot: ${l}` : `     ${l}`));
            lines[lines.length - 1] += tail;
            if (effect.buttons.length > 0)
                lines.push(`     ${formatButtons(effect.buttons)}`);
            return lines;
        }
        case 'greet':
            return [`[greet: the line's welcome message]${tail}`];
        case 'typing':
            return [`[typing…]${tail}`];
        case 'toOperator':
            return [`[operator]${tail}`];
        case 'transfer': {
            const to = 'lineId' in effect.to ? `line ${effect.to.lineId}` : `user ${effect.to.userId}`;
            return [`[transfer to ${to}${effect.leave ? ', bot leaves' : ''}]${tail}`];
        }
        case 'finish':
            return [`[finish]${tail}`];
        case 'call':
            return [`[call ${effect.method}]${tail}`];
        case 'sendFile':
            return [`[file ${effect.name}, ${effect.size} bytes]${tail}`];
        case 'react':
            return [
                `[${effect.remove ? 'unreact' : 'react'} ${effect.reaction} on message ${effect.messageId}]${tail}`,
            ];
        case 'answerCommand':
            return [`bot: ${effect.text}${tail}`];
    }
}
function invokedLine(call) {
    if (call.status === 'failed')
        return `[call ${call.method}]  ✗ refused: ${call.error ?? 'error'}`;
    const result = JSON.stringify(call.result) ?? 'nothing';
    return `[call ${call.method} → ${result.length > 60 ? `${result.slice(0, 57)}...` : result}]`;
}
/**
 * Renders transcript entries as text, one line per message or system event.
 *
 * @example
 * formatTranscript([{ kind: 'client', text: 'hi' }]); // 'client: hi'
 */
function formatTranscript(entries) {
    const lines = [];
    for (const e of entries) {
        switch (e.kind) {
            case 'join':
                lines.push(`[join${e.client ? `: ${e.client}` : ''}]`);
                break;
            case 'client':
                lines.push(...e.text.split(/\r?\n/).map((l, i) => (i === 0 ? `client: ${l}` : `        ${l}`)));
                break;
            case 'press':
                lines.push(`client presses: [${e.button.text}]${e.button.command ? ` (${e.button.command})` : ''}`);
                break;
            case 'command':
                lines.push(`client: /${e.command}${e.params ? ` ${e.params}` : ''}`);
                break;
            case 'wait':
                lines.push(`… ${humanDuration(e.ms)} later …`);
                break;
            case 'failNext':
                lines.push(`[portal will refuse the next ${e.method} with ${e.code}]`);
                break;
            case 'effect':
                lines.push(...effectLines(e.effect));
                break;
            case 'invoked':
                lines.push(invokedLine(e.call));
                break;
            case 'note':
                lines.push(`[${e.text}]`);
                break;
        }
    }
    return lines.join('\n');
}
