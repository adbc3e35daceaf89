/**
 * What an inbox item means for its dialog: a new conversation (a `join`, or the first event of a
 * chat), an event for the running conversation, a due timer that is still armed, a refused effect,
 * or nothing (stale timer, unknown bot, an event that does not reach machines).
 */
import type { BotDefinition } from '../dsl/define-bot';
import type { DialogInput } from '../dsl/machine-events';
import type { DialogRecord, InboxItem, TimerRecord } from '../store/store';
import type { BotRegistry } from './bot-registry';
import { dialogInputOf, toBotEvent } from './bot-event';
import { asInboxPayload, type TimerPayload } from './inbox-payload';
import type { Delivery } from './run-turn';

/** What the runtime keeps in `DialogRecord.meta`. */
export interface DialogMeta {
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
}

/**
 * The runtime's dialog meta, when the record has a valid one.
 *
 * @example
 * const input = metaOf(await store.loadDialog(key))?.input;
 */
export function metaOf(record: DialogRecord | undefined): DialogMeta | undefined {
  const m = record?.meta as DialogMeta | undefined;
  return m && typeof m.botCode === 'string' && typeof m.input === 'object' ? m : undefined;
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
}): Promise<TurnPlan | string> {
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
    if (event.type === 'operator.message' && (!running || meta.botCode !== bot.code))
      return "an operator's message never starts a conversation";
    const fresh = payload.event.kind === 'join' || !running || meta.botCode !== bot.code;
    const input = fresh ? dialogInputOf({ event: payload.event, botCode: bot.code }) : meta.input;
    return {
      bot,
      fresh,
      input,
      delivery: { kind: 'event', event },
      timersOnError: record?.timers ?? [],
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
    };
  }
  if (payload.kind === 'external') {
    return {
      bot,
      fresh: false,
      input: meta.input,
      delivery: { kind: 'event', event: payload.event },
      timersOnError: record.timers,
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
  };
}
