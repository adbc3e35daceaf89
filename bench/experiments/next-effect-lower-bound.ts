/**
 * Experiment for `npm run bench -- --server-hook bench/experiments/next-effect-lower-bound.ts`:
 * the SQLite store's `nextEffectAvailableAt` answered by two index-only MIN lookups instead of a
 * scan of every pending/in-flight outbox row with a correlated subquery. The dispatcher only
 * needs a wake-up time, so a lower bound is enough: waking early finds nothing to claim and
 * re-arms. Measures what the change proposed for `src/store/sqlite-statements.ts` would save.
 */
import Database from 'better-sqlite3';
import type { Store } from '../../src/store/store';
import type { ServerHook } from '../server-child';

/**
 * Wraps the store; a second, read-only connection answers the query (WAL lets it read alongside).
 *
 * @example
 * const store = wrapStore({ store: sqliteStore({ path }), path });
 */
export const wrapStore: ServerHook['wrapStore'] = ({ store, path }) => {
  const db = new Database(path, { readonly: true });
  const next = db.prepare<[], { at: number | null }>(
    `SELECT MIN(at) AS at FROM (
       SELECT MIN(available_at) AS at FROM outbox WHERE status = 'pending'
       UNION ALL
       SELECT MIN(lease_until) AS at FROM outbox WHERE status = 'inflight')`,
  );
  const wrapped: Store = Object.create(store) as Store;
  wrapped.nextEffectAvailableAt = () => Promise.resolve(next.get()?.at ?? undefined);
  const close = store.close.bind(store);
  wrapped.close = async () => {
    db.close();
    await close();
  };
  return wrapped;
};
