"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createFakeClock = createFakeClock;
// A timeout that schedules another timeout due at once could spin forever; a test clock must not hang.
const MAX_FIRED_PER_ADVANCE = 100_000;
/**
 * Creates a fake clock.
 *
 * @example
 * const clock = createFakeClock();
 * clock.setTimeout(() => console.log('ten minutes later'), 600_000);
 * clock.advance(600_000); // prints, at once
 */
function createFakeClock(options = {}) {
    const start = options.start ?? Date.UTC(2025, 0, 1);
    if (!Number.isFinite(start))
        throw new RangeError('createFakeClock: start must be a finite number');
    let now = start;
    let order = 0;
    const timeouts = new Map();
    const nextDue = (target) => {
        let next;
        for (const entry of timeouts) {
            const t = entry[1];
            if (t.at > target)
                continue;
            if (!next || t.at < next[1].at || (t.at === next[1].at && t.order < next[1].order))
                next = entry;
        }
        return next;
    };
    const advanceTo = (target) => {
        if (!Number.isFinite(target))
            throw new RangeError('FakeClock: the target time must be a finite number');
        for (let fired = 0; fired < MAX_FIRED_PER_ADVANCE; fired++) {
            const next = nextDue(target);
            if (!next)
                break;
            timeouts.delete(next[0]);
            now = Math.max(now, next[1].at);
            next[1].fn();
        }
        now = Math.max(now, target);
    };
    return {
        now: () => now,
        setTimeout(fn, ms) {
            const handle = {};
            timeouts.set(handle, {
                at: now + Math.max(0, Number.isFinite(ms) ? ms : 0),
                order: order++,
                fn,
            });
            return handle;
        },
        clearTimeout(handle) {
            timeouts.delete(handle);
        },
        advance(ms) {
            if (!(ms >= 0))
                throw new RangeError('FakeClock.advance needs a non-negative number of milliseconds');
            advanceTo(now + ms);
        },
        advanceTo,
        pending: () => timeouts.size,
    };
}
