"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseFetchItem = parseFetchItem;
/**
 * v2 fetch mode: one item of `imbot.v2.Event.get` → {@link InboundEvent}.
 */
const zod_1 = require("zod");
const event_validation_error_1 = require("./event-validation-error");
const json_guard_1 = require("./json-guard");
const map_v2_1 = require("./map-v2");
const map_wire_event_1 = require("./map-wire-event");
const wire_schema_1 = require("./wire-schema");
const fetchItem = zod_1.z.object({
    eventId: wire_schema_1.wireId,
    type: zod_1.z.string().min(1).max(64),
    date: (0, wire_schema_1.optStr)(64),
    data: zod_1.z.unknown(),
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
function parseFetchItem(options) {
    const { portal } = options;
    if (!portal?.memberId || !portal.domain) {
        throw new event_validation_error_1.EventValidationError([
            (0, event_validation_error_1.eventIssue)('expected the portal (memberId, domain) of the poll', ['portal']),
        ]);
    }
    if (typeof options.item !== 'object' || options.item === null || Array.isArray(options.item)) {
        throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)('expected a fetch item object')]);
    }
    (0, json_guard_1.guardJson)(options.item, options.limits);
    const item = (0, wire_schema_1.check)(fetchItem, options.item, { path: [] });
    const type = item.type.toUpperCase();
    if (!(0, map_wire_event_1.isV2EventType)(type))
        return (0, map_wire_event_1.unknownType)(['type']);
    const millis = item.date ? Date.parse(item.date) : NaN;
    const ts = Number.isFinite(millis) ? Math.floor(millis / 1000) : undefined;
    return (0, map_v2_1.mapV2)(type, { data: item.data }, { delivery: 'fetch', portal, eventId: item.eventId, ts });
}
