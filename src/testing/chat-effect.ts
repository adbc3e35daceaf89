/**
 * What a bot did in a test chat: one typed record per effect, with the REST call it became and
 * whether the portal took it.
 */
import type { Effect, Keyboard, KeyboardButton } from '../dsl/effect';
import { effectToCall, type EffectCall, type EffectMeta } from '../runtime/effect-call';

/** A button under a reply. */
export interface ChatButton {
  text: string;
  /** Set for command buttons: pressing it sends this command back to the bot. */
  command?: string;
  params?: string;
  link?: string;
  action?: string;
}

/** Whether the portal took the call: `sent`, refused for good (`failed`), or waiting for a retry (`retrying`). */
export type ChatEffectStatus = 'sent' | 'failed' | 'retrying';

interface ChatEffectBase {
  /** The effect as the machine emitted it. */
  effect: Effect;
  /** The REST call it became. */
  call: EffectCall;
  status: ChatEffectStatus;
  /** The Bitrix24 error code when the call was refused (or is being retried), e.g. `WRONG_CHAT`. */
  error?: string;
}

/** One thing the bot did, discriminated by `kind`. */
export type ChatEffect =
  /** A reply through the bot messaging API (with a keyboard or an attachment, or `via: 'bot'`). */
  | (ChatEffectBase & {
      kind: 'say';
      text: string;
      buttons: ChatButton[];
      keyboard?: Keyboard;
      attach?: unknown;
    })
  /** A plain-text reply through `imopenlines.bot.session.message.send`. */
  | (ChatEffectBase & { kind: 'sessionMessage'; text: string; buttons: ChatButton[] })
  /** The line's welcome message. */
  | (ChatEffectBase & { kind: 'greet' })
  | (ChatEffectBase & { kind: 'typing' })
  | (ChatEffectBase & { kind: 'toOperator' })
  | (ChatEffectBase & {
      kind: 'transfer';
      to: { userId: number } | { lineId: number };
      leave?: boolean;
    })
  | (ChatEffectBase & { kind: 'finish' })
  /** A file sent to the client (`sendFile`); `size` in bytes. */
  | (ChatEffectBase & { kind: 'sendFile'; name: string; size: number; text?: string })
  /** A reaction set (or removed) on a message. */
  | (ChatEffectBase & { kind: 'react'; messageId: number; reaction: string; remove: boolean })
  /** The answer to a slash command. */
  | (ChatEffectBase & { kind: 'answerCommand'; text: string; commandId: number; messageId: number })
  /** Any other REST call (`callRest`). */
  | (ChatEffectBase & { kind: 'call'; method: string; params: Record<string, unknown> });

/** The effect kinds. */
export type ChatEffectKind = ChatEffect['kind'];

/**
 * The buttons of a keyboard, row by row flattened.
 *
 * @example
 * buttonsOf(keyboard([[{ text: 'Order status', command: 'order' }]])); // [{ text: 'Order status', command: 'order' }]
 */
export function buttonsOf(keyboard: Keyboard | undefined): ChatButton[] {
  if (!keyboard) return [];
  return keyboard.rows.flat().map((b: KeyboardButton): ChatButton => {
    if ('command' in b)
      return {
        text: b.text,
        command: b.command,
        ...(b.params !== undefined ? { params: b.params } : {}),
      };
    if ('link' in b) return { text: b.text, link: b.link };
    return { text: b.text, action: b.action };
  });
}

/** `WRONG_CHAT: Operator is not a bot` → `WRONG_CHAT`. */
function codeOf(error: string): string {
  const i = error.indexOf(':');
  return (i < 0 ? error : error.slice(0, i)).trim();
}

/**
 * The typed record of one effect that went to the portal.
 *
 * @example
 * const record = toChatEffect({ effect: { type: 'toOperator' }, meta, status: 'sent' });
 * record.call; // { method: 'imopenlines.bot.session.operator', params: { CHAT_ID: 1777 } }
 */
export function toChatEffect(options: {
  effect: Effect;
  meta: EffectMeta;
  status: ChatEffectStatus;
  error?: string;
}): ChatEffect {
  const { effect } = options;
  let call: EffectCall;
  try {
    call = effectToCall(effect, options.meta);
  } catch {
    // An effect the bot's API cannot carry (e.g. a file from a v1 bot) fails as INVALID_EFFECT.
    call = { method: '', params: {} };
  }
  const base: ChatEffectBase = {
    effect,
    call,
    status: options.status,
    ...(options.error !== undefined ? { error: codeOf(options.error) } : {}),
  };
  switch (effect.type) {
    case 'say': {
      const buttons = buttonsOf(effect.keyboard);
      if (call.method === 'imopenlines.bot.session.message.send')
        return { ...base, kind: 'sessionMessage', text: effect.text, buttons };
      return {
        ...base,
        kind: 'say',
        text: effect.text,
        buttons,
        ...(effect.keyboard ? { keyboard: effect.keyboard } : {}),
        ...(effect.attach !== undefined ? { attach: effect.attach } : {}),
      };
    }
    case 'transfer':
      return {
        ...base,
        kind: 'transfer',
        to: effect.to,
        ...(effect.leave !== undefined ? { leave: effect.leave } : {}),
      };
    case 'call':
      return { ...base, kind: 'call', method: effect.method, params: effect.params };
    case 'sendFile':
      return {
        ...base,
        kind: 'sendFile',
        name: effect.name,
        size: Buffer.from(effect.content, 'base64').length,
        ...(effect.text !== undefined ? { text: effect.text } : {}),
      };
    case 'react':
      return {
        ...base,
        kind: 'react',
        messageId: effect.messageId,
        reaction: effect.reaction,
        remove: effect.remove === true,
      };
    case 'answerCommand':
      return {
        ...base,
        kind: 'answerCommand',
        text: effect.text,
        commandId: effect.commandId,
        messageId: effect.messageId,
      };
    default:
      return { ...base, kind: effect.type };
  }
}

/**
 * Updates a record when a later attempt of the same effect settled.
 *
 * @example
 * settleChatEffect(record, { status: 'sent' });
 */
export function settleChatEffect(
  record: ChatEffect,
  outcome: { status: ChatEffectStatus; error?: string },
): void {
  record.status = outcome.status;
  if (outcome.error !== undefined) record.error = codeOf(outcome.error);
  else delete record.error;
}
