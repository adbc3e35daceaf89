"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LUA_UNLOCK = exports.LUA_LOCK = exports.LUA_RATE = void 0;
/**
 * The Redis store's shared request budgets and named locks: one script each, so every process
 * on the same Redis reserves from one budget and takes one lock. The budget is GCRA (rate-gcra.ts
 * runs the same steps for the single-process stores).
 */
const redis_lua_common_1 = require("./redis-lua-common");
/**
 * ARGV: prefix, budget key, burst, per second, now, mode (`take` | `full`).
 * `take` reserves one request and returns `{ wait ms, level }` as strings; `full` marks the
 * bucket full from now. The key expires a minute after the bucket has drained.
 */
exports.LUA_RATE = `${redis_lua_common_1.LUA_PRELUDE}
local k = P .. 'rate:' .. ARGV[2]
local burst = tonumber(ARGV[3])
local interval = 1000 / tonumber(ARGV[4])
local now = tonumber(ARGV[5])
local stored = redis.call('GET', k)
local tat = now
if stored then tat = math.max(tonumber(stored), now) end
local wait = 0
if ARGV[6] == 'take' then
  tat = tat + interval
  wait = math.max(0, tat - burst * interval - now)
else
  tat = math.max(tat, now + burst * interval)
end
redis.call('SET', k, string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 60000)
return { string.format('%.3f', wait), string.format('%.6f', (tat - now) / interval) }
`;
/**
 * ARGV: prefix, lock name, owner, now, until, key TTL (ms). Returns 1 when `owner` holds the
 * lock afterwards (taken, or extended by its holder), 0 when another owner holds it unexpired.
 */
exports.LUA_LOCK = `${redis_lua_common_1.LUA_PRELUDE}
local k = P .. 'lk:' .. ARGV[2]
local f = redis.call('HMGET', k, 'o', 'u')
if f[1] and f[1] ~= ARGV[3] and tonumber(f[2]) > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', k, 'o', ARGV[3], 'u', ARGV[5])
redis.call('PEXPIRE', k, ARGV[6])
return 1
`;
/** ARGV: prefix, lock name, owner. Deletes the lock if `owner` holds it. */
exports.LUA_UNLOCK = `${redis_lua_common_1.LUA_PRELUDE}
local k = P .. 'lk:' .. ARGV[2]
if redis.call('HGET', k, 'o') == ARGV[3] then redis.call('DEL', k) end
return 1
`;
