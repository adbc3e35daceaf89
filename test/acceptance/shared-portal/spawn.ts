/** Starting the shared-portal children (child.ts) and driving events at them. */
import { resolve } from 'node:path';
import { spawnTsChild, type TsChild } from '../helpers/spawn-ts-child';
import type { SharedPortalChildArgs } from './child';

const CHILD = resolve(__dirname, 'child.ts');

/** Spawns the children at once and resolves with their base URLs once every one listens. */
export async function startChildren(
  args: SharedPortalChildArgs[],
  children: TsChild[],
): Promise<string[]> {
  const started = args.map((a) => spawnTsChild({ script: CHILD, args: a }));
  children.push(...started);
  const lines = await Promise.all(
    started.map((c) => c.waitForLine((l) => l.startsWith('LISTENING '), { timeoutMs: 60_000 })),
  );
  return lines.map((l) => l.slice('LISTENING '.length));
}

/**
 * POSTs every body once, `concurrency` at a time, round-robin over `urls`; a delivery that is
 * not answered 200 is delivered again (to the next process), up to `attempts` times. Resolves
 * with the bodies that were never acknowledged and the non-200 statuses seen.
 */
export async function deliverAll(options: {
  urls: string[];
  bodies: string[];
  concurrency: number;
  attempts: number;
}): Promise<{ unacknowledged: number; statuses: Record<string, number> }> {
  const { urls, bodies } = options;
  const statuses: Record<string, number> = {};
  let next = 0;
  let unacknowledged = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < bodies.length; i = next++) {
      let ok = false;
      for (let a = 0; a < options.attempts && !ok; a++) {
        const url = urls[(i + a) % urls.length]!;
        try {
          const res = await fetch(`${url}/events`, {
            method: 'POST',
            body: bodies[i],
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            signal: AbortSignal.timeout(15_000),
          });
          await res.arrayBuffer();
          ok = res.status === 200;
          if (!ok) statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        } catch {
          statuses.network = (statuses.network ?? 0) + 1;
        }
      }
      if (!ok) unacknowledged += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { unacknowledged, statuses };
}

/** Polls `check` every `intervalMs` until true or `timeoutMs` passed (real processes, real time). */
export async function waitUntil(
  check: () => boolean,
  options: { timeoutMs: number; intervalMs: number },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
}
