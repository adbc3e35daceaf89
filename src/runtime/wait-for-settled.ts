/**
 * A turn ends when the machine has settled: no invoked or spawned work (promise, callback,
 * observable actor) is still running anywhere in its actor tree. Child machines are not work by
 * themselves; their own children are looked at. Bounded by the turn timeout, on the runtime clock.
 * A callback actor that never ends keeps every turn of its state running until the timeout: do
 * work in promises, and let outside events reach the dialog through its inbox instead.
 */
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../clock';

export type SettleResult = 'settled' | 'error' | 'timeout';

interface SnapshotLike {
  status: string;
  machine?: unknown;
  children?: Record<string, AnyActorRef | undefined>;
}

function hasRunningWork(snapshot: SnapshotLike, depth = 0): boolean {
  if (depth > 32) return false;
  for (const child of Object.values(snapshot.children ?? {})) {
    if (!child) continue;
    const s = child.getSnapshot() as SnapshotLike;
    if (s.status !== 'active') continue;
    if (s.machine === undefined) return true;
    if (hasRunningWork(s, depth + 1)) return true;
  }
  return false;
}

/**
 * The actor's state now: `settled`, `error`, or `undefined` while work is still running.
 *
 * @example
 * if (settleState(actor) === undefined) console.log('an invoked promise is still running');
 */
export function settleState(actor: AnyActorRef): Exclude<SettleResult, 'timeout'> | undefined {
  const s = actor.getSnapshot() as SnapshotLike;
  if (s.status === 'error') return 'error';
  if (s.status !== 'active') return 'settled';
  return hasRunningWork(s) ? undefined : 'settled';
}

/**
 * Resolves once the actor has settled or errored, or with `timeout` after `timeoutMs` on `clock`.
 *
 * @example
 * const result = await waitForSettled({ actor, clock, timeoutMs: 10_000 });
 */
export function waitForSettled(options: {
  actor: AnyActorRef;
  clock: Clock;
  timeoutMs: number;
}): Promise<SettleResult> {
  const { actor, clock } = options;
  const now = settleState(actor);
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve) => {
    let done = false;
    let checkQueued = false;
    const finish = (result: SettleResult): void => {
      if (done) return;
      done = true;
      subscription.unsubscribe();
      clock.clearTimeout(timer);
      resolve(result);
    };
    // Any actor of the system changing is a reason to look again; the look waits for a microtask so
    // that a child's completion has been relayed to its parent first.
    const subscription = actor.system.inspect(() => {
      if (checkQueued || done) return;
      checkQueued = true;
      queueMicrotask(() => {
        checkQueued = false;
        const state = settleState(actor);
        if (state !== undefined) finish(state);
      });
    });
    const timer = clock.setTimeout(() => finish('timeout'), options.timeoutMs);
  });
}
