/**
 * Rules every adapter applies the same way (kept in one place so that the adapters cannot drift):
 * dedupe TTL, the inbox item a fired timer becomes, and when an outbox effect may be claimed.
 */
import { encodeJson } from './json-column';
import type { DialogKey, HistoryWrite } from './store';
import { StoreError } from './store-error';

/** How long a dedupe key is remembered when `appendInbox` is not told otherwise: 7 days. */
export const DEFAULT_DEDUPE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The dedupe key of a fired timer: a timer fires once per deadline, whoever fires it. */
export function timerDedupeKey(dialogKey: DialogKey, timerKey: string, deadline: number): string {
  return `timer:${dialogKey}:${timerKey}:${deadline}`;
}

/** The inbox payload of a fired timer (its parts are already JSON, so no re-encoding is needed). */
export function timerPayloadJson(parts: {
  timerKey: string;
  event: string;
  meta?: string | null;
  deadline: number;
}): string {
  const meta = parts.meta === null || parts.meta === undefined ? '' : `,"meta":${parts.meta}`;
  return `{"kind":"timer","timerKey":${JSON.stringify(parts.timerKey)},"event":${parts.event}${meta},"deadline":${parts.deadline}}`;
}

/** The outbox state that decides claiming. */
export interface EffectClaimState {
  status: 'pending' | 'inflight' | 'dead';
  availableAt: number;
  leaseUntil?: number | null;
}

/**
 * Whether an effect may be claimed now, ignoring the effects before it: pending and available,
 * or in flight with an expired lease (its claimer died). Dead letters are never claimed.
 */
export function isClaimableNow(row: EffectClaimState, now: number): boolean {
  if (row.status === 'pending') return row.availableAt <= now;
  if (row.status === 'inflight') return (row.leaseUntil ?? 0) <= now;
  return false;
}

/** Whether an effect holds back the later effects of its dialog: everything not claimable now, except dead letters. */
export function blocksLaterEffects(row: EffectClaimState, now: number): boolean {
  return row.status !== 'dead' && !isClaimableNow(row, now);
}

/** A history write with its entries encoded (JSON of `at`, `kind`, `data`) and its retention checked. */
export interface EncodedHistoryWrite {
  /** Per entry: its time, kind, and data as JSON text. */
  entries: Array<{ at: number; kind: string; data: string }>;
  maxEntries: number;
  /** The write's age limit (ms); `undefined`: none. */
  maxAgeMs: number | undefined;
  /** Entries with `at` below this are dropped; `undefined`: no age limit. */
  cutoff: number | undefined;
}

/**
 * Encodes a history write before anything is written: a value that is not JSON, or a retention
 * that is not a non-negative integer, throws a {@link StoreError} and leaves nothing behind.
 */
export function encodeHistoryWrite(write: HistoryWrite, now: number): EncodedHistoryWrite {
  if (!Number.isInteger(write.maxEntries) || write.maxEntries < 0)
    throw new StoreError(
      `History maxEntries must be a non-negative integer, got ${String(write.maxEntries)}`,
    );
  if (
    write.maxAgeMs !== undefined &&
    (typeof write.maxAgeMs !== 'number' || !(write.maxAgeMs >= 0))
  )
    throw new StoreError(
      `History maxAgeMs must be a non-negative number, got ${String(write.maxAgeMs)}`,
    );
  return {
    entries: write.entries.map((e) => {
      if (typeof e.at !== 'number' || !Number.isFinite(e.at))
        throw new StoreError(`History entry time must be a finite number, got ${String(e.at)}`);
      return { at: e.at, kind: e.kind, data: encodeJson(e.data ?? null, 'History entry data') };
    }),
    maxEntries: write.maxEntries,
    maxAgeMs: write.maxAgeMs,
    cutoff: write.maxAgeMs === undefined ? undefined : now - write.maxAgeMs,
  };
}
