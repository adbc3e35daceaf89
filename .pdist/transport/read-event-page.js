"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readEventPage = readEventPage;
/**
 * The `result` of `imbot.v2.Event.get`: `{ events, nextOffset, hasMore }`. `nextOffset` replaced
 * `lastEventId` (client adds 1) in March 2026; both are read so an older portal still works.
 */
const zod_1 = require("zod");
const event_validation_error_1 = require("../events/event-validation-error");
const int = zod_1.z
    .union([zod_1.z.number().int().nonnegative(), zod_1.z.string().regex(/^\d{1,15}$/)])
    .transform(Number);
const pageSchema = zod_1.z.object({
    events: zod_1.z.array(zod_1.z.unknown()).default([]),
    nextOffset: int.optional().nullable(),
    lastEventId: int.optional().nullable(),
    hasMore: zod_1.z.union([zod_1.z.boolean(), zod_1.z.enum(['Y', 'N', '1', '0', 'true', 'false'])]).optional(),
});
/**
 * Validates an `Event.get` result; throws `EventValidationError` for a shape we do not understand.
 *
 * @example
 * readEventPage({ events: [], nextOffset: 0, hasMore: false }); // { events: [], nextOffset: undefined, hasMore: false }
 */
function readEventPage(raw) {
    const parsed = pageSchema.safeParse(raw);
    if (!parsed.success)
        throw new event_validation_error_1.EventValidationError(parsed.error.issues, { eventType: 'imbot.v2.Event.get' });
    const p = parsed.data;
    const fromLast = p.lastEventId !== undefined && p.lastEventId !== null && p.lastEventId > 0
        ? p.lastEventId + 1
        : undefined;
    const next = p.nextOffset !== undefined && p.nextOffset !== null && p.nextOffset > 0
        ? p.nextOffset
        : fromLast;
    const hasMore = p.hasMore === true || p.hasMore === 'Y' || p.hasMore === '1' || p.hasMore === 'true';
    return { events: p.events, nextOffset: next, hasMore };
}
