/**
 * Registers the Redis store's Lua scripts on a client (ioredis `defineCommand`: EVALSHA, falling
 * back to EVAL once after a server restart flushed its script cache) and gives them typed names.
 */
import type { Redis } from 'ioredis';
import {
  LUA_ACQUIRE,
  LUA_COMMIT,
  LUA_FIRE,
  LUA_LOAD,
  LUA_ORPHANS,
  LUA_RELEASE,
} from './redis-lua-dialog';
import { LUA_LOCK, LUA_RATE, LUA_UNLOCK } from './redis-lua-coordination';
import {
  LUA_APPEND,
  LUA_DISCARD,
  LUA_NEXT,
  LUA_PEEK,
  LUA_PURGE,
  LUA_STATS,
} from './redis-lua-inbox';
import {
  LUA_DIALOG_EFFECTS,
  LUA_HISTORY_APPEND,
  LUA_LIST_DIALOGS,
  LUA_REQUEUE,
} from './redis-lua-history';
import {
  LUA_CLAIM,
  LUA_DEAD_LETTERS,
  LUA_EXTEND,
  LUA_RELEASE_EFFECTS,
  LUA_SETTLE,
} from './redis-lua-outbox';

const SCRIPTS = {
  append: LUA_APPEND,
  next: LUA_NEXT,
  peek: LUA_PEEK,
  discard: LUA_DISCARD,
  purge: LUA_PURGE,
  stats: LUA_STATS,
  commit: LUA_COMMIT,
  load: LUA_LOAD,
  acquire: LUA_ACQUIRE,
  release: LUA_RELEASE,
  fire: LUA_FIRE,
  claim: LUA_CLAIM,
  settle: LUA_SETTLE,
  deadLetters: LUA_DEAD_LETTERS,
  historyAppend: LUA_HISTORY_APPEND,
  listDialogs: LUA_LIST_DIALOGS,
  dialogEffects: LUA_DIALOG_EFFECTS,
  requeue: LUA_REQUEUE,
  orphans: LUA_ORPHANS,
  extend: LUA_EXTEND,
  releaseEffects: LUA_RELEASE_EFFECTS,
  rate: LUA_RATE,
  lock: LUA_LOCK,
  unlock: LUA_UNLOCK,
} as const;

/** Script names that cannot collide with a command an application defined on a shared client. */
const commandName = (name: string): string => `openlinesStore_${name}`;

/** Every script, called with its ARGV after the prefix (the prefix is added here). */
export type RedisScripts = {
  [K in keyof typeof SCRIPTS]: (...args: Array<string | number>) => Promise<unknown>;
};

type ScriptCommand = (...args: Array<string | number>) => Promise<unknown>;

export function defineRedisScripts(client: Redis, prefix: string): RedisScripts {
  const scripts: Partial<Record<keyof typeof SCRIPTS, ScriptCommand>> = {};
  for (const [name, lua] of Object.entries(SCRIPTS) as Array<[keyof typeof SCRIPTS, string]>) {
    const command = commandName(name);
    if (typeof (client as unknown as Record<string, unknown>)[command] !== 'function')
      client.defineCommand(command, { lua, numberOfKeys: 0 });
    const call = (client as unknown as Record<string, ScriptCommand>)[command] as ScriptCommand;
    scripts[name] = (...args) => call.call(client, prefix, ...args);
  }
  return scripts as RedisScripts;
}
