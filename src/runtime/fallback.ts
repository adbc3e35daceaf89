/**
 * What a dialog receives when its turn failed (a `TurnError`): by default a short apology and a
 * hand-off to the line's operators, so the client is never left talking to a broken bot.
 */
import type { FallbackOption } from '../dsl/define-bot';
import type { Effect } from '../dsl/effect';
import type { DialogInput } from '../dsl/machine-events';
import type { TurnError } from './turn-error';

/** The runtime's default fallback. */
export const DEFAULT_FALLBACK: readonly Effect[] = Object.freeze([
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
export function fallbackEffects(options: {
  botFallback?: FallbackOption;
  runtimeFallback?: FallbackOption;
  error: TurnError;
  input?: DialogInput;
}): { effects: Effect[]; fallbackError?: unknown } {
  const chosen =
    options.botFallback !== undefined
      ? options.botFallback
      : options.runtimeFallback !== undefined
        ? options.runtimeFallback
        : DEFAULT_FALLBACK;
  if (chosen === false) return { effects: [] };
  if (typeof chosen !== 'function') return { effects: [...chosen] };
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
  } catch (e) {
    return { effects: [...DEFAULT_FALLBACK], fallbackError: e };
  }
}
