/**
 * External events: the host application's own events (a CRM webhook: "appointment confirmed")
 * delivered to a running dialog. They go through the dialog's durable inbox like Bitrix24 events,
 * so they are ordered with the dialog's other events, survive a restart, and a `key` makes a
 * repeated delivery a duplicate. The machine receives `event` as it was given.
 */
import { ConfigError } from '../errors';
import { dialogKeyOf, type DialogKey } from '../store/store';

/** An event of the host application: a `type` and JSON fields (declare your own union of them). */
export interface ExternalEvent {
  type: string;
}

/** Which dialog: its key (`dialogKeyOf(memberId, botId, chatId)`), or the three parts. */
export type DialogRef = DialogKey | { portalId: string; botId: number; chatId: number };

/** One delivery of {@link Runtime.deliver}. */
export interface ExternalDelivery<TEvent extends ExternalEvent = ExternalEvent> {
  dialog: DialogRef;
  /** What the machine receives; its `type` must not be one of the framework's own event types. */
  event: TEvent;
  /** Deduplication key: a second delivery with the same key (pending, or processed in the last 7 days) is a duplicate. */
  key?: string;
}

/** What {@link Runtime.deliver} did with one delivery. */
export type DeliverResult =
  | { status: 'accepted'; seq: number }
  | { status: 'duplicate' }
  /** The store knows no such dialog and nothing is pending for it: nothing was stored. */
  | { status: 'no-dialog' };

/** Event types the framework sends to machines itself, which a host may not forge. */
export const RESERVED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'join',
  'message',
  'command',
  'message.edit',
  'message.delete',
  'reaction',
  'context',
  'effect.failed',
  'operator.message',
]);

/** Largest JSON size of one external event. */
export const MAX_EXTERNAL_EVENT_BYTES = 64 * 1024;

const DIALOG_KEY = /^[A-Za-z0-9_.:-]{1,128}:\d{1,12}:\d{1,15}$/;
const TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

function dialogKeyOfRef(ref: unknown, problems: string[], at: string): DialogKey | undefined {
  if (typeof ref === 'string') {
    if (DIALOG_KEY.test(ref)) return ref;
    problems.push(
      `${at}dialog must be a dialog key "<portal member id>:<bot id>:<chat id>" or { portalId, botId, chatId }, got ${JSON.stringify(ref.slice(0, 80))}`,
    );
    return undefined;
  }
  const r = (typeof ref === 'object' && ref !== null ? ref : {}) as Record<string, unknown>;
  const ok =
    typeof r.portalId === 'string' &&
    /^[A-Za-z0-9_.-]{1,128}$/.test(r.portalId) &&
    Number.isSafeInteger(r.botId) &&
    (r.botId as number) > 0 &&
    Number.isSafeInteger(r.chatId) &&
    (r.chatId as number) > 0;
  if (!ok) {
    problems.push(
      `${at}dialog must be a dialog key "<portal member id>:<bot id>:<chat id>" or { portalId, botId, chatId } (positive integers)`,
    );
    return undefined;
  }
  return dialogKeyOf(r.portalId as string, r.botId as number, r.chatId as number);
}

/** A checked delivery: the dialog key, a JSON copy of the event, the dedupe key. */
export interface CheckedDelivery {
  dialogKey: DialogKey;
  event: { type: string; [field: string]: unknown };
  key?: string;
}

/**
 * Checks deliveries; throws a `ConfigError` with one line per problem.
 *
 * @example
 * const [d] = checkDeliveries([{ dialog: 'portal:7:42', event: { type: 'crm.booking.confirmed' } }]);
 */
export function checkDeliveries(deliveries: readonly unknown[]): CheckedDelivery[] {
  const problems: string[] = [];
  if (!Array.isArray(deliveries))
    throw new ConfigError(['deliver() needs an array of deliveries'], 'Invalid external events');
  const out: CheckedDelivery[] = [];
  deliveries.forEach((raw, i) => {
    const at = deliveries.length > 1 ? `[${i}] ` : '';
    const d = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const dialogKey = dialogKeyOfRef(d.dialog, problems, at);
    const e = d.event as Record<string, unknown> | undefined;
    let event: CheckedDelivery['event'] | undefined;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      problems.push(`${at}event must be an object with a "type"`);
    } else if (typeof e.type !== 'string' || !TYPE.test(e.type)) {
      problems.push(
        `${at}event.type must be a name such as "crm.booking.confirmed" (a letter, then letters, digits, ".", "_", ":" or "-"; at most 100)`,
      );
    } else if (RESERVED_EVENT_TYPES.has(e.type) || e.type.startsWith('xstate.')) {
      problems.push(
        `${at}event.type "${e.type}" is reserved for the framework's own events: choose a name of your own, e.g. "crm.${e.type}"`,
      );
    } else {
      let json: string | undefined;
      try {
        json = JSON.stringify(e);
      } catch {
        json = undefined;
      }
      if (json === undefined) problems.push(`${at}event must be JSON`);
      else if (Buffer.byteLength(json) > MAX_EXTERNAL_EVENT_BYTES)
        problems.push(`${at}event is larger than ${MAX_EXTERNAL_EVENT_BYTES} bytes as JSON`);
      else event = JSON.parse(json) as CheckedDelivery['event'];
    }
    if (
      d.key !== undefined &&
      (typeof d.key !== 'string' || d.key.length < 1 || d.key.length > 200)
    )
      problems.push(`${at}key must be a string of 1 to 200 characters`);
    if (dialogKey !== undefined && event !== undefined)
      out.push({ dialogKey, event, ...(typeof d.key === 'string' ? { key: d.key } : {}) });
  });
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid external events');
  return out;
}
