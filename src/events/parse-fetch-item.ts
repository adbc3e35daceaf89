/**
 * v2 fetch mode: one item of `imbot.v2.Event.get` → {@link InboundEvent}.
 */
import { z } from 'zod';
import { EventValidationError, eventIssue } from './event-validation-error';
import type { InboundEvent } from './inbound-event';
import { guardJson } from './json-guard';
import { mapV2 } from './map-v2';
import { isV2EventType, unknownType } from './map-wire-event';
import type { DecodePhpFormOptions } from './php-form';
import { check, optStr, wireId } from './wire-schema';

/** Options of {@link parseFetchItem}. */
export interface ParseFetchItemOptions {
  /** One element of `result.events`: `{ eventId, type, date, data }`. */
  item: unknown;
  /** Fetch items carry no auth: the portal the poller asked. */
  portal: { memberId: string; domain: string };
  limits?: DecodePhpFormOptions;
}

const fetchItem = z.object({
  eventId: wireId,
  type: z.string().min(1).max(64),
  date: optStr(64),
  data: z.unknown(),
});

/**
 * Validates and normalizes one v2 fetch item. The result has `delivery: 'fetch'`, the
 * `eventId`, and the dedupe key `v2f:<memberId>:<botId>:<eventId>` (fetch is at-least-once).
 *
 * @throws {EventValidationError} for a malformed item or a type that is not a bot event
 *   (`ONIMV2*` user events of `withUserEvents` are refused too).
 * @example
 * for (const item of page.events) {
 *   const event = parseFetchItem({ item, portal: { memberId, domain } });
 *   await runtime.accept([event]);
 * }
 */
export function parseFetchItem(options: ParseFetchItemOptions): InboundEvent {
  const { portal } = options;
  if (!portal?.memberId || !portal.domain) {
    throw new EventValidationError([
      eventIssue('expected the portal (memberId, domain) of the poll', ['portal']),
    ]);
  }
  if (typeof options.item !== 'object' || options.item === null || Array.isArray(options.item)) {
    throw new EventValidationError([eventIssue('expected a fetch item object')]);
  }
  guardJson(options.item, options.limits);
  const item = check(fetchItem, options.item, { path: [] });
  const type = item.type.toUpperCase();
  if (!isV2EventType(type)) return unknownType(['type']);
  const millis = item.date ? Date.parse(item.date) : NaN;
  const ts = Number.isFinite(millis) ? Math.floor(millis / 1000) : undefined;
  return mapV2(type, { data: item.data }, { delivery: 'fetch', portal, eventId: item.eventId, ts });
}
