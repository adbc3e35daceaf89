"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.memoryStore = memoryStore;
/**
 * The in-memory store: the whole contract, no durability. For tests and for trying a bot out.
 * Values are kept as JSON text, so callers can never mutate stored state and every read returns
 * exactly what a durable adapter would return.
 */
const json_column_1 = require("./json-column");
const memory_history_1 = require("./memory-history");
const memory_inbox_1 = require("./memory-inbox");
const memory_outbox_1 = require("./memory-outbox");
const memory_timers_1 = require("./memory-timers");
const rate_gcra_1 = require("./rate-gcra");
const store_error_1 = require("./store-error");
const store_rules_1 = require("./store-rules");
/**
 * Creates an in-memory {@link Store}. Everything is lost when the process exits.
 *
 * @example
 * const store = memoryStore();
 * await store.appendInbox([{ dialogKey: 'm:1:2', dedupeKey: 'msg:7', payload: { kind: 'event' } }], { now: Date.now() });
 */
function memoryStore() {
    const inbox = (0, memory_inbox_1.createMemoryInbox)();
    const outbox = (0, memory_outbox_1.createMemoryOutbox)();
    const dialogs = new Map();
    // Dialogs with a live conversation, kept up to date so that `stats` costs O(1).
    let live = 0;
    const timers = (0, memory_timers_1.createMemoryTimers)();
    const history = (0, memory_history_1.createMemoryHistory)();
    const portals = new Map();
    const offsets = new Map();
    const local = (0, rate_gcra_1.createLocalCoordination)();
    let closed = false;
    const ensureOpen = () => {
        if (closed)
            throw new store_error_1.StoreError('The memory store is closed');
    };
    const recordOf = (dialogKey) => {
        const row = dialogs.get(dialogKey);
        if (!row || row.revision === 0)
            return undefined;
        return {
            dialogKey,
            revision: row.revision,
            snapshot: (0, json_column_1.decodeJson)(row.snapshot) ?? null,
            botVersion: row.botVersion,
            ...(row.meta === undefined ? {} : { meta: (0, json_column_1.decodeJson)(row.meta) }),
            timers: timers.list(dialogKey),
            updatedAt: row.updatedAt,
        };
    };
    return {
        kind: 'memory',
        async appendInbox(items, options) {
            ensureOpen();
            const { now } = options;
            const ttl = options.dedupeTtlMs ?? store_rules_1.DEFAULT_DEDUPE_TTL_MS;
            // Encode everything first: a bad payload must leave nothing behind.
            const payloads = items.map((item) => (0, json_column_1.encodeJson)(item.payload, 'Inbox payload'));
            const results = items.map((item, i) => {
                if (item.dedupeKey !== undefined) {
                    if (inbox.isDuplicate(item.dedupeKey, now))
                        return { status: 'duplicate' };
                    inbox.remember(item.dedupeKey, now + ttl);
                }
                return {
                    status: 'accepted',
                    seq: inbox.push(item.dialogKey, item.dedupeKey, payloads[i], now),
                };
            });
            if (options.offset) {
                const { key, value } = options.offset;
                offsets.set(key, Math.max(offsets.get(key) ?? value, value));
            }
            return results;
        },
        async nextInbox(dialogKey) {
            ensureOpen();
            return inbox.next(dialogKey);
        },
        async peekInbox(dialogKey, limit) {
            ensureOpen();
            return inbox.peek(dialogKey, limit);
        },
        async pendingDialogs(limit) {
            ensureOpen();
            return inbox.pendingDialogs(limit);
        },
        async loadDialog(dialogKey) {
            ensureOpen();
            return recordOf(dialogKey);
        },
        async commitTurn(dialogKey, commit) {
            ensureOpen();
            const snapshot = commit.snapshot === null ? undefined : (0, json_column_1.encodeOptionalJson)(commit.snapshot, 'Snapshot');
            const meta = (0, json_column_1.encodeOptionalJson)(commit.meta, 'Dialog meta');
            const effects = commit.effects.map((e) => ({
                portalId: e.portalId,
                effect: (0, json_column_1.encodeJson)(e.effect, 'Effect'),
                meta: (0, json_column_1.encodeOptionalJson)(e.meta, 'Effect meta'),
            }));
            const timerRows = timers.encode(commit.timers);
            const historyWrite = commit.history && (0, store_rules_1.encodeHistoryWrite)(commit.history, commit.now);
            const existing = dialogs.get(dialogKey);
            if ((existing?.revision ?? 0) !== commit.expectedRevision)
                return { status: 'conflict' };
            const revision = commit.expectedRevision + 1;
            const { leaseOwner, leaseUntil } = existing ?? {};
            const wasLive = existing !== undefined && existing.revision > 0 && existing.snapshot !== undefined;
            live += (snapshot !== undefined ? 1 : 0) - (wasLive ? 1 : 0);
            dialogs.set(dialogKey, {
                revision,
                snapshot,
                botVersion: commit.botVersion,
                meta,
                updatedAt: commit.now,
                leaseOwner,
                leaseUntil,
            });
            outbox.add(dialogKey, effects, commit.now);
            timers.replace(dialogKey, timerRows);
            if (commit.consumedSeq !== undefined)
                inbox.remove(commit.consumedSeq, dialogKey);
            if (historyWrite)
                history.write(dialogKey, historyWrite);
            return { status: 'committed', revision };
        },
        async discardInbox(seq) {
            ensureOpen();
            inbox.remove(seq);
        },
        async acquireDialog(dialogKey, owner, leaseMs, now) {
            ensureOpen();
            const row = dialogs.get(dialogKey);
            if (!row) {
                dialogs.set(dialogKey, {
                    revision: 0,
                    botVersion: '',
                    updatedAt: now,
                    leaseOwner: owner,
                    leaseUntil: now + leaseMs,
                });
                return true;
            }
            if (row.leaseOwner !== undefined && row.leaseOwner !== owner && (row.leaseUntil ?? 0) > now)
                return false;
            row.leaseOwner = owner;
            row.leaseUntil = now + leaseMs;
            return true;
        },
        async releaseDialog(dialogKey, owner) {
            ensureOpen();
            const row = dialogs.get(dialogKey);
            if (!row || row.leaseOwner !== owner)
                return;
            if (row.revision === 0)
                dialogs.delete(dialogKey);
            else {
                delete row.leaseOwner;
                delete row.leaseUntil;
            }
        },
        async orphanedDialogs({ now, owner, after, limit }) {
            ensureOpen();
            const page = inbox.pendingHeads(after, limit);
            const dialogsOut = page
                .filter(({ dialogKey }) => {
                const row = dialogs.get(dialogKey);
                return (row?.leaseOwner === undefined ||
                    row.leaseOwner === owner ||
                    (row.leaseUntil ?? 0) <= now);
            })
                .map((h) => h.dialogKey);
            const last = page[page.length - 1];
            return { dialogs: dialogsOut, next: page.length >= limit && last ? last.head : 0 };
        },
        async fireDueTimers(now, limit) {
            ensureOpen();
            const woken = new Set();
            for (const timer of timers.fireDue(now, limit)) {
                const key = (0, store_rules_1.timerDedupeKey)(timer.dialogKey, timer.timerKey, timer.deadline);
                if (inbox.isDuplicate(key, now))
                    continue;
                inbox.remember(key, now + store_rules_1.DEFAULT_DEDUPE_TTL_MS);
                inbox.push(timer.dialogKey, key, (0, store_rules_1.timerPayloadJson)(timer), now);
                woken.add(timer.dialogKey);
            }
            return [...woken];
        },
        async nextTimerDeadline() {
            ensureOpen();
            return timers.nextDeadline();
        },
        async claimEffects(options) {
            ensureOpen();
            return outbox.claim(options);
        },
        async settleEffect(seq, outcome, now, owner) {
            ensureOpen();
            outbox.settle(seq, outcome, now, owner);
        },
        async extendEffectClaims(seqs, owner, leaseUntil) {
            ensureOpen();
            return outbox.extend(seqs, owner, leaseUntil);
        },
        async releaseEffects(seqs, owner) {
            ensureOpen();
            outbox.release(seqs, owner);
        },
        async nextEffectAvailableAt() {
            ensureOpen();
            return outbox.nextAvailableAt();
        },
        async deadLetters(limit) {
            ensureOpen();
            return outbox.deadLetters(limit);
        },
        async getPortal(memberId) {
            ensureOpen();
            return (0, json_column_1.decodeJson)(portals.get(memberId));
        },
        async savePortal(record) {
            ensureOpen();
            portals.set(record.memberId, (0, json_column_1.encodeJson)(record, 'Portal record'));
        },
        async deletePortal(memberId) {
            ensureOpen();
            portals.delete(memberId);
        },
        async listPortals() {
            ensureOpen();
            return [...portals.keys()].sort().map((k) => (0, json_column_1.decodeJson)(portals.get(k)));
        },
        async reserveRate(key, options) {
            ensureOpen();
            return local.reserveRate(key, options);
        },
        async saturateRate(key, options) {
            ensureOpen();
            local.saturateRate(key, options);
        },
        async acquireLock(name, owner, leaseMs, now) {
            ensureOpen();
            return local.acquireLock(name, owner, leaseMs, now);
        },
        async releaseLock(name, owner) {
            ensureOpen();
            local.releaseLock(name, owner);
        },
        async getOffset(key) {
            ensureOpen();
            return offsets.get(key);
        },
        async purgeExpired(now) {
            ensureOpen();
            return inbox.purge(now);
        },
        async stats() {
            ensureOpen();
            const { depth, dead } = outbox.counts();
            const timersPending = timers.pendingCount();
            const oldest = inbox.oldestReceivedAt();
            return {
                dialogs: live,
                inboxDepth: inbox.size,
                outboxDepth: depth,
                deadLetters: dead,
                timersPending,
                ...(oldest !== undefined ? { oldestInboxAt: oldest } : {}),
            };
        },
        async ping() {
            ensureOpen();
        },
        async close() {
            closed = true;
        },
        async appendHistory(dialogKey, write, now) {
            ensureOpen();
            history.write(dialogKey, (0, store_rules_1.encodeHistoryWrite)(write, now));
        },
        async readHistory(dialogKey, options = {}) {
            ensureOpen();
            return history.read(dialogKey, options.limit);
        },
        async listDialogs({ limit }) {
            ensureOpen();
            const keys = [...dialogs.entries()]
                .filter(([, row]) => row.revision > 0)
                .sort((a, b) => b[1].updatedAt - a[1].updatedAt || (a[0] < b[0] ? -1 : 1))
                .slice(0, Math.max(0, limit))
                .map(([key]) => key);
            return keys.map((key) => {
                const { depth, dead } = outbox.countsOf(key);
                return { ...recordOf(key), outboxDepth: depth, deadLetters: dead };
            });
        },
        async dialogEffects(dialogKey) {
            ensureOpen();
            return outbox.ofDialog(dialogKey);
        },
        async requeueDeadLetter(seq, now) {
            ensureOpen();
            return outbox.requeue(seq, now);
        },
    };
}
