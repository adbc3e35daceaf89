/**
 * The distributed store: Redis, shared by several processes behind a load balancer. Every
 * multi-key step is one Lua script (atomic on the server), so the guarantees of `store.ts` hold
 * across processes: compare-and-set commits, per-dialog leases, effect claims as leases, timers
 * fired once. Layout of the keys: redis-keys.ts. Standalone Redis or Sentinel; not Redis Cluster.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { encodeJson } from './json-column';
import {
  commitArgs,
  fieldsOf,
  finite,
  historyArgs,
  toDialogRecord,
  toHistoryEntry,
  toInboxItem,
  toOutboxEffect,
} from './redis-codec';
import { DEFAULT_REDIS_URL, connectRedis, describeRedisUrl } from './redis-connection';
import { DEFAULT_REDIS_PREFIX } from './redis-keys';
import { redisPortals, type RedisRun } from './redis-portals';
import { defineRedisScripts } from './redis-scripts';
import type { DialogRecord, InspectedEffect, Store, StoreStats } from './store';
import { checkLockArgs, checkRateOptions } from './rate-gcra';
import { StoreError, isStoreError } from './store-error';
import { DEFAULT_DEDUPE_TTL_MS } from './store-rules';

/** Options of {@link redisStore}: where Redis is (`url` or `client`) and the key prefix. */
export interface RedisStoreOptions {
  /**
   * `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. Ignored when `client` is
   * given. Default `redis://127.0.0.1:6379`. The password never appears in errors or logs.
   */
  url?: string;
  /** An ioredis client to use instead of opening a connection; `close()` then leaves it open. */
  client?: Redis;
  /** Prefix of every key, so several bots or environments can share one Redis. Default `openlines:`. */
  prefix?: string;
  /** Extra ioredis options for the connection opened from `url`. */
  redisOptions?: RedisOptions;
}

/**
 * How long past its logical end an unreleased dialog lease keeps its key. Leases expire by the
 * callers' clocks (`now`); this only reclaims the memory of a lease whose owner died.
 */
const LEASE_KEY_GRACE_MS = 3_600_000;
/** Most effects claimed, extended or released per script call (each call must stay short). */
const MAX_EFFECTS_PER_CALL = 500;
/** Dedupe keys forgotten per script call in `purgeExpired` (one call must not block Redis long). */
const PURGE_BATCH = 1000;
const MAX_PURGE_ROUNDS = 100_000;

/**
 * Opens a Redis {@link Store}. Several processes using the same Redis and prefix share dialogs
 * safely. Without `client`, it connects to `url`: a URL that is not `redis://` or `rediss://`
 * throws a {@link StoreError} at once; an unreachable server fails each call with one.
 *
 * @example
 * const store = redisStore({ url: process.env.REDIS_URL, prefix: 'support-bot:' });
 * const runtime = createRuntime({ bots: [supportBot], store, clients });
 */
export function redisStore(options: RedisStoreOptions = {}): Store {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const url = options.url ?? DEFAULT_REDIS_URL;
  const owned = options.client === undefined;
  const connection = options.client
    ? { client: options.client, lastError: () => undefined }
    : connectRedis(url, options.redisOptions);
  const { client } = connection;
  const where = owned ? describeRedisUrl(url) : 'Redis';
  // ioredis adds a client's own `keyPrefix` to the commands sent here, but not inside scripts.
  const scripts = defineRedisScripts(client, `${client.options.keyPrefix ?? ''}${prefix}`);
  let closed = false;

  /** Runs one step, turning every failure into a StoreError (JSON errors already are). */
  const run: RedisRun = async (what, step) => {
    if (closed) throw new StoreError('The Redis store is closed');
    try {
      return await step();
    } catch (cause) {
      if (isStoreError(cause)) throw cause;
      const last = connection.lastError();
      const detail =
        last && last !== (cause as Error).message ? ` (last connection error: ${last})` : '';
      throw new StoreError(
        `Redis store ${what} failed at ${where}: ${(cause as Error).message}${detail}`,
        { cause },
      );
    }
  };

  const firstScore = async (key: string): Promise<number | undefined> => {
    const [, score] = await client.zrange(`${prefix}${key}`, 0, 0, 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  };

  return {
    kind: 'redis',

    async appendInbox(items, options) {
      return run('appendInbox', async () => {
        const now = finite(options.now, 'now');
        const expiresAt = finite(
          options.now + (options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS),
          'dedupeTtlMs',
        );
        const offset = options.offset;
        const args = items.flatMap((item) => [
          item.dialogKey,
          item.dedupeKey === undefined ? '-' : `+${item.dedupeKey}`,
          expiresAt,
          encodeJson(item.payload, 'Inbox payload'),
        ]);
        const offsetArgs = offset
          ? [`+${offset.key}`, finite(offset.value, 'Offset value')]
          : ['-', ''];
        const seqs = (await scripts.append(now, items.length, ...offsetArgs, ...args)) as number[];
        return seqs.map((seq) =>
          seq === 0 ? { status: 'duplicate' as const } : { status: 'accepted' as const, seq },
        );
      });
    },

    async nextInbox(dialogKey) {
      return run('nextInbox', async () => {
        const reply = await scripts.next(dialogKey);
        return reply === null ? undefined : toInboxItem(reply);
      });
    },

    async peekInbox(dialogKey, limit) {
      return run('peekInbox', async () => {
        if (limit <= 0) return [];
        const reply = (await scripts.peek(dialogKey, Math.floor(limit))) as unknown[];
        return reply.map(toInboxItem);
      });
    },

    async pendingDialogs(limit) {
      return run('pendingDialogs', async () =>
        limit <= 0 ? [] : client.zrange(`${prefix}pending`, 0, limit - 1),
      );
    },

    async loadDialog(dialogKey) {
      return run('loadDialog', async () =>
        toDialogRecord(dialogKey, await scripts.load(dialogKey)),
      );
    },

    async commitTurn(dialogKey, commit) {
      return run('commitTurn', async () => {
        const revision = Number(await scripts.commit(dialogKey, ...commitArgs(commit)));
        return revision < 0 ? { status: 'conflict' } : { status: 'committed', revision };
      });
    },

    async discardInbox(seq) {
      await run('discardInbox', () => scripts.discard(finite(seq, 'seq')));
    },

    async acquireDialog(dialogKey, owner, leaseMs, now) {
      return run('acquireDialog', async () => {
        const until = finite(now + leaseMs, 'Lease end');
        const ttl = Math.max(1, Math.ceil(leaseMs)) + LEASE_KEY_GRACE_MS;
        return (await scripts.acquire(dialogKey, owner, finite(now, 'now'), until, ttl)) === 1;
      });
    },

    async releaseDialog(dialogKey, owner) {
      await run('releaseDialog', () => scripts.release(dialogKey, owner));
    },

    async orphanedDialogs({ now, owner, after, limit }) {
      return run('orphanedDialogs', async () => {
        const [next, dialogs] = (await scripts.orphans(
          finite(now, 'now'),
          owner,
          finite(after, 'after'),
          Math.min(Math.max(0, Math.floor(limit)), MAX_EFFECTS_PER_CALL),
        )) as [string, string[]];
        return { dialogs, next: Number(next) };
      });
    },

    async fireDueTimers(now, limit) {
      return run('fireDueTimers', async () => {
        const expiresAt = finite(now + DEFAULT_DEDUPE_TTL_MS, 'now');
        return (await scripts.fire(finite(now, 'now'), Math.floor(limit), expiresAt)) as string[];
      });
    },

    async nextTimerDeadline() {
      return run('nextTimerDeadline', () => firstScore('due'));
    },

    async claimEffects({ now, limit, leaseMs, owner }) {
      return run('claimEffects', async () => {
        const until = finite(now + leaseMs, 'Lease end');
        const reply = (await scripts.claim(
          finite(now, 'now'),
          Math.min(Math.floor(limit), MAX_EFFECTS_PER_CALL),
          owner,
          until,
        )) as unknown[];
        return reply.map((r) => {
          const { error: _error, ...effect } = toOutboxEffect(r);
          return effect;
        });
      });
    },

    async settleEffect(seq, outcome, now, owner) {
      await run('settleEffect', () => {
        const s = finite(seq, 'seq');
        const by = owner ?? '';
        if (outcome.status === 'sent' || (outcome.status === 'failed' && !outcome.deadLetter))
          return scripts.settle(s, 'drop', '', '', by);
        if (outcome.status === 'retry')
          return scripts.settle(
            s,
            'retry',
            finite(outcome.availableAt, 'availableAt'),
            outcome.error,
            by,
            outcome.countAttempt === false ? '0' : '1',
          );
        return scripts.settle(s, 'dead', finite(now, 'now'), outcome.error, by);
      });
    },

    async extendEffectClaims(seqs, owner, leaseUntil) {
      return run('extendEffectClaims', async () => {
        const until = finite(leaseUntil, 'Lease end');
        const kept: number[] = [];
        for (let i = 0; i < seqs.length; i += MAX_EFFECTS_PER_CALL) {
          const part = seqs.slice(i, i + MAX_EFFECTS_PER_CALL).map((s) => finite(s, 'seq'));
          const reply = (await scripts.extend(owner, until, ...part)) as Array<string | number>;
          kept.push(...reply.map(Number));
        }
        return kept;
      });
    },

    async releaseEffects(seqs, owner) {
      await run('releaseEffects', async () => {
        for (let i = 0; i < seqs.length; i += MAX_EFFECTS_PER_CALL) {
          const part = seqs.slice(i, i + MAX_EFFECTS_PER_CALL).map((s) => finite(s, 'seq'));
          await scripts.releaseEffects(owner, ...part);
        }
      });
    },

    async nextEffectAvailableAt() {
      return run('nextEffectAvailableAt', () => firstScore('ready'));
    },

    async deadLetters(limit) {
      return run('deadLetters', async () => {
        const reply = (await scripts.deadLetters(Math.floor(limit))) as unknown[];
        return reply.map((r) => {
          const effect = toOutboxEffect(r);
          return { ...effect, error: effect.error ?? '' };
        });
      });
    },

    ...redisPortals(client, prefix, run),

    async reserveRate(key, options) {
      checkRateOptions(key, options);
      return run('reserveRate', async () => {
        const [wait, level] = (await scripts.rate(
          key,
          options.burst,
          options.perSecond,
          options.now,
          'take',
        )) as [string, string];
        return { waitMs: Number(wait), level: Number(level) };
      });
    },

    async saturateRate(key, options) {
      checkRateOptions(key, options);
      await run('saturateRate', () =>
        scripts.rate(key, options.burst, options.perSecond, options.now, 'full'),
      );
    },

    async acquireLock(name, owner, leaseMs, now) {
      checkLockArgs(name, owner, leaseMs, now);
      return run('acquireLock', async () => {
        const until = finite(now + leaseMs, 'Lock end');
        const ttl = Math.max(1, Math.ceil(leaseMs)) + LEASE_KEY_GRACE_MS;
        return (await scripts.lock(name, owner, now, until, ttl)) === 1;
      });
    },

    async releaseLock(name, owner) {
      await run('releaseLock', () => scripts.unlock(name, owner));
    },

    async purgeExpired(now) {
      return run('purgeExpired', async () => {
        const at = finite(now, 'now');
        let total = 0;
        for (let round = 0; round < MAX_PURGE_ROUNDS; round++) {
          const purged = Number(await scripts.purge(at, PURGE_BATCH));
          total += purged;
          if (purged < PURGE_BATCH) break;
        }
        return total;
      });
    },

    async stats(): Promise<StoreStats> {
      return run('stats', async () => {
        const [dialogs, inboxDepth, outboxDepth, deadLetters, timersPending, oldest] = (
          (await scripts.stats()) as number[]
        ).map(Number) as [number, number, number, number, number, number];
        return {
          dialogs,
          inboxDepth,
          outboxDepth,
          deadLetters,
          timersPending,
          ...(oldest >= 0 ? { oldestInboxAt: oldest } : {}),
        };
      });
    },

    async ping() {
      await run('ping', () => client.ping());
    },

    async appendHistory(dialogKey, write, now) {
      await run('appendHistory', async () => {
        const args = historyArgs(write, now);
        await scripts.historyAppend(dialogKey, ...args);
      });
    },

    async readHistory(dialogKey, options = {}) {
      return run('readHistory', async () => {
        const { limit } = options;
        if (limit !== undefined && limit <= 0) return [];
        const start = limit === undefined ? 0 : -Math.floor(limit);
        const values = await client.lrange(`${prefix}h:${dialogKey}`, start, -1);
        return values.map(toHistoryEntry);
      });
    },

    async listDialogs({ limit }) {
      return run('listDialogs', async () => {
        const reply = (await scripts.listDialogs(Math.floor(limit))) as Array<
          [string, unknown, unknown, number, number]
        >;
        return reply.flatMap(([key, dialog, timers, depth, dead]) => {
          const record: DialogRecord | undefined = toDialogRecord(key, [dialog, timers]);
          return record
            ? [{ ...record, outboxDepth: Number(depth), deadLetters: Number(dead) }]
            : [];
        });
      });
    },

    async dialogEffects(dialogKey) {
      return run('dialogEffects', async () => {
        const reply = (await scripts.dialogEffects(dialogKey)) as unknown[];
        const status = { p: 'pending', i: 'inflight', x: 'dead' } as const;
        return reply
          .map((r): InspectedEffect => {
            const st = fieldsOf((r as unknown[]).slice(1)).st as 'p' | 'i' | 'x';
            return { ...toOutboxEffect(r), status: status[st] ?? 'pending' };
          })
          .sort((a, b) => a.seq - b.seq);
      });
    },

    async requeueDeadLetter(seq, now) {
      return run(
        'requeueDeadLetter',
        async () => Number(await scripts.requeue(finite(seq, 'seq'), finite(now, 'now'))) === 1,
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      if (!owned) return;
      // Not connected: stop reconnecting now (QUIT would wait for a connection that may never come).
      if (client.status !== 'ready') {
        client.disconnect();
        return;
      }
      try {
        // QUIT lets the commands already sent finish first.
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
