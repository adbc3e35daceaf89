/**
 * The mutable state of one fake portal (bots, chats, lines, event queues) and the helpers the
 * method handlers share. Transport-free: the HTTP server and the nock twin drive the same state.
 */
import type {
  BotState,
  ChatMessage,
  ChatState,
  LineConfig,
  QueuedEvent,
  SessionState,
} from './types';
import { fail, intval, strval, type Params } from './fault';

export interface PortalState {
  bots: Map<number, BotState>;
  /** Keyed by dialog id (`chat1777` or a user id). */
  chats: Map<string, ChatState>;
  lines: LineConfig[];
  /** Pending v2 fetch events per bot, ordered by eventId. */
  events: Map<number, QueuedEvent[]>;
  /** Events acknowledged by an offset, kept for `redeliverEvents`. */
  acked: Map<number, QueuedEvent[]>;
  leads: Array<{ id: number; fields: Params }>;
  /** `imbot.v2.Event.get` pacing: least ms between two requests of one bot, and each bot's last request. */
  eventGetPace?: { minMs: number; lastAt: Map<number, number> };
  seq: { bot: number; message: number; command: number; event: number; lead: number; session: number };
}

/** Everything a method handler gets besides its parameters. */
export interface MethodContext {
  state: PortalState;
  auth: 'webhook' | 'oauth';
  now: number;
  method: string;
}

export type MethodHandler = (params: Params, ctx: MethodContext) => unknown;

export const DEFAULT_LINE: LineConfig = {
  ID: 1,
  LINE_NAME: 'Support',
  ACTIVE: 'Y',
  WELCOME_MESSAGE: 'Y',
  WELCOME_MESSAGE_TEXT: 'Welcome! An operator will answer you soon.',
  WELCOME_BOT_ENABLE: 'Y',
  WELCOME_BOT_JOIN: 'always',
  WELCOME_BOT_LEFT: 'queue',
  QUEUE: [1],
};

/** Creates an empty portal state. */
export function createPortalState(options: { lines?: LineConfig[]; firstBotId?: number; eventGetMinIntervalMs?: number }): PortalState {
  return {
    eventGetPace: { minMs: options.eventGetMinIntervalMs ?? 2000, lastAt: new Map() },
    bots: new Map(),
    chats: new Map(),
    lines: (options.lines ?? [DEFAULT_LINE]).map((l) => ({ ...l })),
    events: new Map(),
    acked: new Map(),
    leads: [],
    seq: { bot: (options.firstBotId ?? 7) - 1, message: 100_000, command: 0, event: 1000, lead: 0, session: 300 },
  };
}

/** `chat1777` → 1777; a user dialog (`"15"`) → null. */
export function chatIdOf(dialogId: string): number | null {
  const m = /^chat(\d+)$/i.exec(dialogId);
  return m ? Number(m[1]) : null;
}

/** Returns the chat for a dialog id or numeric chat id, creating it on first use. */
export function chatFor(state: PortalState, ref: string | number, lineId?: number): ChatState {
  const dialogId = typeof ref === 'number' ? `chat${ref}` : ref;
  let chat = state.chats.get(dialogId);
  if (!chat) {
    const chatId = chatIdOf(dialogId);
    const line = lineId ?? state.lines[0]?.ID ?? 1;
    chat = {
      dialogId,
      chatId,
      lineId: line,
      userCode: `livechat|${line}|${chatId ?? 0}|${(chatId ?? 0) + 1}`,
      session: 'bot',
      sessionId: ++state.seq.session,
      messages: [],
      transfers: [],
      typing: 0,
    };
    state.chats.set(dialogId, chat);
  }
  return chat;
}

/** Moves a chat's session to a new state (tests use it to set up hand-offs done by people). */
export function setSession(chat: ChatState, session: SessionState, state: PortalState): void {
  if (session === 'bot' && chat.session === 'finished') chat.sessionId = ++state.seq.session;
  chat.session = session;
  if (session === 'bot') delete chat.operatorId;
}

/** Appends a message to a chat and returns it. */
export function postMessage(
  state: PortalState,
  chat: ChatState,
  message: Omit<ChatMessage, 'id' | 'dialogId' | 'edited' | 'deleted'>,
): ChatMessage {
  const full: ChatMessage = { id: ++state.seq.message, dialogId: chat.dialogId, edited: false, deleted: false, ...message };
  chat.messages.push(full);
  return full;
}

/** Finds a message by id in any chat. */
export function findMessage(state: PortalState, id: number): ChatMessage | undefined {
  for (const chat of state.chats.values()) {
    const found = chat.messages.find((m) => m.id === id);
    if (found) return found;
  }
  return undefined;
}

/**
 * Normalises a `KEYBOARD` / `fields.keyboard` value: JSON string, `{BUTTONS}` or a bare button
 * array (as Bitrix24 accepts them); `N` or empty removes it.
 */
export function normalizeKeyboard(value: unknown, error = 'KEYBOARD_ERROR'): ChatMessage['keyboard'] | null {
  if (value === undefined || value === null || value === '' || value === 'N') return null;
  let v: unknown = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      fail(error, 'Incorrect keyboard params');
    }
  }
  if (Array.isArray(v)) return { BUTTONS: v };
  if (v && typeof v === 'object' && Array.isArray((v as Params).BUTTONS)) {
    const buttons = (v as Params).BUTTONS as unknown[];
    const bad = buttons.some((b) => !b || typeof b !== 'object' || (!('TEXT' in b) && strval((b as Params).TYPE) !== 'NEWLINE'));
    if (bad) fail(error, 'Incorrect keyboard params');
    return v as ChatMessage['keyboard'];
  }
  return fail(error, 'Incorrect keyboard params');
}

/** Reads a positive integer id parameter, failing with `error` when absent or not numeric. */
export function requireId(params: Params, key: string, error: string, description: string): number {
  const id = intval(params[key]);
  if (id <= 0) fail(error, description);
  return id;
}

/** The `time` block of every answer. */
export function timeBlock(now: number): Record<string, unknown> {
  const start = Math.round(now) / 1000;
  const iso = new Date(now).toISOString().replace('Z', '+00:00');
  return {
    start,
    finish: (Math.round(now) + 1) / 1000,
    duration: 0.001,
    processing: 0,
    date_start: iso,
    date_finish: iso,
    operating_reset_at: Math.floor(start) + 600,
    operating: 0,
  };
}
