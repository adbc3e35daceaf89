"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TurnClock = void 0;
exports.rearmTimers = rearmTimers;
exports.fireTimer = fireTimer;
exports.collectTimers = collectTimers;
const json_copy_1 = require("./json-copy");
/** The xstate clock of one turn: records timeouts, fires one only when asked. */
class TurnClock {
    next = 1;
    pending = new Map();
    /** The handle returned by the last `setTimeout` (the scheduler calls it synchronously). */
    last;
    setTimeout(fn) {
        const handle = this.next++;
        this.pending.set(handle, fn);
        this.last = handle;
        return handle;
    }
    clearTimeout(handle) {
        this.pending.delete(handle);
    }
    /** Runs a recorded timeout now; false when it was cleared meanwhile. */
    fire(handle) {
        const fn = this.pending.get(handle);
        if (!fn)
            return false;
        this.pending.delete(handle);
        fn();
        return true;
    }
}
exports.TurnClock = TurnClock;
function scheduled(actor) {
    // The system keeps its live table in `_snapshot`; `getSnapshot()` copies the whole table on
    // every call (read-only use here; the copy is the fallback should xstate move it).
    const live = actor.system._snapshot
        ?._scheduledEvents;
    return (live ?? actor.system.getSnapshot()._scheduledEvents);
}
/**
 * Puts the dialog's stored timers back into the started actor's scheduler. Timers whose target
 * child no longer exists are skipped (they could never be delivered).
 *
 * @example
 * const rearmed = rearmTimers({ actor, clock: turnClock, timers: record.timers, now });
 */
function rearmTimers(options) {
    const { actor, clock } = options;
    const rearmed = { entries: new Map(), handles: new Map() };
    for (const timer of options.timers) {
        const targetId = timer.meta?.target;
        const target = targetId === undefined
            ? actor
            : actor.getSnapshot()
                .children?.[targetId];
        if (!target)
            continue;
        clock.last = undefined;
        actor.system.scheduler.schedule(actor, target, timer.event, Math.max(0, timer.deadline - options.now), timer.timerKey);
        const entry = scheduled(actor)[`${actor.sessionId}.${timer.timerKey}`];
        if (entry && clock.last !== undefined) {
            rearmed.entries.set(entry, timer);
            rearmed.handles.set(timer.timerKey, clock.last);
        }
    }
    return rearmed;
}
/**
 * Delivers a re-armed timer's event the way xstate's scheduler does; false when the timer was not re-armed.
 *
 * @example
 * if (!fireTimer({ clock: turnClock, rearmed, timerKey })) logger.debug('stale timer');
 */
function fireTimer(options) {
    const handle = options.rearmed.handles.get(options.timerKey);
    return handle !== undefined && options.clock.fire(handle);
}
/**
 * The dialog's timer set after the turn: kept timers keep their stored deadline (and `fired` flag),
 * new ones get `now + delay`.
 *
 * @example
 * const timers = collectTimers({ actor, rearmed, now });
 */
function collectTimers(options) {
    const { actor } = options;
    const timers = [];
    let dropped = 0;
    const children = actor.getSnapshot().children ?? {};
    for (const entry of Object.values(scheduled(actor))) {
        if (entry.source !== actor) {
            dropped += 1;
            continue;
        }
        const kept = options.rearmed.entries.get(entry);
        if (kept) {
            timers.push(kept);
            continue;
        }
        let meta;
        if (entry.target !== actor) {
            if (children[entry.target.id] !== entry.target) {
                dropped += 1;
                continue;
            }
            meta = { target: entry.target.id };
        }
        const record = {
            timerKey: entry.id,
            deadline: options.now + entry.delay,
            event: (0, json_copy_1.jsonCopy)(entry.event),
        };
        if (meta)
            record.meta = meta;
        timers.push(record);
    }
    return { timers, dropped };
}
