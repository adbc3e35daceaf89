/** Small builders shared by the parts of the store contract suite. */
import type { Effect } from '../../src/dsl/effect';
import type { InboxItem, NewEffect, Store, TimerRecord, TurnCommit } from '../../src/store/store';

export interface ContractContext {
  /** The store of the running test (a fresh one per test). */
  store: () => Store;
  /** Closes and reopens the same storage; undefined for adapters without persistence. */
  reopen: (() => Promise<Store>) | undefined;
  /** See `StoreContractOptions.reopenReleasesLeases`. */
  reopenReleasesLeases?: boolean;
}

/** A fixed epoch so that failures print readable numbers. */
export const T0 = 1_700_000_000_000;

export const say = (text: string): Effect => ({ type: 'say', text });

export const effectOf = (text: string, portalId = 'portal-a'): NewEffect => ({
  portalId,
  effect: say(text),
  meta: { chatId: 1 },
});

export const timer = (
  timerKey: string,
  deadline: number,
  extra: Partial<TimerRecord> = {},
): TimerRecord => ({
  timerKey,
  deadline,
  event: { type: `xstate.after.${timerKey}` },
  ...extra,
});

/** A commit with sensible defaults: no effects, no timers. */
export function turn(expectedRevision: number, extra: Partial<TurnCommit> = {}): TurnCommit {
  return {
    expectedRevision,
    snapshot: { value: 'idle', context: { n: expectedRevision + 1 } },
    botVersion: '1',
    effects: [],
    timers: [],
    now: T0,
    ...extra,
  };
}

/** Accepts one item and returns its seq (fails the test on a duplicate). */
export async function appendOne(
  store: Store,
  dialogKey: string,
  dedupeKey: string | undefined,
  payload: unknown,
  now = T0,
): Promise<number> {
  const [result] = await store.appendInbox([{ dialogKey, dedupeKey, payload }], { now });
  if (result?.status !== 'accepted')
    throw new Error(`expected ${String(dedupeKey)} to be accepted, got ${JSON.stringify(result)}`);
  return result.seq;
}

/** Takes every pending item of a dialog, oldest first, discarding each (bounded by `max`). */
export async function drainDialog(
  store: Store,
  dialogKey: string,
  max = 10_000,
): Promise<InboxItem[]> {
  const items: InboxItem[] = [];
  for (let i = 0; i < max; i++) {
    const item = await store.nextInbox(dialogKey);
    if (!item) return items;
    items.push(item);
    await store.discardInbox(item.seq);
  }
  throw new Error(`dialog ${dialogKey} still has items after ${max}`);
}

/** The texts of `say` effects, in the given order. */
export function texts(effects: Array<{ effect: Effect }>): string[] {
  return effects.map((e) => (e.effect.type === 'say' ? e.effect.text : e.effect.type));
}

/** A deterministic pseudo-random generator (mulberry32) for shuffles that a failure can replay. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
