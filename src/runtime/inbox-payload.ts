/**
 * The runtime's inbox payloads (the store keeps them as opaque JSON). Every item is processed in
 * its dialog's mailbox, in `seq` order.
 */
import type { Effect } from '../dsl/effect';
import type { DialogEvent } from '../events/inbound-event';

/** An accepted Bitrix24 event. */
export interface EventPayload {
  kind: 'event';
  event: DialogEvent;
}

/** A durable timer that reached its deadline (written by `store.fireDueTimers`). */
export interface TimerPayload {
  kind: 'timer';
  timerKey: string;
  event: unknown;
  meta?: unknown;
  /** The deadline it fired for (a re-armed timer of the same key has another one). */
  deadline?: number;
}

/** A REST call the machine asked for was refused by Bitrix24 for good. */
export interface EffectFailedPayload {
  kind: 'effect.failed';
  effect: Effect;
  method: string;
  code: string;
  description?: string;
}

/** An event of the host application for a running dialog (`runtime.deliver`). */
export interface ExternalPayload {
  kind: 'external';
  event: { type: string; [field: string]: unknown };
}

export type InboxPayload = EventPayload | TimerPayload | EffectFailedPayload | ExternalPayload;

/**
 * Narrows an inbox payload read back from the store; `undefined` for anything unknown.
 *
 * @example
 * const payload = asInboxPayload(item.payload);
 * if (payload?.kind === 'timer') console.log(payload.timerKey);
 */
export function asInboxPayload(value: unknown): InboxPayload | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === 'event' && typeof (value as EventPayload).event === 'object')
    return value as EventPayload;
  if (kind === 'timer' && typeof (value as TimerPayload).timerKey === 'string')
    return value as TimerPayload;
  if (kind === 'effect.failed' && typeof (value as EffectFailedPayload).method === 'string')
    return value as EffectFailedPayload;
  if (kind === 'external' && typeof (value as ExternalPayload).event?.type === 'string')
    return value as ExternalPayload;
  return undefined;
}
