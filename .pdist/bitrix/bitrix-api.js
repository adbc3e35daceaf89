"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createBitrixApi = createBitrixApi;
const openlines_api_1 = require("./openlines-api");
/**
 * Builds the typed API over a {@link RestClient}.
 *
 * @example
 * const api = createBitrixApi(client);
 * await api.imopenlines.bot.session.message.send({ CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: 'Hi' });
 */
function createBitrixApi(client) {
    const m = (method) => (params, options) => client.call(method, params ?? {}, options);
    return {
        imbot: {
            register: m('imbot.register'),
            unregister: m('imbot.unregister'),
            update: m('imbot.update'),
            bot: { list: m('imbot.bot.list') },
            message: {
                add: m('imbot.message.add'),
                update: m('imbot.message.update'),
                delete: m('imbot.message.delete'),
            },
            chat: { sendTyping: m('imbot.chat.sendTyping') },
            command: { register: m('imbot.command.register'), answer: m('imbot.command.answer') },
            v2: {
                Bot: {
                    register: m('imbot.v2.Bot.register'),
                    update: m('imbot.v2.Bot.update'),
                    unregister: m('imbot.v2.Bot.unregister'),
                    get: m('imbot.v2.Bot.get'),
                },
                Chat: {
                    Message: {
                        send: m('imbot.v2.Chat.Message.send'),
                        update: m('imbot.v2.Chat.Message.update'),
                        delete: m('imbot.v2.Chat.Message.delete'),
                        Reaction: {
                            add: m('imbot.v2.Chat.Message.Reaction.add'),
                            delete: m('imbot.v2.Chat.Message.Reaction.delete'),
                        },
                    },
                    InputAction: { notify: m('imbot.v2.Chat.InputAction.notify') },
                },
                File: { upload: m('imbot.v2.File.upload'), download: m('imbot.v2.File.download') },
                Revision: { get: m('imbot.v2.Revision.get') },
                Event: { get: m('imbot.v2.Event.get') },
                Command: {
                    register: m('imbot.v2.Command.register'),
                    update: m('imbot.v2.Command.update'),
                    answer: m('imbot.v2.Command.answer'),
                },
            },
        },
        imopenlines: (0, openlines_api_1.createOpenlinesApi)(client),
        batch: (calls, options) => client.batch(calls, options),
        call: (method, params, options) => client.call(method, params, options),
    };
}
