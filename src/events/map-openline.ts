/**
 * The five Open Lines events (`OnOpenLineMessageAdd|Update|Delete`, `OnSessionStart`,
 * `OnSessionFinish`; docs folder `imopenlines/openlines/events/`). Bitrix24 sends them only to an
 * application that is itself a connector, for its own connector: they are not bot dialog events,
 * so they are parsed into one {@link OpenLineEvent} for an application-level handler.
 */
import { z } from 'zod';
import type { EventBase } from './inbound-event';
import { compact, portalOf, shortHash, tokensOf, toPlain, type MapContext } from './map-common';
import { check, envelope, optId, optStr, optText, wireFlag } from './wire-schema';

/** The Bitrix24 event codes, upper-cased as they arrive. */
export const OPEN_LINE_EVENT_TYPES = {
  ONOPENLINEMESSAGEADD: 'message.add',
  ONOPENLINEMESSAGEUPDATE: 'message.update',
  ONOPENLINEMESSAGEDELETE: 'message.delete',
  ONSESSIONSTART: 'session.start',
  ONSESSIONFINISH: 'session.finish',
} as const;

export type OpenLineEventType = keyof typeof OPEN_LINE_EVENT_TYPES;
export type OpenLineEventName = (typeof OPEN_LINE_EVENT_TYPES)[OpenLineEventType];

/** True for one of the five Open Lines event codes. */
export function isOpenLineEventType(type: string): type is OpenLineEventType {
  return Object.hasOwn(OPEN_LINE_EVENT_TYPES, type);
}

const ref = z.object({ id: optId, name: optStr(255) }).optional();

const item = z.object({
  connector: z
    .object({
      connector_id: optStr(64),
      line_id: optId,
      chat_id: optStr(255),
      user_id: optStr(255),
    })
    .optional(),
  chat: z.object({ id: optId }).optional(),
  im: z.object({ chat_id: optId, message_id: optId }).optional(),
  message: z
    .object({
      id: optId,
      date: optStr(64),
      text: optText,
      files: z.unknown().optional(),
      attach: z.unknown().optional(),
      system: wireFlag,
      user_id: optStr(255),
    })
    .optional(),
  session: z
    .object({ id: optId, parent_id: optId, closed: wireFlag, close_term: optStr(64) })
    .optional(),
  user: ref,
  line: ref,
});

const dataSchema = z.object({
  CONNECTOR: optStr(64),
  LINE: optId,
  // PHP lists arrive as `DATA[0][...]`: an object keyed 0, 1, ... or a JSON array.
  DATA: z.union([z.array(item), z.record(z.string(), item)]),
});

/** One entry of an Open Lines event's `DATA` list. */
export interface OpenLineEventItem {
  /** The connector side: `connector_id`, the line, the connector's chat and user ids (strings, as the connector knows them). */
  connector?: { id?: string; lineId?: number; chatId?: string; userId?: string };
  /** The open-line chat id. */
  chatId?: number;
  /** `im`: the chat and message ids inside Bitrix24 (update, delete). */
  im?: { chatId?: number; messageId?: number };
  message?: {
    id?: number;
    date?: string;
    text?: string;
    files: unknown[];
    attach?: unknown;
    system?: boolean;
    userId?: string;
  };
  session?: { id?: number; parentId?: number; closed?: boolean; closeTerm?: string };
  user?: { id?: number; name?: string };
  line?: { id?: number; name?: string };
}

/** An Open Lines event for the application (`createServer({ onOpenLineEvent })`). */
export interface OpenLineEvent extends EventBase {
  kind: 'openline';
  /** `message.add`, `message.update`, `message.delete`, `session.start` or `session.finish`. */
  name: OpenLineEventName;
  /** Top-level `CONNECTOR` (update and delete carry it). */
  connector?: string;
  /** Top-level `LINE`. */
  lineId?: number;
  /** The body's `eventId`, when sent. */
  bitrixEventId?: number;
  items: OpenLineEventItem[];
}

function filesOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.map((f) => toPlain(f));
  if (v && typeof v === 'object') return Object.values(v).map((f) => toPlain(f));
  return [];
}

/**
 * Maps a decoded body of one of the five Open Lines events.
 *
 * @example
 * const event = mapOpenLineEvent('ONSESSIONFINISH', body, { delivery: 'webhook' });
 */
export function mapOpenLineEvent(
  type: OpenLineEventType,
  raw: unknown,
  ctx: MapContext,
): OpenLineEvent {
  const env = check(envelope, raw, { path: [] });
  const data = check(dataSchema, env.data, { path: ['data'], eventType: type });
  const rawItems = Array.isArray(data.DATA) ? data.DATA : Object.values(data.DATA);
  const items = rawItems.map((i): OpenLineEventItem =>
    compact<OpenLineEventItem>({
      connector: i.connector
        ? compact({
            id: i.connector.connector_id,
            lineId: i.connector.line_id,
            chatId: i.connector.chat_id,
            userId: i.connector.user_id,
          })
        : undefined,
      chatId: i.chat?.id,
      im: i.im ? compact({ chatId: i.im.chat_id, messageId: i.im.message_id }) : undefined,
      message: i.message
        ? compact({
            id: i.message.id,
            date: i.message.date || undefined,
            text: i.message.text,
            files: filesOf(i.message.files),
            attach: i.message.attach === '' ? undefined : toPlain(i.message.attach),
            system: i.message.system,
            userId: i.message.user_id,
          })
        : undefined,
      session: i.session
        ? compact({
            id: i.session.id,
            parentId: i.session.parent_id,
            closed: i.session.closed,
            closeTerm: i.session.close_term,
          })
        : undefined,
      user: i.user ? compact(i.user) : undefined,
      line: i.line ? compact(i.line) : undefined,
    }),
  );
  const portal = portalOf(env.auth, [], ctx, type);
  const eventIdRaw = (raw as { eventId?: unknown }).eventId;
  const bitrixEventId =
    typeof eventIdRaw === 'number' ||
    (typeof eventIdRaw === 'string' && /^\d{1,15}$/.test(eventIdRaw))
      ? Number(eventIdRaw)
      : undefined;
  return compact<OpenLineEvent>({
    kind: 'openline',
    name: OPEN_LINE_EVENT_TYPES[type],
    rawType: type,
    apiVersion: 1,
    delivery: ctx.delivery,
    ts: env.ts ?? ctx.ts,
    portal,
    applicationToken: env.auth?.application_token,
    auth: tokensOf(env.auth),
    connector: data.CONNECTOR,
    lineId: data.LINE,
    bitrixEventId,
    items,
    dedupeKey: `${portal.memberId}:${type}:${shortHash(JSON.stringify([env.ts ?? '', items]))}`,
  });
}
