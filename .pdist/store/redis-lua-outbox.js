"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LUA_DEAD_LETTERS = exports.LUA_SETTLE = exports.LUA_RELEASE_EFFECTS = exports.LUA_EXTEND = exports.LUA_CLAIM = void 0;
/** Lua scripts of the Redis store's effects outbox (see redis-keys.ts for the layout). */
const redis_lua_common_1 = require("./redis-lua-common");
/**
 * Claims, from up to `limit` dialogs whose first effect is claimable now (oldest first), the
 * `limit` lowest seqs among the dialogs' claimable prefixes (effects pending and available, or in
 * flight with an expired lease, up to the first one that is neither): a merge of the dialogs'
 * queues, so every dialog's part is a prefix and the whole is in emission order. Bounded work:
 * at most `limit` dialogs and `2 * limit` effects are read, whatever the backlog.
 * ARGV: prefix, now, limit, owner, lease until.
 * Returns `[seq, field, value, ...]` per claimed effect, in seq order.
 */
exports.LUA_CLAIM = `${redis_lua_common_1.LUA_PRELUDE}
local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
if limit <= 0 then return {} end
-- The claimable effect of a dialog's queue at a position, or nil.
local function claimableAt(dk, i)
  local s = redis.call('ZRANGE', P .. 'o:' .. dk, i, i)[1]
  if not s then return nil end
  local f = redis.call('HMGET', P .. 'e:' .. s, 'st', 'v', 'lu')
  local at = false
  if f[1] == 'p' then at = f[2] elseif f[1] == 'i' then at = f[3] end
  if not at or tonumber(at) > now then return nil end
  return s
end
local heads = {}
for _, dk in ipairs(redis.call('ZRANGEBYSCORE', P .. 'ready', '-inf', ARGV[2], 'LIMIT', 0, limit)) do
  local s = claimableAt(dk, 0)
  if s then heads[#heads + 1] = { dk = dk, i = 0, s = s, n = tonumber(s) } end
end
local out, touched = {}, {}
while #out < limit and #heads > 0 do
  local best = 1
  for h = 2, #heads do
    if heads[h].n < heads[best].n then best = h end
  end
  local head = heads[best]
  local ek = P .. 'e:' .. head.s
  redis.call('HSET', ek, 'st', 'i', 'lo', ARGV[4], 'lu', ARGV[5])
  touched[head.dk] = true
  local fields = redis.call('HGETALL', ek)
  table.insert(fields, 1, head.s)
  out[#out + 1] = fields
  head.i = head.i + 1
  local s = nil
  if #out < limit then s = claimableAt(head.dk, head.i) end
  if s then
    head.s = s
    head.n = tonumber(s)
  else
    heads[best] = heads[#heads]
    heads[#heads] = nil
  end
end
for dk in pairs(touched) do refreshReady(dk) end
return out
`;
/**
 * Extends the claims an owner still holds. ARGV: prefix, owner, lease until, seq...
 * Returns the seqs extended. Bounded by the seqs given.
 */
exports.LUA_EXTEND = `${redis_lua_common_1.LUA_PRELUDE}
local out, touched = {}, {}
for i = 4, #ARGV do
  local ek = P .. 'e:' .. ARGV[i]
  local f = redis.call('HMGET', ek, 'st', 'lo', 'd')
  if f[1] == 'i' and f[2] == ARGV[2] then
    redis.call('HSET', ek, 'lu', ARGV[3])
    touched[f[3]] = true
    out[#out + 1] = ARGV[i]
  end
end
for dk in pairs(touched) do refreshReady(dk) end
return out
`;
/** Gives an owner's claims back as pending (attempts unchanged). ARGV: prefix, owner, seq... */
exports.LUA_RELEASE_EFFECTS = `${redis_lua_common_1.LUA_PRELUDE}
local touched = {}
for i = 3, #ARGV do
  local ek = P .. 'e:' .. ARGV[i]
  local f = redis.call('HMGET', ek, 'st', 'lo', 'd')
  if f[1] == 'i' and f[2] == ARGV[2] then
    redis.call('HSET', ek, 'st', 'p')
    redis.call('HDEL', ek, 'lo', 'lu')
    touched[f[3]] = true
  end
end
for dk in pairs(touched) do refreshReady(dk) end
return 1
`;
/**
 * ARGV: prefix, seq, outcome ('drop' | 'retry' | 'dead'), available at (retry) or now (dead), error,
 * owner ('' for any), and '0' when a retry does not count as an attempt (the portal's rate limit).
 * Settling a dead letter, an unknown seq, or (with an owner) an effect whose
 * claim that owner no longer holds changes nothing and returns 0.
 */
exports.LUA_SETTLE = `${redis_lua_common_1.LUA_PRELUDE}
local s = ARGV[2]
local ek = P .. 'e:' .. s
local f = redis.call('HMGET', ek, 'd', 'st', 'lo')
local dk = f[1]
if not dk or f[2] == 'x' then return 0 end
if ARGV[6] and ARGV[6] ~= '' and (f[2] ~= 'i' or f[3] ~= ARGV[6]) then return 0 end
if ARGV[3] == 'drop' then
  redis.call('DEL', ek)
  redis.call('ZREM', P .. 'o:' .. dk, s)
  redis.call('DECR', P .. 'n:outbox')
else
  if ARGV[7] ~= '0' then redis.call('HINCRBY', ek, 'a', 1) end
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
exports.LUA_DEAD_LETTERS = `${redis_lua_common_1.LUA_PRELUDE}
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
