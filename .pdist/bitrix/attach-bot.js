"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.attachBotToLine = attachBotToLine;
exports.detachBotFromLine = detachBotFromLine;
exports.listLines = listLines;
const openlines_call_1 = require("./openlines-call");
const errors_1 = require("../errors");
async function lineOf(api, lineId) {
    const line = await api.imopenlines.config.get({ CONFIG_ID: lineId });
    if (!line)
        throw new errors_1.ConfigError([`there is no open line with id ${lineId} (see: openlines-bot lines)`], 'Cannot change the line');
    return line;
}
function attachedBot(line) {
    return line.WELCOME_BOT_ENABLE === true ? (line.WELCOME_BOT_ID ?? 0) : 0;
}
/**
 * Makes `botId` the line's chatbot with the given settings; changes only what differs.
 *
 * @example
 * await attachBotToLine(client.api, { botId: 571, lineId: 1, join: 'first', timeSeconds: 600, left: 'queue' });
 */
async function attachBotToLine(api, options) {
    const { botId, lineId } = options;
    if (!Number.isInteger(botId) || botId <= 0)
        throw new errors_1.ConfigError(['botId must be a positive integer'], 'Cannot attach');
    if (options.timeSeconds !== undefined &&
        (!Number.isInteger(options.timeSeconds) || options.timeSeconds < 0))
        throw new errors_1.ConfigError(['--time must be a whole number of seconds (0: never hand over)'], 'Cannot attach');
    const line = await lineOf(api, lineId);
    const want = {
        WELCOME_BOT_ENABLE: 'Y',
        WELCOME_BOT_ID: botId,
        WELCOME_BOT_JOIN: options.join ?? line.WELCOME_BOT_JOIN ?? 'always',
        WELCOME_BOT_LEFT: options.left ?? line.WELCOME_BOT_LEFT ?? 'queue',
        ...(options.timeSeconds !== undefined ? { WELCOME_BOT_TIME: options.timeSeconds } : {}),
    };
    const have = {
        WELCOME_BOT_ENABLE: line.WELCOME_BOT_ENABLE === true ? 'Y' : 'N',
        WELCOME_BOT_ID: line.WELCOME_BOT_ID ?? 0,
        WELCOME_BOT_JOIN: line.WELCOME_BOT_JOIN,
        WELCOME_BOT_LEFT: line.WELCOME_BOT_LEFT,
        WELCOME_BOT_TIME: line.WELCOME_BOT_TIME,
    };
    const changes = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
    const previousBotId = attachedBot(line);
    if (Object.keys(changes).length === 0)
        return { status: 'unchanged', changes: {}, previousBotId };
    // The whole WELCOME_BOT_* set goes together, so the line never holds a half-changed bot setup.
    await api.imopenlines.config.update({ CONFIG_ID: lineId, PARAMS: want });
    return { status: 'changed', changes, previousBotId };
}
/**
 * Removes `botId` as the line's chatbot (`WELCOME_BOT_ENABLE=N`, `WELCOME_BOT_ID=0`); leaves a
 * line alone that has no bot or another bot (`other-bot`).
 *
 * @example
 * await detachBotFromLine(client.api, { botId: 571, lineId: 1 });
 */
async function detachBotFromLine(api, options) {
    const line = await lineOf(api, options.lineId);
    const previousBotId = attachedBot(line);
    if (previousBotId === 0)
        return { status: 'unchanged', changes: {}, previousBotId };
    if (options.botId === undefined || previousBotId !== options.botId)
        return { status: 'other-bot', changes: {}, previousBotId };
    const changes = { WELCOME_BOT_ENABLE: 'N', WELCOME_BOT_ID: 0 };
    await api.imopenlines.config.update({ CONFIG_ID: options.lineId, PARAMS: changes });
    return { status: 'changed', changes, previousBotId };
}
/**
 * The portal's lines with their chatbot settings: `config.list.get`, then one `batch` of
 * `config.get` (the list does not promise the `WELCOME_BOT_*` keys).
 *
 * @example
 * for (const l of await listLines(client.api)) console.log(l.id, l.name, l.botId);
 */
async function listLines(api) {
    const lines = await api.imopenlines.config.list.get({
        PARAMS: { select: ['ID', 'LINE_NAME', 'ACTIVE'] },
    });
    if (lines.length === 0)
        return [];
    const details = await api.imopenlines.batch(lines.map((l) => (0, openlines_call_1.openlinesCall)('imopenlines.config.get', { CONFIG_ID: l.ID })));
    return lines.map((l, i) => {
        const d = details[i];
        const full = d?.status === 'ok' ? (d.result) : null;
        const source = full ?? l;
        return {
            id: l.ID,
            name: source.LINE_NAME ?? l.LINE_NAME ?? '',
            active: (source.ACTIVE ?? l.ACTIVE) === true,
            botId: attachedBot(source),
            ...(source.WELCOME_BOT_JOIN !== undefined ? { join: source.WELCOME_BOT_JOIN } : {}),
            ...(source.WELCOME_BOT_TIME !== undefined ? { timeSeconds: source.WELCOME_BOT_TIME } : {}),
            ...(source.WELCOME_BOT_LEFT !== undefined ? { left: source.WELCOME_BOT_LEFT } : {}),
        };
    });
}
