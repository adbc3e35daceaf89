/**
 * Versioned snapshots: a stored snapshot produced by another version of the bot is migrated with
 * the bot's `migrate`, or the dialog restarts from the initial state. Never throws.
 */
import type { BotDefinition } from '../dsl/define-bot';

/** Outcome discriminated by `status`: use the snapshot, or restart the dialog for `reason`. */
export type MigrateResult =
  | { status: 'current'; snapshot: unknown }
  | { status: 'migrated'; snapshot: unknown }
  | { status: 'restart'; reason: string };

/**
 * Decides which snapshot a turn restores for a stored dialog.
 *
 * @example
 * const r = await migrateSnapshot({ bot, snapshot: record.snapshot, fromVersion: record.botVersion });
 * if (r.status === 'restart') logger.warn({ reason: r.reason }, 'dialog restarted');
 */
export async function migrateSnapshot(options: {
  bot: BotDefinition;
  snapshot: unknown;
  fromVersion: string;
}): Promise<MigrateResult> {
  const { bot, snapshot, fromVersion } = options;
  if (fromVersion === bot.version) return { status: 'current', snapshot };
  if (!bot.migrate)
    return {
      status: 'restart',
      reason: `snapshot of version ${fromVersion}, bot is ${bot.version}, and the bot has no migrate()`,
    };
  try {
    const migrated: unknown = await bot.migrate({
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
  } catch (e) {
    return {
      status: 'restart',
      reason: `migrate() from ${fromVersion} to ${bot.version} threw: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
