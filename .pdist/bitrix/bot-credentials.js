"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.withBotCredentials = withBotCredentials;
const SESSION_METHODS_WITH_CLIENT_ID = new Set([
    'imopenlines.bot.session.transfer',
    'imopenlines.bot.session.finish',
]);
/**
 * Returns `params` with the bot credential the method needs added. Values the caller set
 * explicitly are kept, so one webhook can still drive a v1 and a v2 bot. `botApiVersion` (the
 * generation of the bot the call acts for) picks the `CLIENT_ID` of session transfer/finish when
 * both credentials are configured: the v1 `CLIENT_ID` for a v1 bot, the bot token for a v2 bot.
 *
 * @example
 * withBotCredentials('imbot.message.add', { MESSAGE: 'hi' }, { clientId: 'app1' }); // { MESSAGE: 'hi', CLIENT_ID: 'app1' }
 */
function withBotCredentials(method, params, creds, botApiVersion) {
    const m = method.toLowerCase();
    if (m.startsWith('imbot.v2.')) {
        if (!creds.botToken)
            return params;
        if (m === 'imbot.v2.bot.register') {
            const fields = isRecord(params.fields) ? params.fields : {};
            if (fields.botToken !== undefined)
                return params;
            return { ...params, fields: { ...fields, botToken: creds.botToken } };
        }
        return params.botToken === undefined ? { ...params, botToken: creds.botToken } : params;
    }
    if (m.startsWith('imbot.')) {
        return creds.clientId && params.CLIENT_ID === undefined
            ? { ...params, CLIENT_ID: creds.clientId }
            : params;
    }
    if (SESSION_METHODS_WITH_CLIENT_ID.has(m)) {
        // Without a known generation v2 is the default: the v2 bot token wins (a v1-only deployment sets just CLIENT_ID).
        const id = botApiVersion === 1 ? (creds.clientId ?? creds.botToken) : (creds.botToken ?? creds.clientId);
        return id && params.CLIENT_ID === undefined ? { ...params, CLIENT_ID: id } : params;
    }
    return params;
}
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
