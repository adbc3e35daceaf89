/**
 * Opens a store from a one-line spec, as given in the `OPENLINES_STORE` environment variable.
 */
import { ConfigError } from '../errors';
import { memoryStore } from './memory-store';
import { parseRedisSpec } from './redis-connection';
import { redisStore, type RedisStoreOptions } from './redis-store';
import { DEFAULT_SQLITE_PATH, sqliteStore, type SqliteStoreOptions } from './sqlite-store';
import type { Store } from './store';

/** The spec used when none is given. */
export const DEFAULT_STORE_SPEC = `sqlite:${DEFAULT_SQLITE_PATH}`;

export interface OpenStoreOptions {
  /** Extra SQLite settings for `sqlite:` specs (the path comes from the spec). */
  sqlite?: Omit<SqliteStoreOptions, 'path'>;
  /** Extra Redis settings for `redis://` specs (the URL, and the prefix when it has one, come from the spec). */
  redis?: Omit<RedisStoreOptions, 'url' | 'client'>;
}

const ACCEPTED = `accepted forms: "memory:", "sqlite:<path>" (default "${DEFAULT_STORE_SPEC}"), "redis://[user:password@]host:port[/db][?prefix=<key prefix>]", "rediss://…"`;

/**
 * Opens the store named by `spec`:
 * - `memory:` — {@link memoryStore} (nothing survives a restart);
 * - `sqlite:<path>` (also `sqlite://<path>`; `sqlite:` alone means the default path) — {@link sqliteStore};
 * - `redis://…` / `rediss://…` (TLS) — {@link redisStore}; `?prefix=` sets its key prefix. The
 *   password is registered as a secret, and the connection is checked once: an unreachable
 *   Redis is a `StoreError` naming host and port only.
 *
 * Anything else is a `ConfigError`. The spec is never echoed whole into an error, because a
 * connection URL may carry a password.
 *
 * @example
 * const store = await openStore(process.env.OPENLINES_STORE);
 */
export async function openStore(
  spec: string = DEFAULT_STORE_SPEC,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const trimmed = spec.trim() === '' ? DEFAULT_STORE_SPEC : spec.trim();
  const colon = trimmed.indexOf(':');
  const scheme = colon < 0 ? trimmed.toLowerCase() : trimmed.slice(0, colon).toLowerCase();
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1);

  switch (scheme) {
    case 'memory':
      if (rest !== '' && rest !== '//') throw storeSpecError(`"memory:" takes no argument`);
      return memoryStore();
    case 'sqlite': {
      const path = rest.startsWith('//') ? rest.slice(2) : rest;
      return sqliteStore({ ...options.sqlite, path: path === '' ? DEFAULT_SQLITE_PATH : path });
    }
    case 'redis':
    case 'rediss':
      return openRedis(trimmed, options.redis);
    default:
      // Echo the scheme only when it looks like one: the spec may be a mistyped URL with a password.
      throw storeSpecError(
        /^[a-z][a-z0-9+.-]{0,15}$/.test(scheme) && colon >= 0
          ? `unknown store scheme "${scheme}"`
          : 'the store spec has no known scheme',
      );
  }
}

async function openRedis(spec: string, options: OpenStoreOptions['redis']): Promise<Store> {
  const parsed = parseRedisSpec(spec);
  if (!parsed) throw storeSpecError('the Redis URL is not a valid URL with a host');
  const store = redisStore({ ...options, ...parsed });
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function storeSpecError(problem: string): ConfigError {
  return new ConfigError([`OPENLINES_STORE: ${problem} (${ACCEPTED})`], 'Invalid store');
}
