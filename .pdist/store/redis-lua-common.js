"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LUA_PRELUDE = void 0;
/**
 * Lua shared by the Redis store's scripts (see redis-keys.ts for the key layout). Every script
 * gets the key prefix as ARGV[1] and builds its key names from it, so one script call is one
 * atomic step over everything it touches.
 *
 * The `#!lua` line makes Redis refuse a script up front when it is out of memory, instead of
 * stopping it at its first write after some of its steps ran.
 *
 * Numbers that must survive exactly (seqs, timestamps) travel as decimal strings and are written
 * back as the strings they came in; seqs made by INCR are formatted with `%d` before use.
 */
exports.LUA_PRELUDE = `#!lua
local P = ARGV[1]
local function fmt(n) return string.format('%d', n) end

-- A dedupe key is taken while its item waits (ddp) and, once processed, until its expiry (ddx).
local function isDuplicate(key, now)
  if redis.call('HEXISTS', P .. 'ddp', key) == 1 then return true end
  local until_ = redis.call('ZSCORE', P .. 'ddx', key)
  return until_ ~= false and tonumber(until_) > now
end

-- Appends one item to its dialog's queue; returns the new seq (a number).
local function pushInbox(dk, key, expiresAt, receivedAt, payload)
  local seq = redis.call('INCR', P .. 'seq')
  local s = fmt(seq)
  if key then
    redis.call('HSET', P .. 'i:' .. s, 'd', dk, 'k', key, 'x', expiresAt, 't', receivedAt, 'p', payload)
    redis.call('HSET', P .. 'ddp', key, s)
    redis.call('ZREM', P .. 'ddx', key)
  else
    redis.call('HSET', P .. 'i:' .. s, 'd', dk, 't', receivedAt, 'p', payload)
  end
  redis.call('ZADD', P .. 'q:' .. dk, s, s)
  redis.call('ZADD', P .. 'pending', 'NX', s, dk)
  redis.call('INCR', P .. 'n:inbox')
  return seq
end

-- Removes a processed item (only one of dialog onlyDk when given); its dedupe key starts to age.
local function consumeInbox(s, onlyDk)
  local ik = P .. 'i:' .. s
  local f = redis.call('HMGET', ik, 'd', 'k', 'x')
  local dk = f[1]
  if not dk or (onlyDk and dk ~= onlyDk) then return end
  redis.call('DEL', ik)
  local qk = P .. 'q:' .. dk
  redis.call('ZREM', qk, s)
  local head = redis.call('ZRANGE', qk, 0, 0)[1]
  if head then
    redis.call('ZADD', P .. 'pending', head, dk)
  else
    redis.call('ZREM', P .. 'pending', dk)
  end
  if f[2] and redis.call('HGET', P .. 'ddp', f[2]) == s then
    redis.call('HDEL', P .. 'ddp', f[2])
    redis.call('ZADD', P .. 'ddx', f[3], f[2])
  end
  redis.call('DECR', P .. 'n:inbox')
end

-- Forgets up to max processed dedupe keys whose expiry is <= now; returns how many.
local function purgeDedupe(now, max)
  local keys = redis.call('ZRANGEBYSCORE', P .. 'ddx', '-inf', now, 'LIMIT', 0, max)
  if #keys > 0 then redis.call('ZREM', P .. 'ddx', unpack(keys)) end
  return #keys
end

-- The "ready" zset scores each dialog with effects by when its first unsettled effect can go:
-- availableAt when pending, the lease expiry when in flight.
local function refreshReady(dk)
  local head = redis.call('ZRANGE', P .. 'o:' .. dk, 0, 0)[1]
  if not head then
    redis.call('ZREM', P .. 'ready', dk)
    return
  end
  local f = redis.call('HMGET', P .. 'e:' .. head, 'st', 'v', 'lu')
  local at = f[2]
  if f[1] == 'i' then at = f[3] end
  redis.call('ZADD', P .. 'ready', at, dk)
end

-- Timers of all dialogs share one zset; a member names the dialog and the timer unambiguously.
local function timerMember(dk, tk) return #dk .. ':' .. dk .. tk end
local function splitMember(m)
  local c = string.find(m, ':', 1, true)
  local n = tonumber(string.sub(m, 1, c - 1))
  return string.sub(m, c + 1, c + n), string.sub(m, c + n + 1)
end
`;
