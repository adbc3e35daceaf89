"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.forgetBot = forgetBot;
/**
 * Removes every bot code mapped to `botId` from the portal record; true when something changed.
 *
 * @example
 * await forgetBot({ store, memberId: event.portal.memberId, botId: event.bot.id, now: clock.now() });
 */
async function forgetBot(options) {
    const record = await options.store.getPortal(options.memberId);
    if (!record)
        return false;
    const bots = Object.fromEntries(Object.entries(record.bots).filter(([, b]) => b.id !== options.botId));
    if (Object.keys(bots).length === Object.keys(record.bots).length)
        return false;
    await options.store.savePortal({ ...record, bots, updatedAt: options.now });
    return true;
}
