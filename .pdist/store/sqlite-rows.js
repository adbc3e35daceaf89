"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodeCommit = encodeCommit;
exports.readDialog = readDialog;
exports.toOutboxEffect = toOutboxEffect;
/** Conversions between the SQLite store's rows and the `Store` contract's records. */
const json_column_1 = require("./json-column");
/** Encodes a commit before any write starts: a value that is not JSON must leave nothing behind. */
function encodeCommit(c) {
    return {
        snapshot: c.snapshot === null ? null : ((0, json_column_1.encodeOptionalJson)(c.snapshot, 'Snapshot') ?? null),
        meta: (0, json_column_1.encodeOptionalJson)(c.meta, 'Dialog meta') ?? null,
        effects: c.effects.map((e) => ({
            portalId: e.portalId,
            effect: (0, json_column_1.encodeJson)(e.effect, 'Effect'),
            meta: (0, json_column_1.encodeOptionalJson)(e.meta, 'Effect meta') ?? null,
        })),
        timers: c.timers.map((t) => ({
            timerKey: t.timerKey,
            deadline: t.deadline,
            event: (0, json_column_1.encodeJson)(t.event, 'Timer event'),
            meta: (0, json_column_1.encodeOptionalJson)(t.meta, 'Timer meta') ?? null,
            fired: t.fired === true ? 1 : 0,
        })),
    };
}
/** Reads a dialog with its timers (one statement, so both come from one snapshot). */
function readDialog(sql, dialogKey) {
    const rows = sql.loadDialog.all(dialogKey);
    const row = rows[0];
    if (!row)
        return undefined;
    const timers = [];
    for (const t of rows) {
        if (t.timer_key === null)
            continue;
        const timer = {
            timerKey: t.timer_key,
            deadline: t.deadline,
            event: (0, json_column_1.decodeJson)(t.event),
            fired: t.fired === 1,
        };
        if (t.timer_meta !== null)
            timer.meta = (0, json_column_1.decodeJson)(t.timer_meta);
        timers.push(timer);
    }
    const record = {
        dialogKey,
        revision: row.revision,
        snapshot: (0, json_column_1.decodeJson)(row.snapshot) ?? null,
        botVersion: row.bot_version,
        timers,
        updatedAt: row.updated_at,
    };
    if (row.meta !== null)
        record.meta = (0, json_column_1.decodeJson)(row.meta);
    return record;
}
function toOutboxEffect(row) {
    const effect = {
        seq: row.seq,
        dialogKey: row.dialog_key,
        portalId: row.portal_id,
        effect: (0, json_column_1.decodeJson)(row.effect),
        attempts: row.attempts,
        availableAt: row.available_at,
        createdAt: row.created_at,
    };
    if (row.meta !== null)
        effect.meta = (0, json_column_1.decodeJson)(row.meta);
    return effect;
}
