/**
 * A read-only view of (part of) a test chat: what the bot did and the transcript. The jest
 * matchers accept any view: the whole chat, or `chat.last` (only the latest step).
 */
import type { StateValue } from 'xstate';
import type { ChatButton, ChatEffect } from './chat-effect';
import { formatTranscript, type TranscriptEntry } from './chat-transcript';

/** What the matchers and tests read. */
export interface ChatView {
  /** Everything the bot did, in order, each with the REST call it became. */
  readonly effects: readonly ChatEffect[];
  /** Texts of the replies the portal accepted, in order. */
  readonly replies: readonly string[];
  /** The conversation as text: client lines, bot lines, system lines like `[operator]`. */
  readonly transcript: string;
  /** The whole conversation so far, also for `chat.last` (failure messages show it). */
  readonly conversation: string;
  /** The machine's state value now (`undefined` before the conversation started). */
  readonly state: StateValue | undefined;
}

/**
 * Reply texts of a list of effects (replies the portal refused are not counted: the client never
 * saw them).
 *
 * @example
 * repliesOf(chat.effects); // ['Hello, Ivan! ...', 'Please send me your order number.']
 */
export function repliesOf(effects: readonly ChatEffect[]): string[] {
  return effects.flatMap((e) =>
    (e.kind === 'say' || e.kind === 'sessionMessage') && e.status === 'sent' ? [e.text] : [],
  );
}

/**
 * The buttons of every reply that had some, oldest first.
 *
 * @example
 * keyboardsOf(chat.effects).at(-1); // [{ text: 'Order status', command: 'order' }, ...]
 */
export function keyboardsOf(effects: readonly ChatEffect[]): ChatButton[][] {
  return effects.flatMap((e) =>
    (e.kind === 'say' || e.kind === 'sessionMessage') && e.status === 'sent' && e.buttons.length > 0
      ? [e.buttons]
      : [],
  );
}

/**
 * A frozen view over slices of a chat's effects and transcript entries.
 *
 * @example
 * const last = createChatView({ effects: effects.slice(mark), entries: entries.slice(entryMark), state, allEntries: entries });
 */
export function createChatView(options: {
  effects: readonly ChatEffect[];
  entries: readonly TranscriptEntry[];
  state: StateValue | undefined;
  /** Every entry of the chat, when `entries` is only a part of them. */
  allEntries?: readonly TranscriptEntry[];
}): ChatView {
  const effects = [...options.effects];
  const transcript = formatTranscript(options.entries);
  return Object.freeze({
    effects,
    replies: repliesOf(effects),
    transcript,
    conversation: options.allEntries ? formatTranscript(options.allEntries) : transcript,
    state: options.state,
  });
}

/** A button a client can press, or why there is none. */
export type ButtonLookup = (ChatButton & { command: string }) | { missing: string };

/**
 * The button a client means: shown in a reply (latest first), found by its command or its text
 * (case-insensitive).
 *
 * @example
 * findButton(chat.effects, 'Order status'); // { text: 'Order status', command: 'order' }
 */
export function findButton(effects: readonly ChatEffect[], wanted: string): ButtonLookup {
  const needle = wanted.trim().toLowerCase();
  const shown = keyboardsOf(effects).reverse().flat();
  const button =
    shown.find((b) => b.command?.toLowerCase() === needle) ??
    shown.find((b) => b.text.trim().toLowerCase() === needle);
  if (button?.command !== undefined) return { ...button, command: button.command };
  const list = [
    ...new Set(shown.map((b) => `[${b.text}]${b.command ? ` (${b.command})` : ''}`)),
  ].join(' ');
  return {
    missing: `no button "${wanted}" was shown${list ? `; buttons shown: ${list}` : ' (no reply had buttons)'}`,
  };
}
