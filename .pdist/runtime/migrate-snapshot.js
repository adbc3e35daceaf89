"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.migrateSnapshot = migrateSnapshot;
/**
 * Decides which snapshot a turn restores for a stored dialog.
 *
 * @example
 * const r = await migrateSnapshot({ bot, snapshot: record.snapshot, fromVersion: record.botVersion });
 * if (r.status === 'restart') logger.warn({ reason: r.reason }, 'dialog restarted');
 */
async function migrateSnapshot(options) {
    const { bot, snapshot, fromVersion } = options;
    if (fromVersion === bot.version)
        return { status: 'current', snapshot };
    if (!bot.migrate)
        return {
            status: 'restart',
            reason: `snapshot of version ${fromVersion}, bot is ${bot.version}, and the bot has no migrate()`,
        };
    try {
        const migrated = await bot.migrate({
            snapshot: structuredClone(snapshot),
            fromVersion,
            toVersion: bot.version,
        });
        if (migrated === undefined || migrated === null)
            return {
                status: 'restart',
                reason: `migrate() from ${fromVersion} to ${bot.version} returned nothing`,
            };
        if (typeof migrated !== 'object')
            return {
                status: 'restart',
                reason: `migrate() from ${fromVersion} to ${bot.version} returned a ${typeof migrated}`,
            };
        return { status: 'migrated', snapshot: migrated };
    }
    catch (e) {
        return {
            status: 'restart',
            reason: `migrate() from ${fromVersion} to ${bot.version} threw: ${e instanceof Error ? e.message : String(e)}`,
        };
    }
}
