"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createOperator = createOperator;
const store_rules_1 = require("../store/store-rules");
const history_1 = require("./history");
function createOperator(o) {
    const { store, clock, logger } = o;
    const note = async (dialogKey, data) => {
        logger.info({ dialog: dialogKey, ...data }, 'operator action');
        if (!o.history || !store.appendHistory)
            return;
        const now = clock.now();
        await store.appendHistory(dialogKey, (0, history_1.historyWrite)(o.history, [{ at: now, kind: 'operator', data }]), now);
    };
    return {
        async retryDeadLetter(dialogKey, seq) {
            if (!store.requeueDeadLetter || !store.dialogEffects)
                return false;
            const effects = await store.dialogEffects(dialogKey);
            if (!effects.some((e) => e.seq === seq && e.status === 'dead'))
                return false;
            if (!(await store.requeueDeadLetter(seq, clock.now())))
                return false;
            o.wakeDispatcher();
            await note(dialogKey, { action: 'retry', seq });
            return true;
        },
        async fireTimer(dialogKey, timerKey) {
            const record = await store.loadDialog(dialogKey);
            const timer = record?.timers.find((t) => t.timerKey === timerKey && !t.fired);
            if (!timer)
                return false;
            // Exactly the item the timer becomes at its deadline: same dedupe key, so it fires once.
            const payload = {
                kind: 'timer',
                timerKey,
                event: timer.event,
                ...(timer.meta !== undefined ? { meta: timer.meta } : {}),
                deadline: timer.deadline,
            };
            const [r] = await store.appendInbox([{ dialogKey, dedupeKey: (0, store_rules_1.timerDedupeKey)(dialogKey, timerKey, timer.deadline), payload }], { now: clock.now() });
            if (r?.status !== 'accepted')
                return false;
            await note(dialogKey, { action: 'fire timer', timerKey, deadline: timer.deadline });
            o.schedule(dialogKey);
            return true;
        },
        async resetDialog(dialogKey) {
            const now = clock.now();
            if (!(await store.acquireDialog(dialogKey, o.owner, o.leaseMs, now)))
                return false;
            try {
                const record = await store.loadDialog(dialogKey);
                if (!record)
                    return false;
                const r = await store.commitTurn(dialogKey, {
                    expectedRevision: record.revision,
                    snapshot: null,
                    botVersion: record.botVersion,
                    ...(record.meta !== undefined ? { meta: record.meta } : {}),
                    effects: [],
                    timers: [],
                    now,
                });
                if (r.status !== 'committed')
                    return false;
            }
            finally {
                await store.releaseDialog(dialogKey, o.owner);
            }
            await note(dialogKey, { action: 'reset' });
            return true;
        },
    };
}
