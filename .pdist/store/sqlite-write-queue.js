"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createWriteQueue = createWriteQueue;
/**
 * Group commit for the SQLite store. Every write the event loop issues in one turn (for instance
 * the `appendInbox` of every webhook request that arrived together) runs in ONE SQLite
 * transaction, each inside its own savepoint. A commit costs a few page writes whatever it holds,
 * so under load this divides the I/O per acknowledged event by the batch size, while each write
 * keeps its own all-or-nothing outcome. No promise resolves before the group's COMMIT returned.
 */
const node_timers_1 = require("node:timers");
/** Bounds how long one group holds the file's write lock. */
const MAX_GROUP = 500;
/**
 * Creates the write queue of one connection. The timer comes from `node:timers`, so fake global
 * timers in a test do not stall the store.
 */
function createWriteQueue(db, 
/** `onGroup`: called per group transaction with its writes and the savepoints it took. */
options = {}) {
    let queue = [];
    let scheduled = false;
    // Called inside the group transaction, better-sqlite3 turns this into a SAVEPOINT.
    const isolated = db.transaction((fn) => fn());
    // A lone write needs no savepoint: its transaction is already all-or-nothing.
    const single = db.transaction((fn) => fn());
    // Optimistic: the writes run straight in the group transaction, without a savepoint each. One
    // that throws rolls the whole group back (none of it is kept), and the group runs again below,
    // with a savepoint per write, so that only the failing write fails. Writes are statements on
    // this connection only, so running them again after the rollback is safe.
    const plain = db.transaction((jobs) => jobs.map((job) => ({ ok: true, value: job.run() })));
    const group = db.transaction((jobs) => jobs.map((job) => {
        try {
            return { ok: true, value: isolated(job.run) };
        }
        catch (error) {
            return { ok: false, error };
        }
    }));
    const runGroup = () => {
        if (queue.length === 0)
            return;
        const jobs = queue.slice(0, MAX_GROUP);
        queue = queue.slice(jobs.length);
        let outcomes;
        try {
            // IMMEDIATE: take the write lock up front, so a read-then-write can never deadlock with another process.
            if (jobs.length === 1) {
                options.onGroup?.(1, 0);
                outcomes = [{ ok: true, value: single.immediate(jobs[0].run) }];
            }
            else {
                try {
                    options.onGroup?.(jobs.length, 0);
                    outcomes = plain.immediate(jobs);
                }
                catch {
                    options.onGroup?.(jobs.length, jobs.length);
                    outcomes = group.immediate(jobs);
                }
            }
        }
        catch (error) {
            for (const job of jobs)
                job.reject(error);
            return;
        }
        outcomes.forEach((o, i) => {
            const job = jobs[i];
            if (o.ok)
                job.resolve(o.value);
            else
                job.reject(o.error);
        });
    };
    const flush = () => {
        while (queue.length > 0)
            runGroup();
    };
    const tick = () => {
        scheduled = false;
        runGroup();
        if (queue.length > 0)
            schedule();
    };
    const schedule = () => {
        if (scheduled)
            return;
        scheduled = true;
        (0, node_timers_1.setImmediate)(tick);
    };
    return {
        write(fn) {
            return new Promise((resolve, reject) => {
                queue.push({ run: fn, resolve: resolve, reject });
                schedule();
            });
        },
        flush,
    };
}
