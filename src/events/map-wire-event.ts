/**
 * Routes a decoded body (or a fetch item's data) to the v1 or v2 mapping by its event type.
 */
import { EventValidationError, eventIssue } from './event-validation-error';
import type { InboundEvent } from './inbound-event';
import type { MapContext } from './map-common';
import { mapV1 } from './map-v1';
import { mapV2 } from './map-v2';
import { isOpenLineEventType, mapOpenLineEvent } from './map-openline';
import { v1Schemas, type V1EventType } from './v1-schemas';
import { v2Schemas, type V2EventType } from './v2-schemas';
import { checkFast, fastEnvelope } from './fast-check';
import { envelope } from './wire-schema';

const ENVELOPE_PATH = { path: [] };

/** True for the v1 event codes the framework understands. */
export function isV1EventType(type: string): type is V1EventType {
  return Object.hasOwn(v1Schemas, type);
}

/** True for the v2 bot event codes the framework understands. */
export function isV2EventType(type: string): type is V2EventType {
  return Object.hasOwn(v2Schemas, type);
}

/** Refuses an event code the framework does not handle (the code itself is not echoed). */
export function unknownType(path: PropertyKey[]): never {
  throw new EventValidationError([eventIssue('unknown or unsupported event type', path)]);
}

/** Maps a decoded webhook body (`{ event, data, ts, auth }`). */
export function mapWireEvent(raw: unknown, ctx: MapContext): InboundEvent {
  const env = checkFast(fastEnvelope, envelope, raw, ENVELOPE_PATH);
  const type = env.event.toUpperCase();
  const body = { ts: env.ts, auth: env.auth, data: env.data };
  if (isV1EventType(type)) return mapV1(type, { event: type, ...body }, ctx);
  if (isV2EventType(type)) return mapV2(type, body, ctx);
  if (isOpenLineEventType(type)) return mapOpenLineEvent(type, raw, ctx);
  return unknownType(['event']);
}
