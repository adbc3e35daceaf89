/**
 * Small guards for the common branches of a support flow. They accept any event, so they fit in
 * any transition of a machine typed with `BotEvent`.
 */
import type { EventObject } from 'xstate';

/** An xstate guard function usable inline: `guard: textMatches(/order/i)`. */
export type BotGuard = (args: { event: EventObject }) => boolean;

/**
 * True for a `message` event whose text matches `re`.
 *
 * @example
 * on: { message: [{ guard: textMatches(/operator|human/i), target: 'handoff' }, { target: 'faq' }] }
 */
export function textMatches(re: RegExp): BotGuard {
  if (!(re instanceof RegExp)) throw new TypeError('textMatches() needs a RegExp');
  return ({ event }) => {
    if (event.type !== 'message') return false;
    const text = (event as { text?: unknown }).text;
    if (typeof text !== 'string') return false;
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
export function isCommand(name: string): BotGuard {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError('isCommand() needs a command name');
  const wanted = name.replace(/^\//, '');
  return ({ event }) =>
    event.type === 'command' && (event as { command?: unknown }).command === wanted;
}
