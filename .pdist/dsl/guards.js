"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.textMatches = textMatches;
exports.isCommand = isCommand;
/**
 * True for a `message` event whose text matches `re`.
 *
 * @example
 * on: { message: [{ guard: textMatches(/operator|human/i), target: 'handoff' }, { target: 'faq' }] }
 */
function textMatches(re) {
    if (!(re instanceof RegExp))
        throw new TypeError('textMatches() needs a RegExp');
    return ({ event }) => {
        if (event.type !== 'message')
            return false;
        const text = event.text;
        if (typeof text !== 'string')
            return false;
        // A global/sticky RegExp keeps lastIndex between calls; reset it so every event is tested from the start.
        re.lastIndex = 0;
        return re.test(text);
    };
}
/**
 * True for a `command` event (keyboard button, slash command or menu item) named `name`.
 *
 * @example
 * on: { command: { guard: isCommand('operator'), actions: toOperator() } }
 */
function isCommand(name) {
    if (typeof name !== 'string' || name.length === 0)
        throw new TypeError('isCommand() needs a command name');
    const wanted = name.replace(/^\//, '');
    return ({ event }) => event.type === 'command' && event.command === wanted;
}
