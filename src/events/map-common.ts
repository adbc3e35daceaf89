/**
 * Pieces shared by the v1 and v2 mappings: portal, tokens, people, files, hashes.
 */
import * as crypto from 'node:crypto';
import { EventValidationError, eventIssue } from './event-validation-error';
import type { ClientRef, Delivery, EventTokens, InboundFile, PortalRef } from './inbound-event';
import type { OpenLineFields } from './open-line-fields';
import type { WireAuth } from './wire-schema';

/** How an event reached us and what the caller knows about it. */
export interface MapContext {
  delivery: Delivery;
  /** The portal to use when the body names none (v2 fetch items, webhook-registered bots). */
  portal?: { memberId: string; domain: string };
  /** v2 fetch only. */
  eventId?: number;
  /** Unix seconds, when the transport knows it (fetch item `date`). */
  ts?: number;
}

/**
 * One object with the keys of `parts` (later parts win) whose value is not `undefined`, so
 * events compare and serialise cleanly. Built in one pass: events are assembled from a few parts
 * and copying them repeatedly showed up in profiles.
 */
export function compact<T extends object>(part: T): T;
export function compact<T extends object>(...parts: object[]): T;
export function compact(...parts: object[]): object {
  const out: Record<string, unknown> = {};
  // Own keys through Object.keys: parts are plain objects, and `for...in` was the slower walk.
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as Record<string, unknown>;
    const keys = Object.keys(part);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const v = part[key];
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}

/** An `auth` block in the framework's names, or undefined when it carries nothing. */
export function tokensOf(auth: WireAuth | undefined): EventTokens | undefined {
  if (!auth) return undefined;
  // Field by field rather than through `compact`: three blocks per event, on every event.
  const t: EventTokens = {};
  if (auth.access_token !== undefined) t.accessToken = auth.access_token;
  if (auth.refresh_token !== undefined) t.refreshToken = auth.refresh_token;
  if (auth.expires !== undefined) t.expires = auth.expires;
  if (auth.expires_in !== undefined) t.expiresIn = auth.expires_in;
  if (auth.scope !== undefined) t.scope = auth.scope;
  if (auth.user_id !== undefined) t.userId = auth.user_id;
  if (auth.client_id !== undefined) t.clientId = auth.client_id;
  if (auth.application_token !== undefined) t.applicationToken = auth.application_token;
  if (auth.domain !== undefined) t.domain = auth.domain;
  if (auth.member_id !== undefined) t.memberId = auth.member_id;
  if (auth.client_endpoint !== undefined) t.clientEndpoint = auth.client_endpoint;
  if (auth.server_endpoint !== undefined) t.serverEndpoint = auth.server_endpoint;
  if (auth.status !== undefined) t.status = auth.status;
  // `for...in` stops at the first own key: cheaper than counting them all.
  for (const _ in t) return t;
  return undefined;
}

/** Field-wise first defined value: the bot block's own keys win over its nested `AUTH`. */
export function mergeTokens(...blocks: (EventTokens | undefined)[]): EventTokens | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b] as Record<string, unknown> | undefined;
    if (!block) continue;
    const keys = Object.keys(block);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (out[k] === undefined) {
        out[k] = block[k];
        any = true;
      }
    }
  }
  return any ? out : undefined;
}

/**
 * The portal, from the top-level `auth` first, then the bot's blocks (a top-level `auth` may
 * lack `member_id`), then what the caller passed.
 */
export function portalOf(
  top: WireAuth | undefined,
  fallbacks: (EventTokens | undefined)[],
  ctx: MapContext,
  eventType: string,
): PortalRef {
  const pick = <K extends 'memberId' | 'domain' | 'clientEndpoint' | 'serverEndpoint'>(
    key: K,
    wire: keyof WireAuth,
  ): string | undefined => {
    const own = top?.[wire];
    if (typeof own === 'string' && own !== '') return own;
    for (const f of fallbacks) if (f?.[key]) return f[key];
    return undefined;
  };
  const memberId = pick('memberId', 'member_id') ?? ctx.portal?.memberId;
  const domain = pick('domain', 'domain') ?? ctx.portal?.domain;
  const issues = [];
  if (!memberId)
    issues.push(
      eventIssue('expected member_id in auth or in the bot block', ['auth', 'member_id']),
    );
  if (!domain)
    issues.push(eventIssue('expected domain in auth or in the bot block', ['auth', 'domain']));
  if (!memberId || !domain) throw new EventValidationError(issues, { eventType });
  return compact<PortalRef>({
    memberId,
    domain,
    clientEndpoint: pick('clientEndpoint', 'client_endpoint'),
    serverEndpoint: pick('serverEndpoint', 'server_endpoint'),
  });
}

const oneShotHash = (
  crypto as { hash?: (algorithm: string, data: string, outputEncoding: 'base64url') => string }
).hash;

/** A short, stable digest for dedupe keys (an edit repeats the message id; its text differs). */
export function shortHash(text: string): string {
  // `crypto.hash` (Node 20.12+) is the one-shot form: no Hash object per event.
  const digest = oneShotHash
    ? oneShotHash('sha256', text, 'base64url')
    : crypto.createHash('sha256').update(text).digest('base64url');
  return digest.slice(0, 12);
}

/** The fields of a person as both API versions carry them. */
export interface PersonFields {
  id?: number;
  name?: string;
  firstName?: string;
  lastName?: string;
  gender?: string;
  isBot?: boolean;
  isConnector?: boolean;
  isExtranet?: boolean;
}

/**
 * A person reference, or undefined for id 0 (system). Without an explicit connector flag (the
 * join event has none) an open-line user is the client when the id matches the 4th part of the
 * chat's entity id.
 */
export function personOf(p: PersonFields | undefined, ol: OpenLineFields): ClientRef | undefined {
  if (!p?.id) return undefined;
  const isConnector = p.isConnector ?? (ol.isOpenLine && ol.connectorUserId === String(p.id));
  return compact<ClientRef>({
    id: p.id,
    name: p.name || undefined,
    firstName: p.firstName || undefined,
    lastName: p.lastName || undefined,
    gender: p.gender || undefined,
    isConnector,
    isBot: p.isBot,
    isExtranet: p.isExtranet,
  });
}

/** The open-line client is the connector user; outside open lines, the (human) counterpart. */
export function clientOf(person: ClientRef | undefined, ol: OpenLineFields): ClientRef | undefined {
  if (!person) return undefined;
  if (ol.isOpenLine) return person.isConnector ? person : undefined;
  return person.isBot ? undefined : person;
}

/**
 * The open-line client named by the chat's entity id (`connector|line|chat|<user id>`), for events
 * that carry no user block (a join: real-payloads 01). Undefined outside open lines.
 */
export function clientOfEntity(ol: OpenLineFields): ClientRef | undefined {
  if (!ol.isOpenLine || !ol.connectorUserId || !/^\d{1,15}$/.test(ol.connectorUserId))
    return undefined;
  const id = Number(ol.connectorUserId);
  return id > 0 ? { id, isConnector: true } : undefined;
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

const MAX_FILES = 100;

/**
 * Attachments, best effort (the shape is undocumented): a map or list of file objects
 * (`FILES[<id>][name|type|size|extension|urlDownload]`, v2 `params.files[0][id|name]`) or a
 * list of bare ids (`FILE_ID[0]=5`).
 */
export function filesOf(...sources: unknown[]): InboundFile[] {
  for (const source of sources) {
    if (typeof source !== 'object' || source === null) continue;
    const files: InboundFile[] = [];
    for (const [key, v] of Object.entries(source).slice(0, MAX_FILES)) {
      if (typeof v !== 'object' || v === null) {
        const id = scalar(v);
        if (id) files.push({ id });
        continue;
      }
      const f = v as Record<string, unknown>;
      const size = Number(scalar(f.size));
      files.push(
        compact<InboundFile>({
          id: scalar(f.id) ?? key,
          name: scalar(f.name),
          type: scalar(f.type),
          size: Number.isFinite(size) && scalar(f.size) !== '' ? size : undefined,
          extension: scalar(f.extension),
          urlDownload: scalar(f.urlDownload),
        }),
      );
    }
    if (files.length > 0) return files;
  }
  return [];
}

/** `chat1777` → 1777. */
export function chatIdOfDialog(dialogId: string | undefined): number | undefined {
  if (!dialogId?.startsWith('chat')) return undefined;
  const n = Number(dialogId.slice(4));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `TEXTAREA`, `KEYBOARD`, `MENU` (any case) → the `CommandEvent` context; typed by default. */
export function commandContextOf(raw: string | undefined): 'keyboard' | 'textarea' | 'menu' {
  const lower = raw?.toLowerCase();
  return lower === 'keyboard' || lower === 'menu' ? lower : 'textarea';
}

/**
 * A deep copy made of ordinary objects and arrays (decoded form objects have a null prototype).
 * Keys were already checked by the decoder; `__proto__` is skipped here again all the same.
 */
export function toPlain(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => toPlain(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== '__proto__') out[k] = toPlain(v, depth + 1);
  return out;
}
