/**
 * The `result` of `imbot.v2.Event.get`: `{ events, nextOffset, hasMore }`. `nextOffset` replaced
 * `lastEventId` (client adds 1) in March 2026; both are read so an older portal still works.
 */
import { z } from 'zod';
import { EventValidationError } from '../events/event-validation-error';

/** One page of the bot's event queue. */
export interface EventPage {
  /** Raw items, each checked later by `parseFetchItem`. */
  events: unknown[];
  /** The offset that acknowledges this page; `undefined` when the page says nothing usable (0). */
  nextOffset: number | undefined;
  hasMore: boolean;
}

const int = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/)])
  .transform(Number);
const pageSchema = z.object({
  events: z.array(z.unknown()).default([]),
  nextOffset: int.optional().nullable(),
  lastEventId: int.optional().nullable(),
  hasMore: z.union([z.boolean(), z.enum(['Y', 'N', '1', '0', 'true', 'false'])]).optional(),
});

/**
 * Validates an `Event.get` result; throws `EventValidationError` for a shape we do not understand.
 *
 * @example
 * readEventPage({ events: [], nextOffset: 0, hasMore: false }); // { events: [], nextOffset: undefined, hasMore: false }
 */
export function readEventPage(raw: unknown): EventPage {
  const parsed = pageSchema.safeParse(raw);
  if (!parsed.success)
    throw new EventValidationError(parsed.error.issues, { eventType: 'imbot.v2.Event.get' });
  const p = parsed.data;
  const fromLast =
    p.lastEventId !== undefined && p.lastEventId !== null && p.lastEventId > 0
      ? p.lastEventId + 1
      : undefined;
  const next =
    p.nextOffset !== undefined && p.nextOffset !== null && p.nextOffset > 0
      ? p.nextOffset
      : fromLast;
  const hasMore =
    p.hasMore === true || p.hasMore === 'Y' || p.hasMore === '1' || p.hasMore === 'true';
  return { events: p.events, nextOffset: next, hasMore };
}
