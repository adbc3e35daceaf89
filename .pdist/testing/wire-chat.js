"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createWireChat = createWireChat;
const inbound_event_1 = require("../events/inbound-event");
const parse_event_body_1 = require("../events/parse-event-body");
const event_builders_1 = require("./event-builders");
function person(client) {
    if (client === null)
        return { firstName: '', lastName: '', name: '' };
    if (client === undefined)
        return {};
    const firstName = client.firstName ?? (client.name !== undefined ? '' : undefined);
    const lastName = client.lastName ??
        (client.name !== undefined || client.firstName !== undefined ? '' : undefined);
    const name = client.name ??
        (client.firstName !== undefined
            ? [client.firstName, client.lastName].filter(Boolean).join(' ')
            : undefined);
    return {
        ...(client.id !== undefined ? { id: client.id } : {}),
        ...(firstName !== undefined ? { firstName } : {}),
        ...(lastName !== undefined ? { lastName } : {}),
        ...(name !== undefined ? { name } : {}),
    };
}
/**
 * Creates the wire side of a chat with the bot `botId` on `portal`.
 *
 * @example
 * const wire = createWireChat({ bot, botId: 7, portal, chatId: 1777, lineId: 1 });
 * await runtime.accept([wire.message('hi')]);
 */
function createWireChat(options) {
    const { bot, portal } = options;
    const builders = (0, event_builders_1.createEventBuilders)({
        memberId: portal.memberId,
        domain: portal.domain,
        applicationToken: portal.applicationToken,
        botId: options.botId,
        botCode: bot.code,
        chatId: options.chatId,
        lineId: options.lineId,
        ...(options.connector !== undefined ? { connector: options.connector } : {}),
        ...(options.language !== undefined ? { language: options.language } : {}),
        ...(options.crm !== undefined ? { crm: Object.freeze({ ...options.crm }) } : {}),
    });
    let client = person(options.client);
    let session = event_builders_1.DEFAULT_WIRE.sessionId;
    const parse = (wire) => {
        const event = (0, parse_event_body_1.parseEventBody)({
            ...wire,
            portal: { memberId: portal.memberId, domain: portal.domain },
        });
        if (!(0, inbound_event_1.isDialogEvent)(event))
            throw new Error(`testBot: the built ${event.kind} event is not a dialog event`);
        return event;
    };
    const chat = () => ({ sessionId: session, client });
    const v1 = bot.apiVersion === 1;
    return {
        join(given) {
            if (given !== undefined)
                client = person(given);
            session += 1;
            const event = parse(v1 ? builders.v1.join(chat()) : builders.v2.join(chat()));
            const c = event.client;
            const label = c?.name ??
                ([c?.firstName, c?.lastName].filter(Boolean).join(' ') || 'a client without a name');
            return { event, label };
        },
        message: (text) => parse(v1 ? builders.v1.message({ ...chat(), text }) : builders.v2.message({ ...chat(), text })),
        operatorMessage: (text, operator) => {
            const o = { ...chat(), text, ...(operator ? { operator: person(operator) } : {}) };
            return parse(v1 ? builders.v1.operatorMessage(o) : builders.v2.operatorMessage(o));
        },
        command: (command, params, context) => {
            // A real portal sends the id the command was registered with.
            const registered = portal.bots
                .find((b) => b.id === options.botId)
                ?.commands.find((c) => c.command === command.replace(/^\//, ''));
            const id = registered ? { commandId: registered.id } : {};
            return parse(v1
                ? builders.v1.command({ ...chat(), command, params, context, ...id })
                : builders.v2.command({ ...chat(), command, params, context, ...id }));
        },
    };
}
