"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createMemoryHistory = createMemoryHistory;
function createMemoryHistory() {
    const logs = new Map();
    let lastId = 0;
    return {
        /** Appends, then keeps the newest `maxEntries` entries not older than the cutoff. */
        write(dialogKey, w) {
            let rows = logs.get(dialogKey) ?? [];
            for (const e of w.entries)
                rows.push({ id: ++lastId, ...e });
            if (w.cutoff !== undefined) {
                const cutoff = w.cutoff;
                rows = rows.filter((r) => r.at >= cutoff);
            }
            if (rows.length > w.maxEntries)
                rows = rows.slice(rows.length - w.maxEntries);
            if (rows.length === 0)
                logs.delete(dialogKey);
            else
                logs.set(dialogKey, rows);
        },
        read(dialogKey, limit) {
            const rows = logs.get(dialogKey) ?? [];
            const picked = limit === undefined ? rows : rows.slice(Math.max(0, rows.length - limit));
            return picked.map((r) => ({
                id: r.id,
                at: r.at,
                kind: r.kind,
                data: JSON.parse(r.data),
            }));
        },
    };
}
