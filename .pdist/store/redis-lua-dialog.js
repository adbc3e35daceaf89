"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LUA_ORPHANS = exports.LUA_FIRE = exports.LUA_RELEASE = exports.LUA_ACQUIRE = exports.LUA_LOAD = exports.LUA_COMMIT = void 0;
/** Lua scripts of the Redis store's dialogs, timers and leases (see redis-keys.ts for the layout). */
const redis_lua_common_1 = require("./redis-lua-common");
const redis_lua_history_1 = require("./redis-lua-history");
/**
 * The whole turn in one step, or nothing on a revision mismatch.
 * ARGV: prefix, dialog key, expected revision, snapshot ('' for null), bot version, meta ('' for
 * none), now, consumed seq ('' for none), effect count, timer count, then per effect: portal,
 * effect, meta ('' for none); then per timer: key, stored value, deadline; then, optionally, the
 * history arguments of LUA_HISTORY_FN.
 * Returns the new revision, or -1 on a conflict.
 */
exports.LUA_COMMIT = `${redis_lua_common_1.LUA_PRELUDE}${redis_lua_history_1.LUA_HISTORY_FN}
local dk = ARGV[2]
local dkey = P .. 'd:' .. dk
local rev = tonumber(redis.call('HGET', dkey, 'r') or '0')
if rev ~= tonumber(ARGV[3]) then return -1 end
local wasLive = rev > 0 and redis.call('HEXISTS', dkey, 's') == 1
local isLive = ARGV[4] ~= ''
redis.call('HSET', dkey, 'r', fmt(rev + 1), 'v', ARGV[5], 'u', ARGV[7])
if isLive then redis.call('HSET', dkey, 's', ARGV[4]) else redis.call('HDEL', dkey, 's') end
if ARGV[6] ~= '' then redis.call('HSET', dkey, 'm', ARGV[6]) else redis.call('HDEL', dkey, 'm') end
if wasLive ~= isLive then redis.call('INCRBY', P .. 'n:live', isLive and 1 or -1) end

local ne, nt = tonumber(ARGV[9]), tonumber(ARGV[10])
local b = 11
for _ = 1, ne do
  local s = fmt(redis.call('INCR', P .. 'seq'))
  local ek = P .. 'e:' .. s
  redis.call('HSET', ek, 'd', dk, 'p', ARGV[b], 'e', ARGV[b + 1], 'a', '0',
    'v', ARGV[7], 'c', ARGV[7], 'st', 'p')
  if ARGV[b + 2] ~= '' then redis.call('HSET', ek, 'm', ARGV[b + 2]) end
  redis.call('ZADD', P .. 'o:' .. dk, s, s)
  redis.call('INCR', P .. 'n:outbox')
  b = b + 3
end
if ne > 0 then refreshReady(dk) end

local tkey = P .. 't:' .. dk
for _, tk in ipairs(redis.call('HKEYS', tkey)) do
  redis.call('ZREM', P .. 'due', timerMember(dk, tk))
end
redis.call('DEL', tkey)
for _ = 1, nt do
  redis.call('HSET', tkey, ARGV[b], ARGV[b + 1])
  if string.sub(ARGV[b + 1], 1, 1) == '0' then
    redis.call('ZADD', P .. 'due', ARGV[b + 2], timerMember(dk, ARGV[b]))
  end
  b = b + 3
end
writeHistory(dk, b)
redis.call('ZADD', P .. 'dx', ARGV[7], dk)

if ARGV[8] ~= '' then consumeInbox(ARGV[8], dk) end
return rev + 1
`;
/** ARGV: prefix, dialog key. Returns [dialog hash fields, timer hash fields] from one moment. */
exports.LUA_LOAD = `${redis_lua_common_1.LUA_PRELUDE}
return { redis.call('HGETALL', P .. 'd:' .. ARGV[2]), redis.call('HGETALL', P .. 't:' .. ARGV[2]) }
`;
/**
 * ARGV: prefix, dialog key, owner, now, until, physical TTL in ms. Returns 1 when granted.
 * The physical TTL only reclaims the memory of a lease its owner never released; expiry as the
 * contract means it is \`until\` against the caller's \`now\`.
 */
exports.LUA_ACQUIRE = `${redis_lua_common_1.LUA_PRELUDE}
local lk = P .. 'l:' .. ARGV[2]
local f = redis.call('HMGET', lk, 'o', 'u')
if f[1] and f[1] ~= ARGV[3] and tonumber(f[2]) > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', lk, 'o', ARGV[3], 'u', ARGV[5])
redis.call('PEXPIRE', lk, ARGV[6])
return 1
`;
/** ARGV: prefix, dialog key, owner. */
exports.LUA_RELEASE = `${redis_lua_common_1.LUA_PRELUDE}
local lk = P .. 'l:' .. ARGV[2]
if redis.call('HGET', lk, 'o') == ARGV[3] then redis.call('DEL', lk) end
return 1
`;
/**
 * Marks due timers fired and turns each into an inbox item (unless its dedupe key says it already
 * fired for this deadline). ARGV: prefix, now, limit, expiry of the new dedupe keys.
 * Returns the dialogs that got work, in firing order.
 */
exports.LUA_FIRE = `${redis_lua_common_1.LUA_PRELUDE}
local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
if limit <= 0 then return {} end
local woken, seen = {}, {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', P .. 'due', '-inf', ARGV[2], 'LIMIT', 0, limit)) do
  redis.call('ZREM', P .. 'due', m)
  local dk, tk = splitMember(m)
  local tkey = P .. 't:' .. dk
  local v = redis.call('HGET', tkey, tk)
  if v and string.sub(v, 1, 1) == '0' then
    redis.call('HSET', tkey, tk, '1' .. string.sub(v, 2))
    local c = string.find(v, ',', 3, true)
    local deadline = string.sub(v, 3, c - 1)
    local key = 'timer:' .. dk .. ':' .. tk .. ':' .. deadline
    if not isDuplicate(key, now) then
      pushInbox(dk, key, ARGV[4], ARGV[2], string.sub(v, c + 1))
      if not seen[dk] then
        seen[dk] = true
        woken[#woken + 1] = dk
      end
    end
  end
end
return woken
`;
/**
 * One page of dialogs with pending items and no live lease of another owner.
 * ARGV: prefix, now, owner, after (exclusive score), limit.
 * Returns [next cursor ('0' at the end), dialog keys]. Bounded by limit.
 */
exports.LUA_ORPHANS = `${redis_lua_common_1.LUA_PRELUDE}
local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[5])
if limit <= 0 then return { '0', {} } end
local rows = redis.call('ZRANGEBYSCORE', P .. 'pending', '(' .. ARGV[4], '+inf', 'WITHSCORES', 'LIMIT', 0, limit)
local out = {}
local last = '0'
for i = 1, #rows, 2 do
  local dk = rows[i]
  last = rows[i + 1]
  local f = redis.call('HMGET', P .. 'l:' .. dk, 'o', 'u')
  if not f[1] or f[1] == ARGV[3] or tonumber(f[2]) <= now then out[#out + 1] = dk end
end
if #rows / 2 < limit then last = '0' end
return { last, out }
`;
