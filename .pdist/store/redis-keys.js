"use strict";
/**
 * The Redis store's key layout, every key under the store's prefix `P`:
 *
 * | key | type | holds |
 * |---|---|---|
 * | `P seq` | string | INCR counter: seqs of inbox items and effects |
 * | `P i:<seq>` | hash | one inbox item: `d` dialog, `k` dedupe key, `x` its expiry, `t` received at, `p` payload |
 * | `P q:<dialog>` | zset | the dialog's pending seqs |
 * | `P pending` | zset | dialogs with pending items, scored by their oldest seq |
 * | `P ddp` | hash | dedupe keys of waiting items → seq |
 * | `P ddx` | zset | dedupe keys of processed items, scored by expiry |
 * | `P d:<dialog>` | hash | `r` revision, `s` snapshot (absent: null), `v` bot version, `m` meta, `u` updated at |
 * | `P l:<dialog>` | hash | the dialog lease: `o` owner, `u` until |
 * | `P t:<dialog>` | hash | timer key → `<fired 0/1>,<deadline>,<inbox payload when fired>` |
 * | `P due` | zset | unfired timers of every dialog, scored by deadline |
 * | `P e:<seq>` | hash | one effect: `d`, `p` portal, `e`, `m`, `a` attempts, `v` available at, `c` created at, `st` p/i/x, `lo`/`lu` lease, `err` |
 * | `P o:<dialog>` | zset | the dialog's unsettled effects (not dead letters) |
 * | `P ready` | zset | dialogs with effects, scored by when their first one can be claimed |
 * | `P dead` | zset | dead-letter seqs |
 * | `P n:inbox`, `P n:outbox`, `P n:live` | string | counters for `stats()` |
 * | `P portals`, `P offsets` | hash | portal records (JSON), fetch offsets |
 * | `P h:<dialog>` | list | the dialog's history, oldest first: `<at>,<entry JSON>` (expires after its max age) |
 * | `P dx` | zset | dialogs by last commit time (the inspector's list) |
 * | `P rate:<portal>` | string | the portal's shared request budget: GCRA theoretical arrival time (ms), expires once drained |
 * | `P lk:<name>` | hash | a named lock (e.g. `oauth:<portal>` during a token refresh): `o` owner, `u` until |
 *
 * An idle dialog costs its `d:` hash, plus `t:` when it has timers; everything else is removed
 * when emptied.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_REDIS_PREFIX = void 0;
exports.redisKeys = redisKeys;
/** The prefix used when none is given. */
exports.DEFAULT_REDIS_PREFIX = 'openlines:';
/** Names of the keys that TypeScript reads directly (the scripts build their own). */
function redisKeys(prefix) {
    return {
        portals: `${prefix}portals`,
        offsets: `${prefix}offsets`,
    };
}
