"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderKeyboard = renderKeyboard;
function renderButton(button) {
    if ('command' in button) {
        const out = {
            TEXT: button.text,
            COMMAND: button.command,
            COMMAND_PARAMS: button.params ?? '',
        };
        if (button.style !== undefined)
            out.BG_COLOR_TOKEN = button.style;
        if (button.block === true)
            out.BLOCK = 'Y';
        return out;
    }
    if ('link' in button)
        return { TEXT: button.text, LINK: button.link };
    return { TEXT: button.text, ACTION: button.action, ACTION_VALUE: button.value };
}
/**
 * Renders keyboard rows to Bitrix24 `KEYBOARD`, with `{ TYPE: 'NEWLINE' }` between rows.
 *
 * @example
 * renderKeyboard({ keyboard: { rows: [[{ text: 'Human', command: 'operator', style: 'primary' }], [{ text: 'Site', link: 'https://example.com' }]] }, botId: 571 })
 * // { BOT_ID: 571, BUTTONS: [{ TEXT: 'Human', COMMAND: 'operator', COMMAND_PARAMS: '', BG_COLOR_TOKEN: 'primary' },
 * //   { TYPE: 'NEWLINE' }, { TEXT: 'Site', LINK: 'https://example.com' }] }
 */
function renderKeyboard(options) {
    const buttons = [];
    for (const row of options.keyboard.rows) {
        if (row.length === 0)
            continue;
        if (buttons.length > 0)
            buttons.push({ TYPE: 'NEWLINE' });
        for (const button of row)
            buttons.push(renderButton(button));
    }
    return { BOT_ID: options.botId, BUTTONS: buttons };
}
