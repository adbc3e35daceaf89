/**
 * What an inbox item means for its dialog: a new conversation (a `join`, or the first event of a
 * chat or of an open-line session), an event for the running conversation, a due timer that is
 * still armed, a refused effect, a wait (a session's first message waits for its join), or
 * nothing (stale timer, unknown bot, an event that does not reach machines).
 */
import type { BotDefinition } from '../dsl/define-bot';
import type { DialogInput } from '../dsl/machine-events';
import type { MessageEvent } from '../events/inbound-event';
import type { DialogRecord, InboxItem, TimerRecord } from '../store/store';
import type { BotRegistry } from './bot-registry';
import { dialogInputOf, toBotEvent } from './bot-event';
import { asInboxPayload, type TimerPayload } from './inbox-payload';
import type { Delivery } from './run-turn';
import { JOIN_LOOKAHEAD, decideSession, fillInput, type SessionState } from './session-start';

/** What the runtime keeps in `DialogRecord.meta`. */
export interface DialogMeta extends SessionState {
  botCode: string;
  input: DialogInput;
  /** Incremented every time a conversation starts in this chat. */
  conversation: number;
}

/** What one inbox item means for its dialog. */
export interface TurnPlan {
  bot: BotDefinition;
  fresh: boolean;
  input: DialogInput;
  delivery: Delivery;
  /** Timers still stored after this item is consumed, when the turn fails. */
  timersOnError: readonly TimerRecord[];
  /** The inbox item the turn consumes: this one, or the session's join processed before it. */
  consumedSeq: number;
  /** The session's join, when it is processed before the waiting message (`consumedSeq` is its seq). */
  joinItem?: InboxItem;
  /** The conversation's session state after the turn. */
  session: SessionState;
  /** A join of the running conversation: consume it and update the meta, run nothing. */
  absorb?: boolean;
}

/** The item stays in the inbox until `waitUntil` (ms since epoch): its session's join may still come. */
export interface TurnWait {
  waitUntil: number;
}

/** What {@link planTurn} needs to apply the session rules (`session-start.ts`). */
export interface SessionRules {
  now: number;
  /** 0 disables the wait for a join. */
  joinWindowMs: number;
  peek: (limit: number) => Promise<InboxItem[]>;
}

/**
 * The runtime's dialog meta, when the record has a valid one.
 *
 * @example
 * const input = metaOf(await store.loadDialog(key))?.input;
 */
function sessionOf(meta: DialogMeta | undefined): SessionState {
  const out: SessionState = {};
  if (meta?.joined !== undefined) out.joined = meta.joined;
  if (meta?.startedAt !== undefined) out.startedAt = meta.startedAt;
  return out;
}

export function metaOf(record: DialogRecord | undefined): DialogMeta | undefined {
  const m = record?.meta as DialogMeta | undefined;
  return m && typeof m.botCode === 'string' && typeof m.input === 'object' ? m : undefined;
}

/** The session rules' look at the items behind (a returned arrow: no function naming per turn by loaders that keep names). */
function lookahead(rules: SessionRules): () => Promise<InboxItem[]> {
  return () => rules.peek(JOIN_LOOKAHEAD);
}

/** The deadline a timer item fired for: from the payload, else from the store's dedupe key. */
function firedDeadline(item: InboxItem, payload: TimerPayload): number | undefined {
  if (typeof payload.deadline === 'number') return payload.deadline;
  const last = Number(item.dedupeKey?.split(':').pop());
  return Number.isFinite(last) ? last : undefined;
}

/**
 * Decides what an inbox item means for its dialog; a string is the reason to discard the item.
 *
 * @example
 * const plan = await planTurn({ bots, item, record });
 * if (typeof plan === 'string') await store.discardInbox(item.seq);
 */
export async function planTurn(options: {
  bots: BotRegistry;
  item: InboxItem;
  record: DialogRecord | undefined;
  /** Without it every join starts a new conversation and no message waits. */
  sessions?: SessionRules;
}): Promise<TurnPlan | TurnWait | string> {
  const { bots, item, record } = options;
  const payload = asInboxPayload(item.payload);
  if (!payload) return 'unknown inbox payload';
  const meta = metaOf(record);
  const running =
    record !== undefined &&
    record.snapshot !== null &&
    record.snapshot !== undefined &&
    meta !== undefined;
  if (payload.kind === 'event') {
    const bot = await bots.resolve(payload.event);
    if (!bot) return `no served bot for bot id ${payload.event.bot.id}`;
    const event = toBotEvent(payload.event, { operatorMessages: bot.operatorMessages });
    if (!event) return `event ${payload.event.kind} does not reach machines`;
    const sameBot = running && meta.botCode === bot.code;
    if (event.type === 'operator.message' && !sameBot)
      return "an operator's message never starts a conversation";
    const e = payload.event;
    const base = { bot, timersOnError: record?.timers ?? [], consumedSeq: item.seq };
    const rules = options.sessions;
    if (rules && e.isOpenLine && (e.kind === 'join' || event.type === 'message')) {
      const d = await decideSession({
        item,
        event: e as Parameters<typeof decideSession>[0]['event'],
        ...(sameBot ? { running: { input: meta.input, session: sessionOf(meta) } } : {}),
        ...(meta?.input.sessionId !== undefined ? { lastSessionId: meta.input.sessionId } : {}),
        now: rules.now,
        joinWindowMs: rules.joinWindowMs,
        peek: lookahead(rules),
      });
      switch (d.action) {
        case 'wait':
          return { waitUntil: d.until };
        case 'absorb':
          return {
            ...base,
            fresh: false,
            absorb: true,
            input: meta?.input ?? dialogInputOf({ event: e, botCode: bot.code }),
            delivery: { kind: 'event', event },
            session: { ...sessionOf(meta), joined: true },
          };
        case 'join-first': {
          const join = toBotEvent(d.join) ?? { type: 'join' };
          const from = e as MessageEvent;
          const input = fillInput(dialogInputOf({ event: d.join, botCode: bot.code }), from);
          return {
            ...base,
            consumedSeq: d.item.seq,
            joinItem: d.item,
            fresh: true,
            input,
            delivery: {
              kind: 'event',
              event:
                join.type === 'join' && input.client ? { ...join, client: input.client } : join,
            },
            session: { joined: true, startedAt: rules.now },
          };
        }
        case 'start': {
          let input = dialogInputOf({ event: e, botCode: bot.code });
          if (d.fill) input = fillInput(input, d.fill);
          return {
            ...base,
            fresh: true,
            input,
            delivery: { kind: 'event', event },
            session: { joined: e.kind === 'join', startedAt: rules.now },
          };
        }
        case 'deliver': {
          const m = meta as DialogMeta;
          const adopt = m.input.sessionId === undefined && e.sessionId !== undefined;
          return {
            ...base,
            fresh: false,
            input: adopt ? { ...m.input, sessionId: e.sessionId } : m.input,
            delivery: { kind: 'event', event },
            session: sessionOf(m),
          };
        }
      }
    }
    const fresh = e.kind === 'join' || !sameBot;
    const input = fresh ? dialogInputOf({ event: e, botCode: bot.code }) : meta.input;
    return {
      ...base,
      fresh,
      input,
      delivery: { kind: 'event', event },
      session: fresh
        ? { joined: e.kind === 'join', ...(rules ? { startedAt: rules.now } : {}) }
        : sessionOf(meta),
    };
  }
  if (!running) return `${payload.kind} for a dialog with no running conversation`;
  const bot = bots.byCode(meta.botCode);
  if (!bot) return `bot ${meta.botCode} is no longer served`;
  if (payload.kind === 'timer') {
    const deadline = firedDeadline(item, payload);
    const timer = record.timers.find(
      (t) =>
        t.timerKey === payload.timerKey &&
        (deadline === undefined ? t.fired === true : t.deadline === deadline),
    );
    if (!timer) return `timer ${payload.timerKey} was cancelled or re-armed`;
    const rest = record.timers.filter((t) => t !== timer);
    return {
      bot,
      fresh: false,
      input: meta.input,
      delivery: { kind: 'timer', timerKey: timer.timerKey },
      timersOnError: rest,
      consumedSeq: item.seq,
      session: sessionOf(meta),
    };
  }
  if (payload.kind === 'external') {
    return {
      bot,
      fresh: false,
      input: meta.input,
      delivery: { kind: 'event', event: payload.event },
      timersOnError: record.timers,
      consumedSeq: item.seq,
      session: sessionOf(meta),
    };
  }
  const { effect, method, code, description } = payload;
  const event = {
    type: 'effect.failed',
    effect,
    method,
    code,
    ...(description !== undefined ? { description } : {}),
  };
  return {
    bot,
    fresh: false,
    input: meta.input,
    delivery: { kind: 'event', event },
    timersOnError: record.timers,
    consumedSeq: item.seq,
    session: sessionOf(meta),
  };
}
