"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createDialogDrainer = createDialogDrainer;
const process_next_1 = require("./process-next");
const ITEMS_PER_RUN = 16;
const MAX_CONFLICTS = 5;
/**
 * Creates the function the mailbox runs per dialog; it resolves `true` when items are left.
 *
 * @example
 * const drain = createDialogDrainer({ env, owner, leaseMs: 30_000, isStopping: () => false, retryLater });
 * const more = await drain('member:571:1777');
 */
function createDialogDrainer(options) {
    const { env, owner, leaseMs, retryLater } = options;
    const { store, clock, logger } = env;
    return async (dialogKey) => {
        let leasedAt = clock.now();
        if (!(await store.acquireDialog(dialogKey, owner, leaseMs, leasedAt))) {
            retryLater(dialogKey, Math.min(leaseMs, 1_000));
            return false;
        }
        // The heartbeat: renews the lease while this run holds it, whatever the run is waiting for.
        let beating = true;
        let beat;
        const renewEvery = Math.max(1, Math.floor(leaseMs / 3));
        const heartbeat = () => {
            beat = clock.setTimeout(() => {
                if (!beating)
                    return;
                const at = clock.now();
                store.acquireDialog(dialogKey, owner, leaseMs, at).then((held) => {
                    if (held)
                        leasedAt = at;
                    else
                        logger.warn({ dialog: dialogKey }, 'dialog lease lost to another process');
                    if (beating)
                        heartbeat();
                }, (err) => {
                    logger.warn({ err, dialog: dialogKey }, 'renewing the dialog lease failed');
                    if (beating)
                        heartbeat();
                });
            }, renewEvery);
        };
        heartbeat();
        try {
            let conflicts = 0;
            for (let i = 0; i < ITEMS_PER_RUN; i++) {
                if (options.isStopping())
                    return false;
                if (clock.now() - leasedAt > leaseMs / 3) {
                    leasedAt = clock.now();
                    if (!(await store.acquireDialog(dialogKey, owner, leaseMs, leasedAt))) {
                        retryLater(dialogKey, Math.min(leaseMs, 1_000));
                        return false;
                    }
                }
                const result = await (0, process_next_1.processNext)({ env, dialogKey });
                if (result === 'empty')
                    return false;
                if (typeof result === 'object') {
                    // The oldest item waits for its session's join; a join arriving schedules the dialog anyway.
                    retryLater(dialogKey, Math.max(1, result.waitUntil - clock.now()));
                    return false;
                }
                if (result === 'conflict') {
                    i -= 1;
                    if (++conflicts > MAX_CONFLICTS) {
                        logger.warn({ dialog: dialogKey }, 'dialog keeps changing under this process; retrying later');
                        retryLater(dialogKey, 1_000);
                        return false;
                    }
                }
                else
                    conflicts = 0;
            }
            return true;
        }
        finally {
            beating = false;
            if (beat !== undefined)
                clock.clearTimeout(beat);
            await store.releaseDialog(dialogKey, owner);
        }
    };
}
