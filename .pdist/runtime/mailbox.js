"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createMailbox = createMailbox;
/**
 * Creates a mailbox scheduler.
 *
 * @example
 * const mailbox = createMailbox({ run: (key) => drainDialog(key), onError: (key, e) => logger.error({ err: e, dialog: key }) });
 * mailbox.start();
 * mailbox.schedule('member:571:1777');
 */
function createMailbox(options) {
    const concurrency = Math.max(1, options.concurrency ?? 32);
    const queue = [];
    const queued = new Set();
    const running = new Set();
    const again = new Set();
    let started = false;
    let stopped = false;
    let idleWaiters = [];
    const isIdle = () => running.size === 0 && (queue.length === 0 || stopped || !started);
    const notifyIdle = () => {
        if (!isIdle())
            return;
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters)
            w();
    };
    const schedule = (dialogKey) => {
        if (running.has(dialogKey)) {
            again.add(dialogKey);
            return;
        }
        if (queued.has(dialogKey))
            return;
        queued.add(dialogKey);
        queue.push(dialogKey);
        pump();
    };
    const runOne = async (dialogKey) => {
        let more = false;
        try {
            more = await options.run(dialogKey);
        }
        catch (e) {
            options.onError(dialogKey, e);
        }
        finally {
            running.delete(dialogKey);
            const rerun = again.delete(dialogKey) || more;
            if (rerun && !stopped)
                schedule(dialogKey);
            pump();
            notifyIdle();
        }
    };
    function pump() {
        if (!started || stopped)
            return;
        while (running.size < concurrency && queue.length > 0) {
            const key = queue.shift();
            queued.delete(key);
            running.add(key);
            void runOne(key);
        }
    }
    return {
        schedule,
        start() {
            started = true;
            pump();
        },
        async stop() {
            stopped = true;
            if (running.size > 0)
                await new Promise((resolve) => idleWaiters.push(resolve));
        },
        isIdle,
        idle: () => isIdle() ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)),
        size: () => running.size + queue.length,
        has: (dialogKey) => running.has(dialogKey) || queued.has(dialogKey),
    };
}
