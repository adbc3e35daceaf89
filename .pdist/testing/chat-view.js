"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.repliesOf = repliesOf;
exports.keyboardsOf = keyboardsOf;
exports.createChatView = createChatView;
exports.findButton = findButton;
const chat_transcript_1 = require("./chat-transcript");
/**
 * Reply texts of a list of effects (replies the portal refused are not counted: the client never
 * saw them).
 *
 * @example
 * repliesOf(chat.effects); // ['Hello, Ivan! ...', 'Please send me your order number.']
 */
function repliesOf(effects) {
    return effects.flatMap((e) => (e.kind === 'say' || e.kind === 'sessionMessage') && e.status === 'sent' ? [e.text] : []);
}
/**
 * The buttons of every reply that had some, oldest first.
 *
 * @example
 * keyboardsOf(chat.effects).at(-1); // [{ text: 'Order status', command: 'order' }, ...]
 */
function keyboardsOf(effects) {
    return effects.flatMap((e) => (e.kind === 'say' || e.kind === 'sessionMessage') && e.status === 'sent' && e.buttons.length > 0
        ? [e.buttons]
        : []);
}
/**
 * A frozen view over slices of a chat's effects and transcript entries.
 *
 * @example
 * const last = createChatView({ effects: effects.slice(mark), entries: entries.slice(entryMark), state, allEntries: entries });
 */
function createChatView(options) {
    const effects = [...options.effects];
    const transcript = (0, chat_transcript_1.formatTranscript)(options.entries);
    return Object.freeze({
        effects,
        replies: repliesOf(effects),
        transcript,
        conversation: options.allEntries ? (0, chat_transcript_1.formatTranscript)(options.allEntries) : transcript,
        state: options.state,
    });
}
/**
 * The button a client means: shown in a reply (latest first), found by its command or its text
 * (case-insensitive).
 *
 * @example
 * findButton(chat.effects, 'Order status'); // { text: 'Order status', command: 'order' }
 */
function findButton(effects, wanted) {
    const needle = wanted.trim().toLowerCase();
    const shown = keyboardsOf(effects).reverse().flat();
    const button = shown.find((b) => b.command?.toLowerCase() === needle) ??
        shown.find((b) => b.text.trim().toLowerCase() === needle);
    if (button?.command !== undefined)
        return { ...button, command: button.command };
    const list = [
        ...new Set(shown.map((b) => `[${b.text}]${b.command ? ` (${b.command})` : ''}`)),
    ].join(' ');
    return {
        missing: `no button "${wanted}" was shown${list ? `; buttons shown: ${list}` : ' (no reply had buttons)'}`,
    };
}
