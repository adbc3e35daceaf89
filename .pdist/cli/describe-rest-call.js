"use strict";
/**
 * Turns the REST calls a bot made into what a person in the chat would see: the bot's messages
 * (with their keyboards as numbered choices) and system lines for the hand-off methods. Used by
 * `chat` and by `serve`'s local simulator log. It reads the wire parameters, so it shows what
 * really left the framework, v1 and v2 alike.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.choicesOf = choicesOf;
exports.describeRestCall = describeRestCall;
exports.formatChatOutput = formatChatOutput;
function str(value) {
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
function obj(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
}
/** `KEYBOARD` / `fields.keyboard`: `{ BUTTONS: [...] }`, a bare button list, or either as a JSON string. */
function choicesOf(keyboard) {
    let kb = keyboard;
    if (typeof kb === 'string') {
        try {
            kb = JSON.parse(kb);
        }
        catch {
            return [];
        }
    }
    const buttons = Array.isArray(kb) ? kb : obj(kb)?.BUTTONS;
    const list = Array.isArray(buttons)
        ? buttons
        : obj(buttons)
            ? Object.values(obj(buttons) ?? {})
            : [];
    const choices = [];
    for (const b of list) {
        const button = obj(b);
        if (!button || str(button.TYPE).toUpperCase() === 'NEWLINE')
            continue;
        const text = str(button.TEXT);
        if (button.COMMAND !== undefined)
            choices.push({
                text,
                command: str(button.COMMAND).replace(/^\//, ''),
                params: str(button.COMMAND_PARAMS),
            });
        else if (button.LINK !== undefined)
            choices.push({ text, link: str(button.LINK) });
        else if (button.ACTION !== undefined)
            choices.push({
                text,
                action: str(button.ACTION).toUpperCase(),
                value: str(button.ACTION_VALUE),
            });
    }
    return choices;
}
function transferText(params) {
    const user = Number(params.USER_ID);
    const line = Number(params.QUEUE_ID);
    const to = user > 0 ? `operator #${user}` : line > 0 ? `line ${line}` : `"${str(params.TRANSFER_ID)}"`;
    return `[bot transferred the dialog to ${to}${str(params.LEAVE) === 'Y' ? ' and left the chat' : ''}]`;
}
/**
 * Describes one REST call as chat output, or `undefined` for calls a client would not notice
 * (registration, reads).
 *
 * @example
 * describeRestCall({ method: 'imopenlines.bot.session.operator', params: { CHAT_ID: 1 } });
 * // { kind: 'system', text: '[bot handed the dialog to an operator]' }
 */
function describeRestCall(call) {
    const params = call.params ?? {};
    switch (call.method.toLowerCase()) {
        case 'imopenlines.bot.session.message.send':
            if (str(params.NAME).toUpperCase() === 'WELCOME') {
                return {
                    kind: 'system',
                    text: `[bot sent the line's welcome message${call.welcomeText ? `: ${call.welcomeText}` : ''}]`,
                };
            }
            return { kind: 'bot', text: str(params.MESSAGE), choices: [], via: call.method };
        case 'imbot.v2.chat.message.send': {
            const fields = obj(params.fields) ?? {};
            return {
                kind: 'bot',
                text: str(fields.message),
                choices: choicesOf(fields.keyboard),
                via: call.method,
            };
        }
        case 'imbot.message.add':
            return {
                kind: 'bot',
                text: str(params.MESSAGE),
                choices: choicesOf(params.KEYBOARD),
                via: call.method,
            };
        case 'imbot.v2.chat.inputaction.notify':
        case 'imbot.chat.sendtyping':
            return { kind: 'system', text: '[bot is typing…]' };
        case 'imopenlines.bot.session.operator':
            return { kind: 'system', text: '[bot handed the dialog to an operator]' };
        case 'imopenlines.bot.session.transfer':
            return { kind: 'system', text: transferText(params) };
        case 'imopenlines.bot.session.finish':
            return { kind: 'system', text: '[bot finished the session]' };
        case 'crm.lead.add': {
            const fields = obj(params.fields) ?? obj(params.FIELDS) ?? {};
            return {
                kind: 'system',
                text: `[bot created a CRM lead${str(fields.TITLE) ? `: ${str(fields.TITLE)}` : ''}]`,
            };
        }
        default:
            if (/^(imbot\.(v2\.)?bot\.|imbot\.(register|unregister|update|bot\.list)|imbot\.v2\.event\.get|imopenlines\.(config|dialog)\.)/i.test(call.method)) {
                return undefined;
            }
            return { kind: 'system', text: `[bot called ${call.method}]` };
    }
}
/**
 * Formats chat output as terminal lines: `bot: ...` with numbered choices under it, or the system line.
 *
 * @example
 * formatChatOutput({ kind: 'bot', text: 'Hi', choices: [{ text: 'Human', command: 'operator', params: '' }], via: 'imbot.message.add' });
 * // ['bot: Hi', '  1) Human']
 */
function formatChatOutput(output) {
    if (output.kind === 'system')
        return [output.text];
    const lines = output.text.split(/\r?\n/).map((l, i) => (i === 0 ? `bot: ${l}` : `     ${l}`));
    output.choices.forEach((c, i) => {
        const extra = 'link' in c
            ? ` (${c.link})`
            : 'action' in c
                ? ` (${c.action.toLowerCase()} "${c.value}")`
                : '';
        lines.push(`  ${i + 1}) ${c.text}${extra}`);
    });
    return lines;
}
