"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ensureBotRegistered = ensureBotRegistered;
exports.findBotId = findBotId;
exports.unregisterBot = unregisterBot;
/**
 * Idempotent bot registration: running it again with the same options leaves the portal as it
 * was, and changed options (handler URL, event mode, name) are applied with an update instead of
 * registering a second bot. The bot's commands are registered after it (keyboard buttons with
 * `COMMAND` work only for registered commands).
 */
const errors_1 = require("../errors");
const rest_errors_1 = require("./rest-errors");
const COMMAND_NAME = /^[A-Za-z0-9_]{1,64}$/;
function planCommands(specs, problems) {
    return specs.map((spec, i) => {
        // Loose on purpose: callers in plain JS can pass anything, and get a ConfigError line for it.
        const c = (typeof spec === 'string' ? { command: spec } : (spec ?? {}));
        const command = typeof c.command === 'string' ? c.command : '';
        if (!COMMAND_NAME.test(command))
            problems.push(`commands[${i}] ${JSON.stringify(c.command)} must be 1-64 latin letters, digits or "_" (no slash)`);
        const title = typeof c.title === 'string' && c.title.trim() ? c.title : command;
        return { command, title, hidden: c.hidden ?? true };
    });
}
/**
 * Makes sure the bot exists with these settings and returns its id.
 *
 * @example
 * const botId = await ensureBotRegistered(client.api, {
 *   code: 'support', name: 'Support bot', apiVersion: 2, mode: 'webhook', url: 'https://bot.example.com/b24/events',
 *   commands: ['order', 'operator'],
 * });
 */
async function ensureBotRegistered(api, options) {
    const problems = [];
    if (!options.code)
        problems.push('code is required');
    if (!options.name)
        problems.push('name is required');
    if (options.apiVersion !== 1 && options.apiVersion !== 2)
        problems.push('apiVersion must be 1 or 2');
    if (options.mode !== 'webhook' && options.mode !== 'fetch')
        problems.push("mode must be 'webhook' or 'fetch'");
    if (options.mode === 'webhook' && !options.url)
        problems.push('url is required in webhook mode');
    if (options.apiVersion === 1 && options.mode === 'fetch')
        problems.push('fetch mode exists only for apiVersion 2');
    const commands = planCommands(options.commands ?? [], problems);
    if (problems.length)
        throw new errors_1.ConfigError(problems, `Cannot register bot ${options.code}`);
    if (options.apiVersion === 2) {
        const botId = await ensureV2(api, options);
        for (const c of commands)
            await ensureV2Command(api, botId, c);
        return botId;
    }
    const botId = await ensureV1(api, options);
    for (const c of commands)
        await ensureV1Command(api, botId, c, options.url);
    return botId;
}
const isOn = (v) => v === true || v === 'Y';
/**
 * `Command.register` is idempotent per (bot, command, app) and answers with the stored command
 * without changing it, so flags that differ from the wanted ones are put right with an update.
 */
async function ensureV2Command(api, botId, c) {
    const answer = await api.imbot.v2.Command.register({
        botId,
        fields: { command: c.command, title: { en: c.title }, hidden: c.hidden, extranetSupport: true },
    });
    const got = answer?.command;
    // Without the stored command in the answer there is nothing to compare: registering was all.
    if (!got || (isOn(got.hidden) === c.hidden && isOn(got.extranetSupport)))
        return;
    await api.imbot.v2.Command.update({
        botId,
        commandId: Number(got.id),
        fields: { hidden: c.hidden ? 'Y' : 'N', extranetSupport: 'Y' },
    });
}
/**
 * v1 has no command list to look in. Registering again is harmless (im module,
 * `Command::register` and the REST wrapper): for a (bot, command) pair that exists, Bitrix24
 * returns the existing COMMAND_ID and changes nothing but the ONIMCOMMANDADD binding, which it
 * points at `EVENT_COMMAND_ADD` again (the same URL unless the handler moved). Flags of an
 * existing command are left as they were.
 */
async function ensureV1Command(api, botId, c, url) {
    await api.imbot.command.register({
        BOT_ID: botId,
        COMMAND: c.command,
        EVENT_COMMAND_ADD: url,
        HIDDEN: c.hidden ? 'Y' : 'N',
        EXTRANET_SUPPORT: 'Y',
        LANG: [{ LANGUAGE_ID: 'en', TITLE: c.title }],
    });
}
async function ensureV2(api, o) {
    const openline = o.openline ?? true;
    const properties = { ...(o.properties ?? {}), name: o.name };
    const existing = await findV2(api, o.code);
    if (!existing) {
        const created = await api.imbot.v2.Bot.register({
            fields: {
                code: o.code,
                type: openline ? 'openline' : 'bot',
                isSupportOpenline: openline,
                eventMode: o.mode,
                ...(o.mode === 'webhook' ? { webhookUrl: o.url } : {}),
                properties,
            },
        });
        return Number(created.bot.id);
    }
    const bot = existing.bot;
    const fields = {};
    if (bot.eventMode !== o.mode)
        fields.eventMode = o.mode;
    // Answers do not document webhookUrl, so an unknown URL is re-sent (same value: no change).
    if (o.mode === 'webhook' && (bot.eventMode !== o.mode || bot.webhookUrl !== o.url))
        fields.webhookUrl = o.url;
    if (openline && bot.isSupportOpenline === false)
        fields.isSupportOpenline = true;
    const user = existing.users?.find((u) => Number(u.id) === Number(bot.id));
    if (!user || user.name !== o.name || o.properties)
        fields.properties = properties;
    if (Object.keys(fields).length > 0)
        await api.imbot.v2.Bot.update({ botId: Number(bot.id), fields });
    return Number(bot.id);
}
async function findV2(api, code) {
    try {
        return await api.imbot.v2.Bot.get({ code });
    }
    catch (e) {
        if ((0, rest_errors_1.isApiError)(e) && e.error === 'BOT_NOT_FOUND')
            return undefined;
        throw e;
    }
}
async function ensureV1(api, o) {
    const openline = o.openline ?? true;
    const PROPERTIES = { ...(o.properties ?? {}), NAME: o.name };
    const existing = await findV1(api, o.code);
    if (!existing) {
        return Number(await api.imbot.register({
            CODE: o.code,
            TYPE: openline ? 'O' : 'B',
            OPENLINE: openline ? 'Y' : 'N',
            EVENT_HANDLER: o.url,
            PROPERTIES,
        }));
    }
    if (openline && existing.OPENLINE !== 'Y') {
        throw new errors_1.ConfigError([
            `bot ${o.code} (id ${existing.ID}) was registered without Open Lines support; TYPE/OPENLINE cannot be changed, unregister it first`,
        ], `Cannot register bot ${o.code}`);
    }
    // imbot.bot.list does not show handler URLs, so they are always re-sent (same values: no change).
    await api.imbot.update({
        BOT_ID: Number(existing.ID),
        FIELDS: { EVENT_HANDLER: o.url, PROPERTIES },
    });
    return Number(existing.ID);
}
async function findV1(api, code) {
    const list = await api.imbot.bot.list();
    const bots = Array.isArray(list) ? list : Object.values(list ?? {});
    return bots.find((b) => b && b.CODE === code);
}
/**
 * The id of the bot with this code on the portal, or `undefined` when there is none (nothing is
 * registered or changed).
 *
 * @example
 * const id = await findBotId(client.api, { code: 'support', apiVersion: 2 });
 */
async function findBotId(api, options) {
    if (options.apiVersion === 2) {
        const found = await findV2(api, options.code);
        return found ? Number(found.bot.id) : undefined;
    }
    const found = await findV1(api, options.code);
    return found ? Number(found.ID) : undefined;
}
/**
 * Removes the bot with this code; resolves `false` when there was none.
 *
 * @example
 * await unregisterBot(client.api, { code: 'support', apiVersion: 2 });
 */
async function unregisterBot(api, options) {
    if (options.apiVersion === 2) {
        const found = await findV2(api, options.code);
        if (!found)
            return false;
        await api.imbot.v2.Bot.unregister({ botId: Number(found.bot.id) });
        return true;
    }
    const found = await findV1(api, options.code);
    if (!found)
        return false;
    await api.imbot.unregister({ BOT_ID: Number(found.ID) });
    return true;
}
