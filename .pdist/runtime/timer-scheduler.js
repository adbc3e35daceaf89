"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createTimerScheduler = createTimerScheduler;
/**
 * Creates the durable timer scheduler.
 *
 * @example
 * const timers = createTimerScheduler({ store, clock, logger, onDue: (keys) => keys.forEach(mailbox.schedule) });
 * await timers.start();
 */
function createTimerScheduler(options) {
    const { store, clock, logger } = options;
    const batch = options.batch ?? 500;
    const maxWaitMs = options.maxWaitMs ?? 2_000;
    const retryMs = options.retryMs ?? 1_000;
    let running = false;
    let handle;
    let armedAt;
    let chain = Promise.resolve();
    const arm = (deadline) => {
        if (handle !== undefined)
            clock.clearTimeout(handle);
        const wait = Math.min(Math.max(0, deadline - clock.now()), maxWaitMs);
        armedAt = clock.now() + wait;
        handle = clock.setTimeout(() => {
            handle = undefined;
            armedAt = undefined;
            runDue().catch((e) => logger.error({ err: e }, 'firing durable timers failed'));
        }, wait);
    };
    // A failed store call never stops the scheduler: it tries again soon, so that timers that came
    // due during a store outage fire once the store is back, without any new event.
    const fireAndRearm = async () => {
        try {
            await fireThenArm();
        }
        catch (error) {
            if (running)
                arm(clock.now() + retryMs);
            throw error;
        }
    };
    const fireThenArm = async () => {
        const now = clock.now();
        for (let i = 0; i < 10_000; i++) {
            const keys = await store.fireDueTimers(now, batch);
            if (keys.length > 0)
                options.onDue(keys);
            if (keys.length < batch)
                break;
        }
        if (!running)
            return;
        const next = await store.nextTimerDeadline();
        if (!running)
            return;
        if (next === undefined) {
            if (handle !== undefined)
                clock.clearTimeout(handle);
            handle = undefined;
            armedAt = undefined;
            // Timers armed by another process are found by the periodic re-read.
            arm(clock.now() + maxWaitMs);
        }
        else
            arm(next);
    };
    function runDue() {
        const run = chain.then(fireAndRearm);
        chain = run.catch(() => undefined);
        return run;
    }
    return {
        async start() {
            running = true;
            await runDue();
        },
        stop() {
            running = false;
            if (handle !== undefined)
                clock.clearTimeout(handle);
            handle = undefined;
            armedAt = undefined;
        },
        runDue,
        idle: () => chain,
        notify(deadline) {
            if (!running)
                return;
            if (armedAt === undefined || deadline < armedAt)
                arm(deadline);
        },
    };
}
