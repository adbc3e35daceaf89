/**
 * Starting and stopping the serving child of the durability tests (`crash/child.ts`), plus the
 * small pieces every such test needs: a seeded random source and a bounded poll.
 */
import { resolve } from 'node:path';
import type { ServeChildArgs } from '../crash/child';
import { spawnTsChild, type TsChild } from './spawn-ts-child';

const SERVE_CHILD = resolve(__dirname, '../crash/child.ts');

/** The bot token of the webhook-mode child; events carry `custom` + it as application token. */
export const CHILD_BOT_TOKEN = 'durability_bot_token';
export const CHILD_APPLICATION_TOKEN = `custom${CHILD_BOT_TOKEN}`;

/**
 * Spawns a serving child that loads its modules and then waits for {@link goAndListen}.
 *
 * @example
 * const child = spawnServeChild({ dbPath, webhookUrl: portal.webhookUrl, botToken: CHILD_BOT_TOKEN });
 * const url = await goAndListen({ child, timeoutMs: 60_000 });
 */
export function spawnServeChild(args: Omit<ServeChildArgs, 'waitForGo'>): TsChild {
  const logLevel = process.env.OPENLINES_CHILD_LOG_LEVEL;
  return spawnTsChild({
    script: SERVE_CHILD,
    args: { ...args, waitForGo: true, ...(logLevel ? { logLevel } : {}) },
  });
}

/** Lets a spawned child open the database and listen; resolves with its base URL. */
export async function goAndListen(options: { child: TsChild; timeoutMs: number }): Promise<string> {
  const { child, timeoutMs } = options;
  await child.waitForLine((l) => l === 'READY', { timeoutMs });
  child.send('GO');
  const line = await child.waitForLine((l) => l.startsWith('LISTENING '), { timeoutMs });
  return line.slice('LISTENING '.length);
}

/**
 * A seeded pseudo-random source in [0, 1) (mulberry32): the same seed gives the same kill points.
 *
 * @example
 * const random = seededRandom(42);
 * const target = Math.floor(random() * 400);
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Polls `check` until it returns true (for a real child process reaching a state); false when
 * `timeoutMs` passed first.
 *
 * @example
 * const drained = await pollUntil({ check: () => readDurableState({ path }).inboxDepth === 0, timeoutMs: 30_000, intervalMs: 100 });
 */
export async function pollUntil(options: {
  check: () => boolean;
  timeoutMs: number;
  intervalMs: number;
}): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
}
