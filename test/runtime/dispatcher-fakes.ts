/**
 * Fakes for the dispatcher tests: a manual clock, a recording REST client whose answers the test
 * scripts (and can hold back), and a helper that commits effects through a real store.
 */
import type { BatchCall, BatchItemResult, RestClient, RestParams } from '../../src/bitrix/types';
import { ApiError } from '../../src/bitrix/rest-errors';
import type { Clock } from '../../src/clock';
import type { Effect } from '../../src/dsl/effect';
import type { EffectMeta } from '../../src/runtime/effect-call';
import { dialogKeyOf, type Store } from '../../src/store/store';

/** Lets pending promise callbacks and I/O callbacks run (no time passes). */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in deadline order and letting their work run. */
  advance(ms: number): Promise<void>;
  pendingTimers(): number;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  const timers = new Map<object, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const handle = {};
      timers.set(handle, { at: now + Math.max(0, ms), fn });
      return handle;
    },
    clearTimeout(handle) {
      timers.delete(handle);
    },
    async advance(ms) {
      const target = now + ms;
      for (let guard = 0; guard < 10_000; guard += 1) {
        let next: [object, { at: number; fn: () => void }] | undefined;
        for (const entry of timers)
          if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await flush();
      }
      now = target;
      await flush();
    },
    pendingTimers: () => timers.size,
  };
}

/** What the fake portal answers to one call. */
export type Answer = { result: unknown } | { error: string; description?: string; status?: number };

export interface RecordedRequest {
  kind: 'call' | 'batch';
  calls: BatchCall[];
}

export interface FakeClient extends RestClient {
  readonly requests: RecordedRequest[];
  /** Calls in the order the portal executed them (when their request was answered). */
  readonly executed: BatchCall[];
  /** Requests received while held, in arrival order (released ones stay, marked). */
  readonly waiting: Array<{ request: RecordedRequest; release: () => void; released: boolean }>;
  /** Held requests not released yet. */
  unreleased(): FakeClient['waiting'];
  /** From now on, requests wait until the test releases them. */
  hold(): void;
}

export function fakeClient(
  options: {
    portalId?: string;
    answer?: (call: BatchCall, attempt: number) => Answer;
    /** Fails the whole request (nothing executes) when it returns an error. */
    rejectRequest?: (request: RecordedRequest) => Error | undefined;
  } = {},
): FakeClient {
  const requests: RecordedRequest[] = [];
  const executed: BatchCall[] = [];
  const waiting: FakeClient['waiting'] = [];
  const attempts = new Map<string, number>();
  let held = false;
  const answer = (call: BatchCall): Answer => {
    const key = JSON.stringify(call);
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    executed.push(call);
    return options.answer ? options.answer(call, n) : { result: true };
  };
  const arrive = async (request: RecordedRequest): Promise<void> => {
    requests.push(request);
    if (held) {
      await new Promise<void>((resolve) => {
        const entry = {
          request,
          released: false,
          release: () => {
            entry.released = true;
            resolve();
          },
        };
        waiting.push(entry);
      });
    } else await Promise.resolve();
    const error = options.rejectRequest?.(request);
    if (error) throw error;
  };
  return {
    portalId: options.portalId ?? 'portal-a',
    requests,
    executed,
    waiting,
    unreleased: () => waiting.filter((w) => !w.released),
    hold: () => {
      held = true;
    },
    async call<T>(method: string, params?: RestParams): Promise<T> {
      const call: BatchCall = params === undefined ? { method } : { method, params };
      await arrive({ kind: 'call', calls: [call] });
      const a = answer(call);
      if ('error' in a) {
        const init = { error: a.error, status: a.status ?? 400, method };
        throw new ApiError(
          a.description === undefined ? init : { ...init, description: a.description },
        );
      }
      return a.result as T;
    },
    async batch(calls: BatchCall[]): Promise<BatchItemResult[]> {
      await arrive({ kind: 'batch', calls });
      return calls.map((c): BatchItemResult => {
        const a = answer(c);
        if (!('error' in a)) return { status: 'ok', result: a.result };
        return a.description === undefined
          ? { status: 'error', error: a.error }
          : { status: 'error', error: a.error, description: a.description };
      });
    },
  };
}

/** Routing data of chat `chatId` of bot 571. */
export function metaOf(chatId: number, apiVersion: 1 | 2 = 2): EffectMeta {
  return { botId: 571, chatId, dialogId: `chat${chatId}`, apiVersion };
}

/** Commits one turn of dialog (portal, bot 571, chatId) that emits `effects`, as the runtime would. */
export async function commitEffects(options: {
  store: Store;
  now: number;
  chatId: number;
  effects: Effect[];
  portalId?: string;
  meta?: unknown;
}): Promise<void> {
  const portalId = options.portalId ?? 'portal-a';
  const key = dialogKeyOf(portalId, 571, options.chatId);
  const revision = (await options.store.loadDialog(key))?.revision ?? 0;
  const meta = options.meta === undefined ? metaOf(options.chatId) : options.meta;
  const result = await options.store.commitTurn(key, {
    expectedRevision: revision,
    snapshot: { n: revision + 1 },
    botVersion: '1',
    effects: options.effects.map((effect) => ({ portalId, effect, meta })),
    timers: [],
    now: options.now,
  });
  if (result.status !== 'committed') throw new Error(`commit conflict for ${key}`);
}

/** The text of a `say` call, whichever method carried it. */
export function textOf(call: BatchCall): string | undefined {
  const p = call.params ?? {};
  if (typeof p.MESSAGE === 'string') return p.MESSAGE;
  const fields = p.fields as { message?: unknown } | undefined;
  return typeof fields?.message === 'string' ? fields.message : undefined;
}
