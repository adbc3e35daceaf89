/**
 * Renders the framework's {@link Keyboard} (rows of buttons) into the Bitrix24 `KEYBOARD` wire
 * structure. The keys stay UPPER_CASE for v1 (`imbot.message.add`) and v2
 * (`imbot.v2.Chat.Message.send`) alike.
 */
import type { Keyboard, KeyboardButton } from '../dsl/effect';

/** One Bitrix24 keyboard button, or the row break `{ TYPE: 'NEWLINE' }`. */
export type BitrixButton = Record<string, string>;

/** The Bitrix24 `KEYBOARD` value. */
export interface BitrixKeyboard {
  /** The bot that owns the button commands; without it a command may be routed to another bot. */
  BOT_ID: number;
  BUTTONS: BitrixButton[];
}

function renderButton(button: KeyboardButton): BitrixButton {
  if ('command' in button) {
    const out: BitrixButton = {
      TEXT: button.text,
      COMMAND: button.command,
      COMMAND_PARAMS: button.params ?? '',
    };
    if (button.style !== undefined) out.BG_COLOR_TOKEN = button.style;
    if (button.block === true) out.BLOCK = 'Y';
    return out;
  }
  if ('link' in button) return { TEXT: button.text, LINK: button.link };
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
export function renderKeyboard(options: { keyboard: Keyboard; botId: number }): BitrixKeyboard {
  const buttons: BitrixButton[] = [];
  for (const row of options.keyboard.rows) {
    if (row.length === 0) continue;
    if (buttons.length > 0) buttons.push({ TYPE: 'NEWLINE' });
    for (const button of row) buttons.push(renderButton(button));
  }
  return { BOT_ID: options.botId, BUTTONS: buttons };
}
