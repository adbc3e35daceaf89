/** Lua scripts of the Redis store's effects outbox (see redis-keys.ts for the layout). */
import { LUA_PRELUDE } from './redis-lua-common';

/**
 * Claims, from up to `limit` dialogs whose first effect is claimable now (oldest first), each
 * dialog's claimable prefix: effects pending and available, or in flight with an expired lease,
 * up to the first one that is neither. The union is cut to `limit` in seq order (which keeps
 * every dialog's part a prefix). ARGV: prefix, now, limit, owner, lease until.
 * Returns `[seq, field, value, ...]` per claimed effect, in seq order.
 */
export const LUA_CLAIM = `${LUA_PRELUDE}
local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
if limit <= 0 then return {} end
local candidates = {}
for _, dk in ipairs(redis.call('ZRANGEBYSCORE', P .. 'ready', '-inf', ARGV[2], 'LIMIT', 0, limit)) do
  for _, s in ipairs(redis.call('ZRANGE', P .. 'o:' .. dk, 0, limit - 1)) do
    local f = redis.call('HMGET', P .. 'e:' .. s, 'st', 'v', 'lu')
    local at = false
    if f[1] == 'p' then at = f[2] elseif f[1] == 'i' then at = f[3] end
    if not at or tonumber(at) > now then break end
    candidates[#candidates + 1] = { tonumber(s), s, dk }
  end
end
table.sort(candidates, function(x, y) return x[1] < y[1] end)
local out, touched = {}, {}
for i = 1, math.min(limit, #candidates) do
  local c = candidates[i]
  local ek = P .. 'e:' .. c[2]
  redis.call('HSET', ek, 'st', 'i', 'lo', ARGV[4], 'lu', ARGV[5])
  touched[c[3]] = true
  local fields = redis.call('HGETALL', ek)
  table.insert(fields, 1, c[2])
  out[#out + 1] = fields
end
for dk in pairs(touched) do refreshReady(dk) end
return out
`;

/**
 * ARGV: prefix, seq, outcome ('drop' | 'retry' | 'dead'), available at (retry) or now (dead), error.
 * Settling a dead letter or an unknown seq changes nothing.
 */
export const LUA_SETTLE = `${LUA_PRELUDE}
local s = ARGV[2]
local ek = P .. 'e:' .. s
local f = redis.call('HMGET', ek, 'd', 'st')
local dk = f[1]
if not dk or f[2] == 'x' then return 0 end
if ARGV[3] == 'drop' then
  redis.call('DEL', ek)
  redis.call('ZREM', P .. 'o:' .. dk, s)
  redis.call('DECR', P .. 'n:outbox')
else
  redis.call('HINCRBY', ek, 'a', 1)
  redis.call('HDEL', ek, 'lo', 'lu')
  redis.call('HSET', ek, 'err', ARGV[5], 'v', ARGV[4])
  if ARGV[3] == 'retry' then
    redis.call('HSET', ek, 'st', 'p')
  else
    redis.call('HSET', ek, 'st', 'x')
    redis.call('ZREM', P .. 'o:' .. dk, s)
    redis.call('ZADD', P .. 'dead', s, s)
    redis.call('DECR', P .. 'n:outbox')
  end
end
refreshReady(dk)
return 1
`;

/** ARGV: prefix, limit. Returns `[seq, field, value, ...]` per dead letter, in seq order. */
export const LUA_DEAD_LETTERS = `${LUA_PRELUDE}
local out = {}
local limit = tonumber(ARGV[2])
if limit <= 0 then return out end
for _, s in ipairs(redis.call('ZRANGE', P .. 'dead', 0, limit - 1)) do
  local fields = redis.call('HGETALL', P .. 'e:' .. s)
  table.insert(fields, 1, s)
  out[#out + 1] = fields
end
return out
`;
