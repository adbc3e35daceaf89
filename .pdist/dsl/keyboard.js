"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.keyboard = keyboard;
exports.isKeyboardBuilder = isKeyboardBuilder;
function toButton(text, options) {
    if (typeof text !== 'string' || text.length === 0)
        throw new TypeError('keyboard button needs a non-empty text');
    if ('command' in options) {
        if (!/^[A-Za-z0-9_]{1,64}$/.test(options.command)) {
            throw new TypeError(`keyboard button "${text}": command must be latin letters, digits or "_" (as Bitrix24 commands are)`);
        }
        const b = { text, command: options.command };
        if (options.params !== undefined)
            b.params = options.params;
        if (options.style !== undefined)
            b.style = options.style;
        if (options.block !== undefined)
            b.block = options.block;
        return b;
    }
    if ('link' in options)
        return { text, link: options.link };
    return { text, action: options.action, value: options.value };
}
function freeze(rows) {
    const kept = rows
        .filter((r) => r.length > 0)
        .map((r) => Object.freeze(r.map((b) => Object.freeze({ ...b }))));
    return Object.freeze({ rows: Object.freeze(kept) });
}
function keyboard(rows) {
    if (rows !== undefined) {
        if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
            throw new TypeError('keyboard(rows) expects an array of rows (arrays of buttons)');
        }
        return freeze(rows.map((r) => r.map(({ text, ...options }) => toButton(text, options))));
    }
    const built = [[]];
    const builder = {
        button(text, options) {
            built[built.length - 1].push(toButton(text, options));
            return builder;
        },
        row() {
            if (built[built.length - 1].length > 0)
                built.push([]);
            return builder;
        },
        build: () => freeze(built),
    };
    return builder;
}
/**
 * True when `value` is a keyboard builder (not yet built).
 *
 * @example
 * const kb = isKeyboardBuilder(value) ? value.build() : value;
 */
function isKeyboardBuilder(value) {
    return (typeof value === 'object' &&
        value !== null &&
        typeof value.build === 'function');
}
