"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LUA_REQUEUE = exports.LUA_DIALOG_EFFECTS = exports.LUA_LIST_DIALOGS = exports.LUA_HISTORY_APPEND = exports.LUA_HISTORY_FN = void 0;
/**
 * Lua of the Redis store's dialog histories and inspection reads (see redis-keys.ts):
 * `P h:<dialog>` is a list of `<at>,<entry JSON>` oldest first, `P dx` a zset of dialogs by
 * their last update.
 */
const redis_lua_common_1 = require("./redis-lua-common");
/**
 * A Lua function for scripts that start with LUA_PRELUDE. `writeHistory(dk, b)` reads, from
 * ARGV[b]: entry count (absent: nothing to write), max entries, cutoff ('' for none), key TTL in
 * ms ('' for none), then per entry its time and its JSON without the opening brace. Appends,
 * trims to the retention, and returns the index after its arguments.
 */
exports.LUA_HISTORY_FN = `
local function writeHistory(dk, b)
  local n = tonumber(ARGV[b])
  if not n then return b end
  local maxEntries = tonumber(ARGV[b + 1])
  local cutoff = ARGV[b + 2]
  local ttl = ARGV[b + 3]
  local hk = P .. 'h:' .. dk
  b = b + 4
  for _ = 1, n do
    local id = fmt(redis.call('INCR', P .. 'seq'))
    redis.call('RPUSH', hk, ARGV[b] .. ',{"id":' .. id .. ',' .. ARGV[b + 1])
    b = b + 2
  end
  if maxEntries <= 0 then
    redis.call('DEL', hk)
    return b
  end
  redis.call('LTRIM', hk, -maxEntries, -1)
  if cutoff ~= '' then
    local limit = tonumber(cutoff)
    for _ = 1, maxEntries do
      local head = redis.call('LINDEX', hk, 0)
      if not head then break end
      local at = tonumber(string.sub(head, 1, string.find(head, ',', 1, true) - 1))
      if at >= limit then break end
      redis.call('LPOP', hk)
    end
  end
  if ttl ~= '' and redis.call('EXISTS', hk) == 1 then redis.call('PEXPIRE', hk, ttl) end
  return b
end
`;
/** ARGV: prefix, dialog key, then the history arguments of LUA_HISTORY_FN. */
exports.LUA_HISTORY_APPEND = `${redis_lua_common_1.LUA_PRELUDE}${exports.LUA_HISTORY_FN}
writeHistory(ARGV[2], 3)
return 1
`;
/**
 * ARGV: prefix, limit. The most recently updated dialogs; per dialog
 * `{ dialog key, dialog hash fields, timer hash fields, outbox depth, dead letters }`.
 */
exports.LUA_LIST_DIALOGS = `${redis_lua_common_1.LUA_PRELUDE}
local limit = tonumber(ARGV[2])
if limit <= 0 then return {} end
local dead = {}
for _, s in ipairs(redis.call('ZRANGE', P .. 'dead', 0, -1)) do
  local dk = redis.call('HGET', P .. 'e:' .. s, 'd')
  if dk then dead[dk] = (dead[dk] or 0) + 1 end
end
local out = {}
for _, dk in ipairs(redis.call('ZREVRANGE', P .. 'dx', 0, limit - 1)) do
  out[#out + 1] = { dk, redis.call('HGETALL', P .. 'd:' .. dk), redis.call('HGETALL', P .. 't:' .. dk),
    redis.call('ZCARD', P .. 'o:' .. dk), dead[dk] or 0 }
end
return out
`;
/** ARGV: prefix, dialog key. `[seq, field, value, ...]` per effect of the dialog (unsent, then dead letters). */
exports.LUA_DIALOG_EFFECTS = `${redis_lua_common_1.LUA_PRELUDE}
local dk = ARGV[2]
local out = {}
local function add(s)
  local fields = redis.call('HGETALL', P .. 'e:' .. s)
  table.insert(fields, 1, s)
  out[#out + 1] = fields
end
for _, s in ipairs(redis.call('ZRANGE', P .. 'o:' .. dk, 0, -1)) do add(s) end
for _, s in ipairs(redis.call('ZRANGE', P .. 'dead', 0, -1)) do
  if redis.call('HGET', P .. 'e:' .. s, 'd') == dk then add(s) end
end
return out
`;
/** ARGV: prefix, seq, now. A dead letter becomes pending again; returns 1, or 0 when it is none. */
exports.LUA_REQUEUE = `${redis_lua_common_1.LUA_PRELUDE}
local s = ARGV[2]
local ek = P .. 'e:' .. s
local f = redis.call('HMGET', ek, 'd', 'st')
if not f[1] or f[2] ~= 'x' then return 0 end
redis.call('HSET', ek, 'st', 'p', 'a', '0', 'v', ARGV[3])
redis.call('ZREM', P .. 'dead', s)
redis.call('ZADD', P .. 'o:' .. f[1], s, s)
redis.call('INCR', P .. 'n:outbox')
refreshReady(f[1])
return 1
`;
