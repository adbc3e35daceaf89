"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LUA_STATS = exports.LUA_PURGE = exports.LUA_DISCARD = exports.LUA_PEEK = exports.LUA_NEXT = exports.LUA_APPEND = exports.APPEND_PURGE_BATCH = void 0;
/** Lua scripts of the Redis store's inbox (see redis-keys.ts for the layout). */
const redis_lua_common_1 = require("./redis-lua-common");
/** How many expired dedupe keys each append forgets on the way, so memory stays bounded without `purgeExpired`. */
exports.APPEND_PURGE_BATCH = 64;
/**
 * ARGV: prefix, now, count, offset ('+key' or '-'), offset value, then per item: dialog key,
 * dedupe key ('+key' or '-'), its expiry, payload. Returns one seq per item, 0 for a duplicate.
 */
exports.LUA_APPEND = `${redis_lua_common_1.LUA_PRELUDE}
local now = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local out = {}
for i = 0, n - 1 do
  local b = 6 + i * 4
  local kf = ARGV[b + 1]
  local key = false
  if string.sub(kf, 1, 1) == '+' then key = string.sub(kf, 2) end
  if key and isDuplicate(key, now) then
    out[#out + 1] = 0
  else
    out[#out + 1] = pushInbox(ARGV[b], key, ARGV[b + 2], ARGV[2], ARGV[b + 3])
  end
end
if string.sub(ARGV[4], 1, 1) == '+' then
  local field = string.sub(ARGV[4], 2)
  local current = redis.call('HGET', P .. 'offsets', field)
  if not current or tonumber(current) < tonumber(ARGV[5]) then
    redis.call('HSET', P .. 'offsets', field, ARGV[5])
  end
end
purgeDedupe(ARGV[2], ${exports.APPEND_PURGE_BATCH})
return out
`;
/** ARGV: prefix, dialog key. Returns `[seq, field, value, ...]` of the oldest pending item, or nil. */
exports.LUA_NEXT = `${redis_lua_common_1.LUA_PRELUDE}
local head = redis.call('ZRANGE', P .. 'q:' .. ARGV[2], 0, 0)[1]
if not head then return nil end
local item = redis.call('HGETALL', P .. 'i:' .. head)
table.insert(item, 1, head)
return item
`;
/** ARGV: prefix, dialog key, limit. Returns the dialog's oldest items, each `[seq, field, value...]`. */
exports.LUA_PEEK = `${redis_lua_common_1.LUA_PRELUDE}
local seqs = redis.call('ZRANGE', P .. 'q:' .. ARGV[2], 0, tonumber(ARGV[3]) - 1)
local out = {}
for _, s in ipairs(seqs) do
  local item = redis.call('HGETALL', P .. 'i:' .. s)
  if #item > 0 then
    table.insert(item, 1, s)
    table.insert(out, item)
  end
end
return out
`;
/** ARGV: prefix, seq. */
exports.LUA_DISCARD = `${redis_lua_common_1.LUA_PRELUDE}
consumeInbox(ARGV[2], false)
return 1
`;
/** ARGV: prefix, now, max. Returns how many processed dedupe keys were forgotten. */
exports.LUA_PURGE = `${redis_lua_common_1.LUA_PRELUDE}
return purgeDedupe(ARGV[2], tonumber(ARGV[3]))
`;
/**
 * ARGV: prefix. Returns [live dialogs, inbox depth, outbox depth, dead letters, pending timers,
 * received-at of the oldest pending item or -1]. O(log n): counters, cardinalities and one zset head.
 */
exports.LUA_STATS = `${redis_lua_common_1.LUA_PRELUDE}
local function count(k) return tonumber(redis.call('GET', P .. k) or '0') end
local oldest = -1
local head = redis.call('ZRANGE', P .. 'pending', 0, 0, 'WITHSCORES')
if head[2] then
  local at = redis.call('HGET', P .. 'i:' .. head[2], 't')
  if at then oldest = tonumber(at) end
end
return { count('n:live'), count('n:inbox'), count('n:outbox'),
  redis.call('ZCARD', P .. 'dead'), redis.call('ZCARD', P .. 'due'), oldest }
`;
