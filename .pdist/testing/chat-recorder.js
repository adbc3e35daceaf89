"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createChatRecorder = createChatRecorder;
const chat_effect_1 = require("./chat-effect");
/**
 * Creates an empty record.
 *
 * @example
 * const recorder = createChatRecorder();
 * const store = spyStore(memoryStore(), { settled: (e, o) => recorder.settled(e, o) });
 */
function createChatRecorder() {
    const effects = [];
    const entries = [];
    const logs = [];
    const invokedCalls = [];
    // By outbox seq: a retried effect updates its first record instead of adding another.
    const bySeq = new Map();
    return {
        effects,
        entries,
        logs,
        invokedCalls,
        invoked(call) {
            invokedCalls.push(call);
            entries.push({ kind: 'invoked', call });
        },
        settled(effect, outcome) {
            const status = outcome.status === 'sent' ? 'sent' : outcome.status === 'retry' ? 'retrying' : 'failed';
            const error = outcome.status === 'sent' ? {} : { error: outcome.error };
            const known = bySeq.get(effect.seq);
            if (known)
                return (0, chat_effect_1.settleChatEffect)(known, { status, ...error });
            const record = (0, chat_effect_1.toChatEffect)({
                effect: effect.effect,
                meta: effect.meta,
                status,
                ...error,
            });
            bySeq.set(effect.seq, record);
            effects.push(record);
            entries.push({ kind: 'effect', effect: record });
        },
        logged(line) {
            logs.push(line);
            if (line.level !== 'warn') {
                entries.push({
                    kind: 'note',
                    text: `runtime ${line.level}: ${line.msg}${line.error ? ` (${line.error})` : ''}`,
                });
            }
        },
    };
}
