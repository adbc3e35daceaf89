/**
 * Keyboards for rich replies. A `command` button arrives back at the machine as a `command` event
 * (`{ type: 'command', command, params, source: 'keyboard' }`), so a flow can branch on it with
 * {@link isCommand}.
 */
import type { Keyboard, KeyboardButton } from './effect';

type ButtonStyle = 'primary' | 'secondary' | 'alert' | 'base';

/** Options of a button added with {@link KeyboardBuilder.button}: exactly one of `command`, `link`, `action`. */
export type ButtonOptions =
  | { command: string; params?: string; style?: ButtonStyle; block?: boolean }
  | { link: string }
  | { action: 'PUT' | 'SEND' | 'COPY' | 'CALL' | 'DIALOG'; value: string };

/** Fluent keyboard builder returned by `keyboard()`. */
export interface KeyboardBuilder {
  /** Appends a button to the current row. */
  button(text: string, options: ButtonOptions): KeyboardBuilder;
  /** Ends the current row; the next button starts a new one. */
  row(): KeyboardBuilder;
  /** The finished, frozen keyboard (empty rows are dropped). */
  build(): Keyboard;
}

/** A value `say(..., { keyboard })` accepts: a keyboard or an unfinished builder. */
export type KeyboardLike = Keyboard | KeyboardBuilder;

function toButton(text: string, options: ButtonOptions): KeyboardButton {
  if (typeof text !== 'string' || text.length === 0)
    throw new TypeError('keyboard button needs a non-empty text');
  if ('command' in options) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(options.command)) {
      throw new TypeError(
        `keyboard button "${text}": command must be latin letters, digits or "_" (as Bitrix24 commands are)`,
      );
    }
    const b: KeyboardButton = { text, command: options.command };
    if (options.params !== undefined) b.params = options.params;
    if (options.style !== undefined) b.style = options.style;
    if (options.block !== undefined) b.block = options.block;
    return b;
  }
  if ('link' in options) return { text, link: options.link };
  return { text, action: options.action, value: options.value };
}

function freeze(rows: KeyboardButton[][]): Keyboard {
  const kept = rows
    .filter((r) => r.length > 0)
    .map((r) => Object.freeze(r.map((b) => Object.freeze({ ...b }))));
  return Object.freeze({ rows: Object.freeze(kept) as KeyboardButton[][] });
}

/**
 * Builds a {@link Keyboard}: call it without arguments for a fluent builder, or pass the rows.
 *
 * @example
 * const menu = keyboard()
 *   .button('Order status', { command: 'order' })
 *   .button('Talk to a human', { command: 'operator', style: 'primary' })
 *   .row()
 *   .button('Our site', { link: 'https://example.com' })
 *   .build();
 * // or: keyboard([[{ text: 'Order status', command: 'order' }]])
 */
export function keyboard(): KeyboardBuilder;
export function keyboard(rows: Array<Array<{ text: string } & ButtonOptions>>): Keyboard;
export function keyboard(
  rows?: Array<Array<{ text: string } & ButtonOptions>>,
): KeyboardBuilder | Keyboard {
  if (rows !== undefined) {
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
      throw new TypeError('keyboard(rows) expects an array of rows (arrays of buttons)');
    }
    return freeze(rows.map((r) => r.map(({ text, ...options }) => toButton(text, options))));
  }
  const built: KeyboardButton[][] = [[]];
  const builder: KeyboardBuilder = {
    button(text, options) {
      built[built.length - 1]!.push(toButton(text, options));
      return builder;
    },
    row() {
      if (built[built.length - 1]!.length > 0) built.push([]);
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
export function isKeyboardBuilder(value: unknown): value is KeyboardBuilder {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as KeyboardBuilder).build === 'function'
  );
}
