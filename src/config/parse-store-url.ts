/**
 * `OPENLINES_STORE` values: `memory:`, `sqlite:<path>`; `redis://` is reserved for the distributed
 * adapter that is not shipped yet.
 */

/** Which store adapter to open, and where. */
export type StoreSpec = { kind: 'memory' } | { kind: 'sqlite'; path: string };

/** The embedded default: survives restarts, needs no setup. */
export const DEFAULT_SQLITE_PATH = './.openlines-bot/state.db';

/** Either a spec or the one-line reason the value is unusable. */
export type ParseStoreUrlResult =
  { status: 'ok'; spec: StoreSpec } | { status: 'invalid'; problem: string };

/**
 * Parses a store URL (the `OPENLINES_STORE` syntax).
 *
 * @example
 * parseStoreUrl({ url: 'sqlite:./data/bot.db' }); // { status: 'ok', spec: { kind: 'sqlite', path: './data/bot.db' } }
 */
export function parseStoreUrl(options: { url: string | undefined }): ParseStoreUrlResult {
  const raw = options.url?.trim();
  if (raw === undefined || raw === '')
    return { status: 'ok', spec: { kind: 'sqlite', path: DEFAULT_SQLITE_PATH } };
  if (raw === 'memory:' || raw === 'memory') return { status: 'ok', spec: { kind: 'memory' } };
  if (raw.startsWith('sqlite:')) {
    let path = raw.slice('sqlite:'.length);
    // Accept the URL-ish spelling `sqlite://./x.db` as well as `sqlite:./x.db`.
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') return { status: 'ok', spec: { kind: 'sqlite', path: DEFAULT_SQLITE_PATH } };
    if (path.includes('\0'))
      return { status: 'invalid', problem: 'OPENLINES_STORE: the sqlite path contains a NUL byte' };
    return { status: 'ok', spec: { kind: 'sqlite', path } };
  }
  if (/^rediss?:\/\//i.test(raw)) {
    return {
      status: 'invalid',
      problem:
        'OPENLINES_STORE: the Redis store is reserved for a later release and not available yet; use "sqlite:<path>" or "memory:"',
    };
  }
  return {
    status: 'invalid',
    problem: `OPENLINES_STORE: unknown store "${raw.replace(/[:/].*$/, '')}"; use "sqlite:<path>" (default ${DEFAULT_SQLITE_PATH}) or "memory:"`,
  };
}
