"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.advanceTime = advanceTime;
exports.durationMs = durationMs;
/** Steps at most this many deadlines per call: a bot re-arming a zero delay forever must not hang a test. */
const MAX_STEPS = 10_000;
/**
 * Advances `clock` by `ms`, stopping at every timer deadline and effect retry time on the way, so
 * that a timer armed by a fired timer fires at its own deadline too. Resolves when the runtime is
 * idle at the end.
 *
 * @example
 * await advanceTime({ runtime, store, clock, ms: 10 * 60_000 });
 */
async function advanceTime(options) {
    const { runtime, store, clock } = options;
    const target = clock.now() + options.ms;
    for (let i = 0; i < MAX_STEPS; i++) {
        await runtime.runDueTimers();
        await runtime.idle();
        const due = [await store.nextTimerDeadline(), await store.nextEffectAvailableAt()].filter((t) => t !== undefined && t > clock.now() && t <= target);
        if (due.length === 0)
            break;
        clock.advanceTo(Math.min(...due));
    }
    clock.advanceTo(target);
    await runtime.runDueTimers();
    await runtime.idle();
}
/**
 * A `{ minutes: 10 }`-style duration in milliseconds.
 *
 * @example
 * durationMs({ minutes: 1, seconds: 30 }); // 90_000
 */
function durationMs(d) {
    const ms = (d.ms ?? 0) + (d.seconds ?? 0) * 1000 + (d.minutes ?? 0) * 60_000 + (d.hours ?? 0) * 3_600_000;
    if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`chat.wait: ${JSON.stringify(d)} is not a duration`);
    return ms;
}
