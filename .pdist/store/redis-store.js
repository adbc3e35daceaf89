"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.redisStore = redisStore;
const json_column_1 = require("./json-column");
const redis_codec_1 = require("./redis-codec");
const redis_connection_1 = require("./redis-connection");
const redis_keys_1 = require("./redis-keys");
const redis_portals_1 = require("./redis-portals");
const redis_scripts_1 = require("./redis-scripts");
const rate_gcra_1 = require("./rate-gcra");
const store_error_1 = require("./store-error");
const store_rules_1 = require("./store-rules");
/**
 * How long past its logical end an unreleased dialog lease keeps its key. Leases expire by the
 * callers' clocks (`now`); this only reclaims the memory of a lease whose owner died.
 */
const LEASE_KEY_GRACE_MS = 3_600_000;
/** Most effects claimed, extended or released per script call (each call must stay short). */
const MAX_EFFECTS_PER_CALL = 500;
/** Dedupe keys forgotten per script call in `purgeExpired` (one call must not block Redis long). */
const PURGE_BATCH = 1000;
const MAX_PURGE_ROUNDS = 100_000;
/**
 * Opens a Redis {@link Store}. Several processes using the same Redis and prefix share dialogs
 * safely. Without `client`, it connects to `url`: a URL that is not `redis://` or `rediss://`
 * throws a {@link StoreError} at once; an unreachable server fails each call with one.
 *
 * @example
 * const store = redisStore({ url: process.env.REDIS_URL, prefix: 'support-bot:' });
 * const runtime = createRuntime({ bots: [supportBot], store, clients });
 */
function redisStore(options = {}) {
    const prefix = options.prefix ?? redis_keys_1.DEFAULT_REDIS_PREFIX;
    const url = options.url ?? redis_connection_1.DEFAULT_REDIS_URL;
    const owned = options.client === undefined;
    const connection = options.client
        ? { client: options.client, lastError: () => undefined }
        : (0, redis_connection_1.connectRedis)(url, options.redisOptions);
    const { client } = connection;
    const where = owned ? (0, redis_connection_1.describeRedisUrl)(url) : 'Redis';
    // ioredis adds a client's own `keyPrefix` to the commands sent here, but not inside scripts.
    const scripts = (0, redis_scripts_1.defineRedisScripts)(client, `${client.options.keyPrefix ?? ''}${prefix}`);
    let closed = false;
    /** Runs one step, turning every failure into a StoreError (JSON errors already are). */
    const run = async (what, step) => {
        if (closed)
            throw new store_error_1.StoreError('The Redis store is closed');
        try {
            return await step();
        }
        catch (cause) {
            if ((0, store_error_1.isStoreError)(cause))
                throw cause;
            const last = connection.lastError();
            const detail = last && last !== cause.message ? ` (last connection error: ${last})` : '';
            throw new store_error_1.StoreError(`Redis store ${what} failed at ${where}: ${cause.message}${detail}`, { cause });
        }
    };
    const firstScore = async (key) => {
        const [, score] = await client.zrange(`${prefix}${key}`, 0, 0, 'WITHSCORES');
        return score === undefined ? undefined : Number(score);
    };
    return {
        kind: 'redis',
        async appendInbox(items, options) {
            return run('appendInbox', async () => {
                const now = (0, redis_codec_1.finite)(options.now, 'now');
                const expiresAt = (0, redis_codec_1.finite)(options.now + (options.dedupeTtlMs ?? store_rules_1.DEFAULT_DEDUPE_TTL_MS), 'dedupeTtlMs');
                const offset = options.offset;
                const args = items.flatMap((item) => [
                    item.dialogKey,
                    item.dedupeKey === undefined ? '-' : `+${item.dedupeKey}`,
                    expiresAt,
                    (0, json_column_1.encodeJson)(item.payload, 'Inbox payload'),
                ]);
                const offsetArgs = offset
                    ? [`+${offset.key}`, (0, redis_codec_1.finite)(offset.value, 'Offset value')]
                    : ['-', ''];
                const seqs = (await scripts.append(now, items.length, ...offsetArgs, ...args));
                return seqs.map((seq) => seq === 0 ? { status: 'duplicate' } : { status: 'accepted', seq });
            });
        },
        async nextInbox(dialogKey) {
            return run('nextInbox', async () => {
                const reply = await scripts.next(dialogKey);
                return reply === null ? undefined : (0, redis_codec_1.toInboxItem)(reply);
            });
        },
        async peekInbox(dialogKey, limit) {
            return run('peekInbox', async () => {
                if (limit <= 0)
                    return [];
                const reply = (await scripts.peek(dialogKey, Math.floor(limit)));
                return reply.map(redis_codec_1.toInboxItem);
            });
        },
        async pendingDialogs(limit) {
            return run('pendingDialogs', async () => limit <= 0 ? [] : client.zrange(`${prefix}pending`, 0, limit - 1));
        },
        async loadDialog(dialogKey) {
            return run('loadDialog', async () => (0, redis_codec_1.toDialogRecord)(dialogKey, await scripts.load(dialogKey)));
        },
        async commitTurn(dialogKey, commit) {
            return run('commitTurn', async () => {
                const revision = Number(await scripts.commit(dialogKey, ...(0, redis_codec_1.commitArgs)(commit)));
                return revision < 0 ? { status: 'conflict' } : { status: 'committed', revision };
            });
        },
        async discardInbox(seq) {
            await run('discardInbox', () => scripts.discard((0, redis_codec_1.finite)(seq, 'seq')));
        },
        async acquireDialog(dialogKey, owner, leaseMs, now) {
            return run('acquireDialog', async () => {
                const until = (0, redis_codec_1.finite)(now + leaseMs, 'Lease end');
                const ttl = Math.max(1, Math.ceil(leaseMs)) + LEASE_KEY_GRACE_MS;
                return (await scripts.acquire(dialogKey, owner, (0, redis_codec_1.finite)(now, 'now'), until, ttl)) === 1;
            });
        },
        async releaseDialog(dialogKey, owner) {
            await run('releaseDialog', () => scripts.release(dialogKey, owner));
        },
        async orphanedDialogs({ now, owner, after, limit }) {
            return run('orphanedDialogs', async () => {
                const [next, dialogs] = (await scripts.orphans((0, redis_codec_1.finite)(now, 'now'), owner, (0, redis_codec_1.finite)(after, 'after'), Math.min(Math.max(0, Math.floor(limit)), MAX_EFFECTS_PER_CALL)));
                return { dialogs, next: Number(next) };
            });
        },
        async fireDueTimers(now, limit) {
            return run('fireDueTimers', async () => {
                const expiresAt = (0, redis_codec_1.finite)(now + store_rules_1.DEFAULT_DEDUPE_TTL_MS, 'now');
                return (await scripts.fire((0, redis_codec_1.finite)(now, 'now'), Math.floor(limit), expiresAt));
            });
        },
        async nextTimerDeadline() {
            return run('nextTimerDeadline', () => firstScore('due'));
        },
        async claimEffects({ now, limit, leaseMs, owner }) {
            return run('claimEffects', async () => {
                const until = (0, redis_codec_1.finite)(now + leaseMs, 'Lease end');
                const reply = (await scripts.claim((0, redis_codec_1.finite)(now, 'now'), Math.min(Math.floor(limit), MAX_EFFECTS_PER_CALL), owner, until));
                return reply.map((r) => {
                    const { error: _error, ...effect } = (0, redis_codec_1.toOutboxEffect)(r);
                    return effect;
                });
            });
        },
        async settleEffect(seq, outcome, now, owner) {
            await run('settleEffect', () => {
                const s = (0, redis_codec_1.finite)(seq, 'seq');
                const by = owner ?? '';
                if (outcome.status === 'sent' || (outcome.status === 'failed' && !outcome.deadLetter))
                    return scripts.settle(s, 'drop', '', '', by);
                if (outcome.status === 'retry')
                    return scripts.settle(s, 'retry', (0, redis_codec_1.finite)(outcome.availableAt, 'availableAt'), outcome.error, by, outcome.countAttempt === false ? '0' : '1');
                return scripts.settle(s, 'dead', (0, redis_codec_1.finite)(now, 'now'), outcome.error, by);
            });
        },
        async extendEffectClaims(seqs, owner, leaseUntil) {
            return run('extendEffectClaims', async () => {
                const until = (0, redis_codec_1.finite)(leaseUntil, 'Lease end');
                const kept = [];
                for (let i = 0; i < seqs.length; i += MAX_EFFECTS_PER_CALL) {
                    const part = seqs.slice(i, i + MAX_EFFECTS_PER_CALL).map((s) => (0, redis_codec_1.finite)(s, 'seq'));
                    const reply = (await scripts.extend(owner, until, ...part));
                    kept.push(...reply.map(Number));
                }
                return kept;
            });
        },
        async releaseEffects(seqs, owner) {
            await run('releaseEffects', async () => {
                for (let i = 0; i < seqs.length; i += MAX_EFFECTS_PER_CALL) {
                    const part = seqs.slice(i, i + MAX_EFFECTS_PER_CALL).map((s) => (0, redis_codec_1.finite)(s, 'seq'));
                    await scripts.releaseEffects(owner, ...part);
                }
            });
        },
        async nextEffectAvailableAt() {
            return run('nextEffectAvailableAt', () => firstScore('ready'));
        },
        async deadLetters(limit) {
            return run('deadLetters', async () => {
                const reply = (await scripts.deadLetters(Math.floor(limit)));
                return reply.map((r) => {
                    const effect = (0, redis_codec_1.toOutboxEffect)(r);
                    return { ...effect, error: effect.error ?? '' };
                });
            });
        },
        ...(0, redis_portals_1.redisPortals)(client, prefix, run),
        async reserveRate(key, options) {
            (0, rate_gcra_1.checkRateOptions)(key, options);
            return run('reserveRate', async () => {
                const [wait, level] = (await scripts.rate(key, options.burst, options.perSecond, options.now, 'take'));
                return { waitMs: Number(wait), level: Number(level) };
            });
        },
        async saturateRate(key, options) {
            (0, rate_gcra_1.checkRateOptions)(key, options);
            await run('saturateRate', () => scripts.rate(key, options.burst, options.perSecond, options.now, 'full'));
        },
        async acquireLock(name, owner, leaseMs, now) {
            (0, rate_gcra_1.checkLockArgs)(name, owner, leaseMs, now);
            return run('acquireLock', async () => {
                const until = (0, redis_codec_1.finite)(now + leaseMs, 'Lock end');
                const ttl = Math.max(1, Math.ceil(leaseMs)) + LEASE_KEY_GRACE_MS;
                return (await scripts.lock(name, owner, now, until, ttl)) === 1;
            });
        },
        async releaseLock(name, owner) {
            await run('releaseLock', () => scripts.unlock(name, owner));
        },
        async purgeExpired(now) {
            return run('purgeExpired', async () => {
                const at = (0, redis_codec_1.finite)(now, 'now');
                let total = 0;
                for (let round = 0; round < MAX_PURGE_ROUNDS; round++) {
                    const purged = Number(await scripts.purge(at, PURGE_BATCH));
                    total += purged;
                    if (purged < PURGE_BATCH)
                        break;
                }
                return total;
            });
        },
        async stats() {
            return run('stats', async () => {
                const [dialogs, inboxDepth, outboxDepth, deadLetters, timersPending, oldest] = (await scripts.stats()).map(Number);
                return {
                    dialogs,
                    inboxDepth,
                    outboxDepth,
                    deadLetters,
                    timersPending,
                    ...(oldest >= 0 ? { oldestInboxAt: oldest } : {}),
                };
            });
        },
        async ping() {
            await run('ping', () => client.ping());
        },
        async appendHistory(dialogKey, write, now) {
            await run('appendHistory', async () => {
                const args = (0, redis_codec_1.historyArgs)(write, now);
                await scripts.historyAppend(dialogKey, ...args);
            });
        },
        async readHistory(dialogKey, options = {}) {
            return run('readHistory', async () => {
                const { limit } = options;
                if (limit !== undefined && limit <= 0)
                    return [];
                const start = limit === undefined ? 0 : -Math.floor(limit);
                const values = await client.lrange(`${prefix}h:${dialogKey}`, start, -1);
                return values.map(redis_codec_1.toHistoryEntry);
            });
        },
        async listDialogs({ limit }) {
            return run('listDialogs', async () => {
                const reply = (await scripts.listDialogs(Math.floor(limit)));
                return reply.flatMap(([key, dialog, timers, depth, dead]) => {
                    const record = (0, redis_codec_1.toDialogRecord)(key, [dialog, timers]);
                    return record
                        ? [{ ...record, outboxDepth: Number(depth), deadLetters: Number(dead) }]
                        : [];
                });
            });
        },
        async dialogEffects(dialogKey) {
            return run('dialogEffects', async () => {
                const reply = (await scripts.dialogEffects(dialogKey));
                const status = { p: 'pending', i: 'inflight', x: 'dead' };
                return reply
                    .map((r) => {
                    const st = (0, redis_codec_1.fieldsOf)(r.slice(1)).st;
                    return { ...(0, redis_codec_1.toOutboxEffect)(r), status: status[st] ?? 'pending' };
                })
                    .sort((a, b) => a.seq - b.seq);
            });
        },
        async requeueDeadLetter(seq, now) {
            return run('requeueDeadLetter', async () => Number(await scripts.requeue((0, redis_codec_1.finite)(seq, 'seq'), (0, redis_codec_1.finite)(now, 'now'))) === 1);
        },
        async close() {
            if (closed)
                return;
            closed = true;
            if (!owned)
                return;
            // Not connected: stop reconnecting now (QUIT would wait for a connection that may never come).
            if (client.status !== 'ready') {
                client.disconnect();
                return;
            }
            try {
                // QUIT lets the commands already sent finish first.
                await client.quit();
            }
            catch {
                client.disconnect();
            }
        },
    };
}
