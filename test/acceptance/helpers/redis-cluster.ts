/**
 * Several real serving processes (`crash/child.ts`: the real server, webhook mode) on one Redis,
 * for the multi-process tests: start, round-robin targets, what a killed process held, and the
 * durable state read back through the Redis store.
 */
import { Redis } from 'ioredis';
import { redisStore } from '../../../src/store/redis-store';
import { dialogKeyOf } from '../../../src/store/store';
import type { ServeChildArgs } from '../crash/child';
import type { DialogLoad } from './dialog-load';
import type { DurableState } from './read-durable-state';
import { CHILD_BOT_TOKEN, goAndListen, spawnServeChild } from './serve-child';
import type { TsChild } from './spawn-ts-child';

/** One serving process. */
export interface Member {
  child: TsChild;
  url: string;
}

/** Child settings shared by every process of a test. */
export type MemberArgs = Omit<ServeChildArgs, 'dbPath' | 'waitForGo' | 'botToken'> & {
  store: string;
};

/** Spawns a process that loads its modules and waits (see `goAndListen`). */
export function spawnMember(args: MemberArgs, all: TsChild[]): TsChild {
  const child = spawnServeChild({ dbPath: '', botToken: CHILD_BOT_TOKEN, ...args });
  all.push(child);
  return child;
}

/** Spawns `n` processes and lets them serve; resolves once all listen. */
export async function startMembers(n: number, args: MemberArgs, all: TsChild[]): Promise<Member[]> {
  const children = Array.from({ length: n }, () => spawnMember(args, all));
  return Promise.all(
    children.map(async (child) => ({
      child,
      url: await goAndListen({ child, timeoutMs: 90_000 }),
    })),
  );
}

/** A round-robin balancer over the members that are up. */
export function roundRobin(members: () => readonly Member[]): () => string {
  let next = 0;
  return () => {
    const up = members();
    const m = up[next++ % up.length] as Member;
    return `${m.url}/events`;
  };
}

/**
 * The `ack:<id>` replies held (claimed, in flight) by the process with `pid` right now: what its
 * kill may send twice.
 */
export async function claimsOf(options: {
  url: string;
  prefix: string;
  pid: number;
}): Promise<Array<{ seq: string; id: number }>> {
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1 });
  try {
    const out: Array<{ seq: string; id: number }> = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${options.prefix}e:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const [st, lo, e] = await redis.hmget(key, 'st', 'lo', 'e');
        if (st !== 'i' || !lo?.includes(`:${options.pid}:`)) continue;
        const text = (JSON.parse(e ?? '{}') as { text?: string }).text ?? '';
        const id = Number(/^ack:(\d+)$/.exec(text)?.[1]);
        if (Number.isFinite(id)) out.push({ seq: key.slice(key.lastIndexOf(':') + 1), id });
      }
    } while (cursor !== '0');
    return out;
  } finally {
    redis.disconnect();
  }
}

/** What the Redis store holds for the load's dialogs (applied ids), with the inbox and outbox depth. */
export async function readRedisState(options: {
  url: string;
  prefix: string;
  load: DialogLoad;
  memberId: string;
  botId: number;
}): Promise<DurableState & { outboxDepth: number }> {
  const store = redisStore({ url: options.url, prefix: options.prefix });
  try {
    const applied = new Map<string, number[]>();
    for (const chatId of options.load.chatIds) {
      const key = dialogKeyOf(options.memberId, options.botId, chatId);
      const record = await store.loadDialog(key);
      const ids = (record?.snapshot as { context?: { ids?: number[] } } | null | undefined)?.context
        ?.ids;
      if (ids) applied.set(key, ids);
    }
    const stats = await store.stats();
    return {
      applied,
      pending: new Map(),
      inboxDepth: stats.inboxDepth,
      outbox: [],
      outboxDepth: stats.outboxDepth,
    };
  } finally {
    await store.close();
  }
}

/** Time statistics of a list of durations (ms). */
export function distribution(ms: readonly number[]): Record<string, number> {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    n: sorted.length,
    min: sorted[0] ?? 0,
    median: at(0.5),
    p90: at(0.9),
    max: sorted[sorted.length - 1] ?? 0,
  };
}
