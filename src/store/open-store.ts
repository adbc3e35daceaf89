/**
 * Opens a store from a one-line spec, as given in the `OPENLINES_STORE` environment variable.
 */
import { ConfigError } from '../errors';
import { memoryStore } from './memory-store';
import { DEFAULT_SQLITE_PATH, sqliteStore, type SqliteStoreOptions } from './sqlite-store';
import type { Store } from './store';

/** The spec used when none is given. */
export const DEFAULT_STORE_SPEC = `sqlite:${DEFAULT_SQLITE_PATH}`;

export interface OpenStoreOptions {
  /** Extra SQLite settings for `sqlite:` specs (the path comes from the spec). */
  sqlite?: Omit<SqliteStoreOptions, 'path'>;
}

const ACCEPTED = `accepted forms: "memory:", "sqlite:<path>" (default "${DEFAULT_STORE_SPEC}")`;

/**
 * Opens the store named by `spec`:
 * - `memory:` — {@link memoryStore} (nothing survives a restart);
 * - `sqlite:<path>` (also `sqlite://<path>`; `sqlite:` alone means the default path) — {@link sqliteStore};
 * - `redis://…` / `rediss://…` — not available yet: a {@link ConfigError}.
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
      throw storeSpecError(
        'the Redis adapter is not available yet; use "sqlite:<path>" for a durable store',
      );
    default:
      // Echo the scheme only when it looks like one: the spec may be a mistyped URL with a password.
      throw storeSpecError(
        /^[a-z][a-z0-9+.-]{0,15}$/.test(scheme) && colon >= 0
          ? `unknown store scheme "${scheme}"`
          : 'the store spec has no known scheme',
      );
  }
}

function storeSpecError(problem: string): ConfigError {
  return new ConfigError([`OPENLINES_STORE: ${problem} (${ACCEPTED})`], 'Invalid store');
}
