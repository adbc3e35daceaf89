"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createMemoryTimers = createMemoryTimers;
/** The memory store's durable timers (see memory-store.ts). */
const json_column_1 = require("./json-column");
const byDeadline = (a, b) => a.deadline - b.deadline || (a.timerKey < b.timerKey ? -1 : a.timerKey > b.timerKey ? 1 : 0);
function createMemoryTimers() {
    const sets = new Map();
    // Unfired timers, kept up to date so that `pendingCount` costs O(1).
    let pending = 0;
    const unfired = (set) => {
        let n = 0;
        for (const t of set ?? [])
            if (!t.fired)
                n += 1;
        return n;
    };
    const all = function* () {
        for (const [dialogKey, set] of sets)
            for (const t of set.values())
                yield [dialogKey, t];
    };
    return {
        /** Encodes a timer set (throws a StoreError for non-JSON values, before anything changes). */
        encode(timers) {
            return timers.map((t) => ({
                timerKey: t.timerKey,
                deadline: t.deadline,
                event: (0, json_column_1.encodeJson)(t.event, 'Timer event'),
                meta: (0, json_column_1.encodeOptionalJson)(t.meta, 'Timer meta'),
                fired: t.fired === true,
            }));
        },
        replace(dialogKey, rows) {
            pending += unfired(rows) - unfired(sets.get(dialogKey)?.values());
            if (rows.length === 0)
                sets.delete(dialogKey);
            else
                sets.set(dialogKey, new Map(rows.map((t) => [t.timerKey, t])));
        },
        list(dialogKey) {
            return [...(sets.get(dialogKey)?.values() ?? [])].sort(byDeadline).map((t) => ({
                timerKey: t.timerKey,
                deadline: t.deadline,
                event: (0, json_column_1.decodeJson)(t.event),
                ...(t.meta === undefined ? {} : { meta: (0, json_column_1.decodeJson)(t.meta) }),
                fired: t.fired,
            }));
        },
        /** Marks up to `limit` due timers fired, earliest first, and returns them. */
        fireDue(now, limit) {
            const due = [...all()].filter(([, t]) => !t.fired && t.deadline <= now);
            due.sort((a, b) => byDeadline(a[1], b[1]));
            return due.slice(0, Math.max(0, limit)).map(([dialogKey, t]) => {
                t.fired = true;
                pending -= 1;
                return { ...t, dialogKey };
            });
        },
        nextDeadline() {
            let min;
            for (const [, t] of all())
                if (!t.fired && (min === undefined || t.deadline < min))
                    min = t.deadline;
            return min;
        },
        pendingCount() {
            return pending;
        },
    };
}
