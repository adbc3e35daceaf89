"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.defineRedisScripts = defineRedisScripts;
const redis_lua_dialog_1 = require("./redis-lua-dialog");
const redis_lua_coordination_1 = require("./redis-lua-coordination");
const redis_lua_inbox_1 = require("./redis-lua-inbox");
const redis_lua_history_1 = require("./redis-lua-history");
const redis_lua_outbox_1 = require("./redis-lua-outbox");
const SCRIPTS = {
    append: redis_lua_inbox_1.LUA_APPEND,
    next: redis_lua_inbox_1.LUA_NEXT,
    peek: redis_lua_inbox_1.LUA_PEEK,
    discard: redis_lua_inbox_1.LUA_DISCARD,
    purge: redis_lua_inbox_1.LUA_PURGE,
    stats: redis_lua_inbox_1.LUA_STATS,
    commit: redis_lua_dialog_1.LUA_COMMIT,
    load: redis_lua_dialog_1.LUA_LOAD,
    acquire: redis_lua_dialog_1.LUA_ACQUIRE,
    release: redis_lua_dialog_1.LUA_RELEASE,
    fire: redis_lua_dialog_1.LUA_FIRE,
    claim: redis_lua_outbox_1.LUA_CLAIM,
    settle: redis_lua_outbox_1.LUA_SETTLE,
    deadLetters: redis_lua_outbox_1.LUA_DEAD_LETTERS,
    historyAppend: redis_lua_history_1.LUA_HISTORY_APPEND,
    listDialogs: redis_lua_history_1.LUA_LIST_DIALOGS,
    dialogEffects: redis_lua_history_1.LUA_DIALOG_EFFECTS,
    requeue: redis_lua_history_1.LUA_REQUEUE,
    orphans: redis_lua_dialog_1.LUA_ORPHANS,
    extend: redis_lua_outbox_1.LUA_EXTEND,
    releaseEffects: redis_lua_outbox_1.LUA_RELEASE_EFFECTS,
    rate: redis_lua_coordination_1.LUA_RATE,
    lock: redis_lua_coordination_1.LUA_LOCK,
    unlock: redis_lua_coordination_1.LUA_UNLOCK,
};
/** Script names that cannot collide with a command an application defined on a shared client. */
const commandName = (name) => `openlinesStore_${name}`;
function defineRedisScripts(client, prefix) {
    const scripts = {};
    for (const [name, lua] of Object.entries(SCRIPTS)) {
        const command = commandName(name);
        if (typeof client[command] !== 'function')
            client.defineCommand(command, { lua, numberOfKeys: 0 });
        const call = client[command];
        scripts[name] = (...args) => call.call(client, prefix, ...args);
    }
    return scripts;
}
