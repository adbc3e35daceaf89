/**
 * The real Redis the Redis store tests run against, with one key prefix per test run (removed
 * afterwards). An unreachable Redis fails the tests with a message saying how to start it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = 'redis://127.0.0.1:6379';

const START_HINT =
  'start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';

/** Unique to this jest worker's run, so parallel runs and leftovers of old runs never meet. */
export const RUN_PREFIX = `openlines-test:${process.pid}-${randomBytes(4).toString('hex')}:`;

let counter = 0;
/** A fresh prefix under the run's prefix: an empty store. */
export const freshPrefix = (): string => `${RUN_PREFIX}${++counter}:`;

let admin: Promise<Redis> | undefined;

/** A connection for the test's own checks; rejects with a clear message when Redis is down. */
export function requireRedis(): Promise<Redis> {
  admin ??= (async () => {
    const client = new Redis(REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    let refused: string | undefined;
    client.on('error', (e: Error) => (refused ??= e.message));
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (e) {
      client.disconnect();
      throw new Error(
        `Redis not reachable at 127.0.0.1:6379: ${START_HINT} (${refused ?? (e as Error).message})`,
      );
    }
  })();
  return admin;
}

/** Every key under `prefix`, found with SCAN (never KEYS, which blocks the server). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  for (let round = 0; round < 100_000; round++) {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
    if (cursor === '0') return found;
  }
  throw new Error(`SCAN over ${prefix}* did not finish`);
}

/** Deletes the run's keys and closes the test connection. */
export async function cleanUpRedis(): Promise<void> {
  if (!admin) return;
  const redis = await admin.catch(() => undefined);
  admin = undefined;
  if (!redis) return;
  const keys = await keysUnder(redis, RUN_PREFIX);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await redis.quit();
}
