"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_FALLBACK = void 0;
exports.fallbackEffects = fallbackEffects;
/** The runtime's default fallback. */
exports.DEFAULT_FALLBACK = Object.freeze([
    {
        type: 'say',
        text: 'Sorry, something went wrong on our side. Let me connect you with an operator.',
    },
    { type: 'toOperator' },
]);
/**
 * The effects the failed dialog gets: the bot's fallback, else the runtime's, else the default.
 * A fallback function that throws yields the default (and the caller logs it).
 *
 * @example
 * const effects = fallbackEffects({ botFallback: bot.fallback, runtimeFallback: options.fallback, error, input });
 */
function fallbackEffects(options) {
    const chosen = options.botFallback !== undefined
        ? options.botFallback
        : options.runtimeFallback !== undefined
            ? options.runtimeFallback
            : exports.DEFAULT_FALLBACK;
    if (chosen === false)
        return { effects: [] };
    if (typeof chosen !== 'function')
        return { effects: [...chosen] };
    try {
        const args = {
            error: options.error,
            dialogKey: options.error.dialogKey,
            ...(options.input ? { input: options.input } : {}),
        };
        const out = chosen(args);
        if (!Array.isArray(out))
            throw new TypeError('the fallback function did not return an array of effects');
        return { effects: [...out] };
    }
    catch (e) {
        return { effects: [...exports.DEFAULT_FALLBACK], fallbackError: e };
    }
}
