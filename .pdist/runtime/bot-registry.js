"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createBotRegistry = createBotRegistry;
const errors_1 = require("../errors");
/**
 * Indexes the served bots; throws a `ConfigError` on an empty list or duplicate codes.
 *
 * @example
 * const registry = createBotRegistry({ bots: [supportBot], store });
 * const bot = await registry.resolve(event);
 */
function createBotRegistry(options) {
    const byCode = new Map();
    const problems = [];
    if (!Array.isArray(options.bots) || options.bots.length === 0)
        problems.push('bots must list at least one bot (from defineBot)');
    for (const bot of options.bots ?? []) {
        if (byCode.has(bot.code))
            problems.push(`two bots have the code "${bot.code}"`);
        byCode.set(bot.code, bot);
    }
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems, 'Invalid runtime options');
    // memberId:botId → code; bot ids never change for a registered bot, so this cache never goes stale.
    const idCache = new Map();
    const only = byCode.size === 1 ? [...byCode.values()][0] : undefined;
    return {
        byCode: (code) => byCode.get(code),
        async resolve(event) {
            if (event.bot.code !== undefined)
                return byCode.get(event.bot.code);
            const cacheKey = `${event.portal.memberId}:${event.bot.id}`;
            let code = idCache.get(cacheKey);
            if (code === undefined) {
                const portal = await options.store.getPortal(event.portal.memberId);
                code = Object.entries(portal?.bots ?? {}).find(([, b]) => b.id === event.bot.id)?.[0];
                if (code !== undefined)
                    idCache.set(cacheKey, code);
            }
            if (code !== undefined)
                return byCode.get(code);
            return only;
        },
    };
}
