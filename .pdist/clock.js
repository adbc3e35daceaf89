"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.systemClock = void 0;
/** The real clock. Its timers do not keep the process alive. */
exports.systemClock = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
        const t = setTimeout(fn, ms);
        t.unref?.();
        return t;
    },
    clearTimeout: (h) => clearTimeout(h),
};
