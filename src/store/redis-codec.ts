/**
 * Conversions between the Redis store's hashes (see redis-keys.ts) and the `Store` records.
 * Values are JSON text encoded by json-column.ts, so every read is a fresh copy.
 */
import { decodeJson, encodeJson, encodeOptionalJson } from './json-column';
import type {
  DialogRecord,
  HistoryEntry,
  HistoryWrite,
  InboxItem,
  OutboxEffect,
  TimerRecord,
  TurnCommit,
} from './store';
import { StoreError } from './store-error';
import { encodeHistoryWrite, timerPayloadJson } from './store-rules';

/** The field → value object of a flat `[field, value, ...]` reply (HGETALL inside Lua). */
export function fieldsOf(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** Splits a `[seq, field, value, ...]` reply. */
function seqAndFields(reply: unknown): { seq: number; f: Record<string, string> } {
  const [seq, ...rest] = reply as unknown[];
  return { seq: Number(seq), f: fieldsOf(rest) };
}

/** Throws a StoreError for a number Redis cannot keep exactly (checked before any script runs). */
export function finite(value: number, what: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new StoreError(`${what} must be a finite number, got ${String(value)}`);
  return String(value);
}

export function toInboxItem(reply: unknown): InboxItem {
  const { seq, f } = seqAndFields(reply);
  return {
    seq,
    dialogKey: f.d ?? '',
    ...(f.k === undefined ? {} : { dedupeKey: f.k }),
    payload: decodeJson(f.p),
    receivedAt: Number(f.t),
  };
}

export function toOutboxEffect(reply: unknown): OutboxEffect & { error?: string } {
  const { seq, f } = seqAndFields(reply);
  return {
    seq,
    dialogKey: f.d ?? '',
    portalId: f.p ?? '',
    effect: decodeJson(f.e) as OutboxEffect['effect'],
    ...(f.m === undefined ? {} : { meta: decodeJson(f.m) }),
    attempts: Number(f.a),
    availableAt: Number(f.v),
    createdAt: Number(f.c),
    ...(f.err === undefined ? {} : { error: f.err }),
  };
}

/** The stored value of a timer: `<fired 0/1>,<deadline>,<inbox payload it becomes when fired>`. */
function encodeTimer(t: TimerRecord): string[] {
  const deadline = finite(t.deadline, `Timer "${t.timerKey}" deadline`);
  const payload = timerPayloadJson({
    timerKey: t.timerKey,
    event: encodeJson(t.event, 'Timer event'),
    meta: encodeOptionalJson(t.meta, 'Timer meta'),
    deadline: t.deadline,
  });
  return [t.timerKey, `${t.fired === true ? 1 : 0},${deadline},${payload}`, deadline];
}

function decodeTimer(timerKey: string, value: string): TimerRecord {
  const comma = value.indexOf(',', 2);
  const payload = JSON.parse(value.slice(comma + 1)) as { event: unknown; meta?: unknown };
  return {
    timerKey,
    deadline: Number(value.slice(2, comma)),
    event: payload.event,
    ...('meta' in payload ? { meta: payload.meta } : {}),
    fired: value.startsWith('1'),
  };
}

export function toDialogRecord(dialogKey: string, reply: unknown): DialogRecord | undefined {
  const [dialogReply, timerReply] = reply as [unknown, unknown];
  const f = fieldsOf(dialogReply);
  const revision = Number(f.r ?? 0);
  if (revision === 0) return undefined;
  const timers = Object.entries(fieldsOf(timerReply))
    .map(([key, value]) => decodeTimer(key, value))
    .sort(
      (a, b) =>
        a.deadline - b.deadline || (a.timerKey < b.timerKey ? -1 : a.timerKey > b.timerKey ? 1 : 0),
    );
  return {
    dialogKey,
    revision,
    snapshot: f.s === undefined ? null : decodeJson(f.s),
    botVersion: f.v ?? '',
    ...(f.m === undefined ? {} : { meta: decodeJson(f.m) }),
    timers,
    updatedAt: Number(f.u),
  };
}

/** The ARGV of the commit script after the dialog key; throws before anything is sent. */
export function commitArgs(c: TurnCommit): string[] {
  const snapshot = c.snapshot === null ? '' : (encodeOptionalJson(c.snapshot, 'Snapshot') ?? '');
  const meta = encodeOptionalJson(c.meta, 'Dialog meta') ?? '';
  const effects = c.effects.flatMap((e) => [
    e.portalId,
    encodeJson(e.effect, 'Effect'),
    encodeOptionalJson(e.meta, 'Effect meta') ?? '',
  ]);
  // One timer per key, the last one winning, as a replaced set would hold it.
  const byKey = new Map(c.timers.map((t) => [t.timerKey, t]));
  const timers = [...byKey.values()].flatMap(encodeTimer);
  const consumed = c.consumedSeq === undefined ? '' : finite(c.consumedSeq, 'consumedSeq');
  return [
    finite(c.expectedRevision, 'expectedRevision'),
    snapshot,
    String(c.botVersion),
    meta,
    finite(c.now, 'now'),
    consumed,
    String(c.effects.length),
    String(byKey.size),
    ...effects,
    ...timers,
    ...(c.history ? historyArgs(c.history, c.now) : []),
  ];
}

/** The history arguments of the Lua `writeHistory` (redis-lua-history.ts); throws before anything is sent. */
export function historyArgs(write: HistoryWrite, now: number): string[] {
  const w = encodeHistoryWrite(write, now);
  const ttl = write.maxAgeMs === undefined ? '' : String(Math.max(1, Math.ceil(write.maxAgeMs)));
  return [
    String(w.entries.length),
    String(w.maxEntries),
    w.cutoff === undefined ? '' : finite(w.cutoff, 'History cutoff'),
    ttl,
    ...w.entries.flatMap((e) => [
      finite(e.at, 'History entry time'),
      JSON.stringify({ at: e.at, kind: e.kind }).slice(1, -1) + `,"data":${e.data}}`,
    ]),
  ];
}

/** Decodes one stored history entry (`<at>,<JSON>`). */
export function toHistoryEntry(value: string): HistoryEntry {
  return JSON.parse(value.slice(value.indexOf(',') + 1)) as HistoryEntry;
}
