"use strict";
/**
 * Bitrix24's per-portal request limit: a counter that grows by one per HTTP request, drains at a
 * fixed rate, and refuses requests (503 `QUERY_LIMIT_EXCEEDED`) while it is full.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLeakyBucket = createLeakyBucket;
/**
 * Creates a leaky bucket on an injectable clock.
 *
 * @example
 * const bucket = createLeakyBucket({ burst: 50, drainPerSecond: 2, clock: systemClock });
 * if (!bucket.take()) answer503();
 */
function createLeakyBucket(options) {
    let fill = 0;
    let last = options.clock.now();
    const drain = () => {
        const now = options.clock.now();
        if (now > last)
            fill = Math.max(0, fill - ((now - last) / 1000) * options.drainPerSecond);
        last = Math.max(last, now);
    };
    return {
        take() {
            drain();
            // Tolerance keeps float drift from refusing a request that exactly fits.
            if (fill + 1 > options.burst + 1e-9)
                return false;
            fill += 1;
            return true;
        },
        level() {
            drain();
            return fill;
        },
        reset() {
            fill = 0;
            last = options.clock.now();
        },
    };
}
