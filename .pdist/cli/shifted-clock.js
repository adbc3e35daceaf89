"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createShiftedClock = createShiftedClock;
/**
 * Creates a clock that follows real time plus the jumps made with `advance`.
 *
 * @example
 * const clock = createShiftedClock();
 * clock.advance(10 * 60_000); // ten minutes later, at once
 */
function createShiftedClock(options = {}) {
    const realNow = options.now ?? Date.now;
    let offset = 0;
    const pending = new Set();
    const now = () => realNow() + offset;
    return {
        now,
        setTimeout(fn, ms) {
            const entry = {
                at: now() + Math.max(0, ms),
                fn,
                real: setTimeout(() => {
                    pending.delete(entry);
                    fn();
                }, Math.max(0, ms)),
            };
            entry.real.unref?.();
            pending.add(entry);
            return entry;
        },
        clearTimeout(handle) {
            const entry = handle;
            if (pending.delete(entry))
                clearTimeout(entry.real);
        },
        advance(ms) {
            if (!(ms >= 0))
                throw new RangeError('advance() needs a non-negative number of milliseconds');
            offset += ms;
            const due = [...pending].filter((p) => p.at <= now()).sort((a, b) => a.at - b.at);
            for (const p of due) {
                pending.delete(p);
                clearTimeout(p.real);
                p.fn();
            }
        },
    };
}
