/**
 * Which open-line session an event belongs to, and so whether it starts a conversation.
 *
 * Portals send a session's join and its first client message at the same moment and often
 * deliver the message first (README trap 13). So a client message that would start a
 * conversation (none running, or a new session id) waits in the dialog's inbox until its join
 * arrives, at most `joinWindowMs` after the message was received; when the join is (or becomes)
 * pending behind it, the join is processed first. The wait lives in the store (the message stays
 * in the inbox, `receivedAt` bounds it), so it holds across processes and restarts.
 *
 * A join whose session is the running conversation's never restarts it. A v1 join carries no
 * session id: it takes the session of the first client message pending behind it; without one,
 * it is the late join of a conversation that a message started (no join seen yet, started at most
 * {@link LATE_JOIN_MS} ago), and otherwise a new session's join.
 */
import type { DialogInput } from '../dsl/machine-events';
import type { DialogEvent, JoinEvent, MessageEvent } from '../events/inbound-event';
import type { InboxItem } from '../store/store';
import { isOperatorMessage } from './bot-event';
import { asInboxPayload } from './inbox-payload';

/** How many pending items of the dialog are searched for a waiting message's join. */
export const JOIN_LOOKAHEAD = 32;

/** A session-less join this soon after a message started the conversation is that conversation's join. */
export const LATE_JOIN_MS = 60_000;

/** What the runtime remembers of the current conversation's session (in the dialog meta). */
export interface SessionState {
  /** The conversation saw its session's join. */
  joined?: boolean;
  /** When the conversation started (ms since epoch). */
  startedAt?: number;
}

/** What an open-line join or client message means for the dialog's conversation. */
export type SessionDecision =
  /** Deliver to the running conversation (a client message of its session). */
  | { action: 'deliver' }
  /** Start a new conversation with this event; `fill` completes a join's input from its session's message. */
  | { action: 'start'; fill?: MessageEvent }
  /** A join of the running conversation's session: consume it, restart nothing. */
  | { action: 'absorb' }
  /** Process the session's join (pending behind this message) first. */
  | { action: 'join-first'; item: InboxItem; join: JoinEvent }
  /** Leave the message in the inbox until `until` (its join may still arrive). */
  | { action: 'wait'; until: number };

/** What {@link decideSession} needs to know about the dialog. */
export interface SessionContext {
  /** The inbox item of `event`. */
  item: InboxItem;
  event: JoinEvent | MessageEvent;
  /** The running conversation of the same bot, if any. */
  running?: { input: DialogInput; session: SessionState };
  /** The session id of the dialog's last conversation, also when it has ended. */
  lastSessionId?: number;
  now: number;
  joinWindowMs: number;
  /** The dialog's oldest pending items (`store.peekInbox`). */
  peek: () => Promise<InboxItem[]>;
}

function eventOf(item: InboxItem): DialogEvent | undefined {
  const payload = asInboxPayload(item.payload);
  return payload?.kind === 'event' ? payload.event : undefined;
}

function isClientMessage(e: DialogEvent | undefined): e is MessageEvent {
  return e?.kind === 'message' && e.isOpenLine && !e.isSystem && !isOperatorMessage(e);
}

/**
 * Decides what an open-line `join` or client `message` means for the dialog's conversation.
 *
 * @example
 * const d = await decideSession({ item, event, running, now, joinWindowMs: 1000, peek });
 * if (d.action === 'wait') retryLater(d.until - now);
 */
export async function decideSession(ctx: SessionContext): Promise<SessionDecision> {
  const { item, event, running } = ctx;
  const behind = async () => (await ctx.peek()).filter((i) => i.seq > item.seq);
  if (event.kind === 'join') {
    const next = (await behind()).map(eventOf).find(isClientMessage);
    if (!running) return next ? { action: 'start', fill: next } : { action: 'start' };
    const session = event.sessionId ?? next?.sessionId;
    const current = running.input.sessionId;
    if (session !== undefined && current !== undefined)
      return session === current ? { action: 'absorb' } : { action: 'start', ...fill(next) };
    const { joined, startedAt } = running.session;
    const late = !joined && (startedAt === undefined || ctx.now - startedAt <= LATE_JOIN_MS);
    return late ? { action: 'absorb' } : { action: 'start', ...fill(next) };
  }
  const session = event.sessionId;
  if (running) {
    const current = running.input.sessionId;
    if (session === undefined || current === undefined || session === current)
      return { action: 'deliver' };
  } else if (session !== undefined && ctx.lastSessionId === session) {
    // The session's conversation ended; its join was already here and none will come.
    return { action: 'start' };
  }
  if (ctx.joinWindowMs <= 0) return { action: 'start' };
  for (const candidate of await behind()) {
    const e = eventOf(candidate);
    if (e?.kind !== 'join') continue;
    if (e.sessionId === undefined || session === undefined || e.sessionId === session)
      return { action: 'join-first', item: candidate, join: e };
  }
  const until = item.receivedAt + ctx.joinWindowMs;
  return ctx.now < until ? { action: 'wait', until } : { action: 'start' };
}

function fill(next: MessageEvent | undefined): { fill?: MessageEvent } {
  return next ? { fill: next } : {};
}

/**
 * A join's conversation input completed from its session's first client message: the session
 * id, the client (a v1 join may carry only its id), CRM bindings and language when the join
 * lacks them.
 *
 * @example
 * const input = fillInput(dialogInputOf({ event: join, botCode }), firstMessage);
 */
export function fillInput(input: DialogInput, from: MessageEvent): DialogInput {
  const out: DialogInput = { ...input };
  if (out.sessionId === undefined && from.sessionId !== undefined) out.sessionId = from.sessionId;
  if (from.client && (!out.client || (out.client.id === from.client.id && !out.client.name)))
    out.client = from.client;
  if (Object.keys(out.crm).length === 0 && Object.keys(from.crm).length > 0)
    out.crm = { ...from.crm };
  if (out.lineId === undefined && from.lineId !== undefined) out.lineId = from.lineId;
  if (out.connector === undefined && from.connector !== undefined) out.connector = from.connector;
  if (out.language === undefined && from.language !== undefined) out.language = from.language;
  return out;
}
