/** The Redis store's portal records and fetch offsets: one hash each, single commands. */
import type { Redis } from 'ioredis';
import { decodeJson, encodeJson } from './json-column';
import { redisKeys } from './redis-keys';
import type { PortalRecord, Store } from './store';

/** Runs one step of the store, turning failures into StoreErrors (see redis-store.ts). */
export type RedisRun = <T>(what: string, step: () => Promise<T>) => Promise<T>;

export function redisPortals(
  client: Redis,
  prefix: string,
  run: RedisRun,
): Pick<Store, 'getPortal' | 'savePortal' | 'deletePortal' | 'listPortals' | 'getOffset'> {
  const keys = redisKeys(prefix);
  return {
    async getPortal(memberId) {
      return run('getPortal', async () => {
        const text = await client.hget(keys.portals, memberId);
        return decodeJson(text) as PortalRecord | undefined;
      });
    },

    async savePortal(record) {
      await run('savePortal', () =>
        client.hset(keys.portals, record.memberId, encodeJson(record, 'Portal record')),
      );
    },

    async deletePortal(memberId) {
      await run('deletePortal', () => client.hdel(keys.portals, memberId));
    },

    async listPortals() {
      return run('listPortals', async () => {
        const all = await client.hgetall(keys.portals);
        return Object.keys(all)
          .sort()
          .map((k) => JSON.parse(all[k] as string) as PortalRecord);
      });
    },

    async getOffset(key) {
      return run('getOffset', async () => {
        const value = await client.hget(keys.offsets, key);
        return value === null ? undefined : Number(value);
      });
    },
  };
}
