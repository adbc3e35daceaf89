"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.redisPortals = redisPortals;
const json_column_1 = require("./json-column");
const redis_keys_1 = require("./redis-keys");
function redisPortals(client, prefix, run) {
    const keys = (0, redis_keys_1.redisKeys)(prefix);
    return {
        async getPortal(memberId) {
            return run('getPortal', async () => {
                const text = await client.hget(keys.portals, memberId);
                return (0, json_column_1.decodeJson)(text);
            });
        },
        async savePortal(record) {
            await run('savePortal', () => client.hset(keys.portals, record.memberId, (0, json_column_1.encodeJson)(record, 'Portal record')));
        },
        async deletePortal(memberId) {
            await run('deletePortal', () => client.hdel(keys.portals, memberId));
        },
        async listPortals() {
            return run('listPortals', async () => {
                const all = await client.hgetall(keys.portals);
                return Object.keys(all)
                    .sort()
                    .map((k) => JSON.parse(all[k]));
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
