"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isV1EventType = isV1EventType;
exports.isV2EventType = isV2EventType;
exports.unknownType = unknownType;
exports.mapWireEvent = mapWireEvent;
/**
 * Routes a decoded body (or a fetch item's data) to the v1 or v2 mapping by its event type.
 */
const event_validation_error_1 = require("./event-validation-error");
const map_v1_1 = require("./map-v1");
const map_v2_1 = require("./map-v2");
const map_openline_1 = require("./map-openline");
const v1_schemas_1 = require("./v1-schemas");
const v2_schemas_1 = require("./v2-schemas");
const wire_schema_1 = require("./wire-schema");
/** True for the v1 event codes the framework understands. */
function isV1EventType(type) {
    return Object.hasOwn(v1_schemas_1.v1Schemas, type);
}
/** True for the v2 bot event codes the framework understands. */
function isV2EventType(type) {
    return Object.hasOwn(v2_schemas_1.v2Schemas, type);
}
/** Refuses an event code the framework does not handle (the code itself is not echoed). */
function unknownType(path) {
    throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)('unknown or unsupported event type', path)]);
}
/** Maps a decoded webhook body (`{ event, data, ts, auth }`). */
function mapWireEvent(raw, ctx) {
    const env = (0, wire_schema_1.check)(wire_schema_1.envelope, raw, { path: [] });
    const type = env.event.toUpperCase();
    const body = { ts: env.ts, auth: env.auth, data: env.data };
    if (isV1EventType(type))
        return (0, map_v1_1.mapV1)(type, { event: type, ...body }, ctx);
    if (isV2EventType(type))
        return (0, map_v2_1.mapV2)(type, body, ctx);
    if ((0, map_openline_1.isOpenLineEventType)(type))
        return (0, map_openline_1.mapOpenLineEvent)(type, raw, ctx);
    return unknownType(['event']);
}
