"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.events = exports.DEFAULT_OPERATOR = exports.DEFAULT_WIRE = void 0;
exports.createEventBuilders = createEventBuilders;
/**
 * Wire event builders for tests: real Bitrix24 request bodies (PHP bracket keys, percent-encoded,
 * string scalars) for every v1 and v2 event, and v2 fetch items, with consistent defaults (an
 * open-line Telegram chat on {@link DEFAULT_WIRE}'s portal).
 */
const php_form_1 = require("../events/php-form");
const event_builders_shared_1 = require("./event-builders-shared");
Object.defineProperty(exports, "DEFAULT_WIRE", { enumerable: true, get: function () { return event_builders_shared_1.DEFAULT_WIRE; } });
const v1 = __importStar(require("./event-builders-v1"));
const event_builders_v1_1 = require("./event-builders-v1");
const v2 = __importStar(require("./event-builders-v2"));
const V2_TYPES = {
    message: 'ONIMBOTV2MESSAGEADD',
    messageUpdate: 'ONIMBOTV2MESSAGEUPDATE',
    messageDelete: 'ONIMBOTV2MESSAGEDELETE',
    join: 'ONIMBOTV2JOINCHAT',
    command: 'ONIMBOTV2COMMANDADD',
    reaction: 'ONIMBOTV2REACTIONCHANGE',
    botDelete: 'ONIMBOTV2DELETE',
    contextGet: 'ONIMBOTV2CONTEXTGET',
};
/** Who writes a built operator message unless told otherwise: an employee of the portal. */
exports.DEFAULT_OPERATOR = Object.freeze({
    id: 13,
    name: 'Olga Smirnova',
    firstName: 'Olga',
    lastName: 'Smirnova',
    gender: 'F',
});
function form(wire) {
    return { body: (0, php_form_1.encodePhpForm)(wire), contentType: 'application/x-www-form-urlencoded' };
}
/**
 * Event builders over your own defaults (e.g. the fake portal's member id and application
 * token). Each builder hands out the next `ts`, message id and fetch `eventId`, so two built
 * events never share a dedupe key by accident.
 *
 * @example
 * const events = createEventBuilders({ memberId: portal.memberId, applicationToken: portal.applicationToken });
 * await post('/events', events.v1.message({ text: 'hi', botId: 7 }));
 */
function createEventBuilders(defaults = {}) {
    const d = { ...event_builders_shared_1.DEFAULT_WIRE, ...defaults };
    let ts = d.ts - 1;
    let messageId = d.messageId - 1;
    let eventId = d.eventId - 1;
    const counters = {
        ts: () => ++ts,
        messageId: () => ++messageId,
        eventId: () => ++eventId,
    };
    const r = (o = {}) => (0, event_builders_shared_1.resolve)(d, counters, o);
    const id = (given) => given ?? counters.messageId();
    const build = (make) => (o, mode) => {
        const rr = r(o);
        return { rr, data: make(rr, mode, o) };
    };
    const data = {
        message: build((rr, mode, o) => v2.v2MessageData(rr, mode, o, id(o.messageId))),
        messageUpdate: build(v2.v2MessageUpdateData),
        messageDelete: build(v2.v2MessageDeleteData),
        join: build(v2.v2JoinData),
        command: build((rr, mode, o) => v2.v2CommandData(rr, mode, o, id(o.messageId))),
        reaction: build((rr, mode, o) => v2.v2ReactionData(rr, mode, o, id(o.messageId))),
        botDelete: build(v2.v2BotDeleteData),
        contextGet: build(v2.v2ContextGetData),
    };
    const webhook = (type) => ((o = {}) => {
        const { rr, data: payload } = data[type](o, 'webhook');
        // The top-level auth belongs to whoever triggered the event.
        const who = payload.user?.id ?? rr.client.id;
        return form({
            event: V2_TYPES[type],
            event_handler_id: 111,
            data: payload,
            ts: rr.ts,
            auth: (0, event_builders_v1_1.topAuth)(rr, who),
        });
    });
    const operatorOf = (o) => ({
        ...exports.DEFAULT_OPERATOR,
        ...o.operator,
        isConnector: false,
    });
    const sessionStart = (message, join, o) => {
        const { texts, joinAfter = 1, ...chat } = o;
        const session = { ...chat, sessionId: chat.sessionId ?? d.sessionId };
        const bodies = texts.map((text) => message({ ...session, text }));
        bodies.splice(Math.max(0, Math.min(joinAfter, bodies.length)), 0, join(session));
        return bodies;
    };
    const built = {
        defaults: Object.freeze({ ...d }),
        v1: {
            message: (o) => form(v1.v1Message(r(o), o, id(o.messageId))),
            join: (o = {}) => form(v1.v1Join(r(o), o)),
            command: (o) => form(v1.v1Command(r(o), o, id(o.messageId))),
            messageUpdate: (o) => form(v1.v1MessageEdit('ONIMBOTMESSAGEUPDATE', r(o), o)),
            messageDelete: (o) => form(v1.v1MessageEdit('ONIMBOTMESSAGEDELETE', r(o), o)),
            botDelete: (o = {}) => form(v1.v1BotDelete(r(o))),
            appInstall: (o = {}) => form(v1.v1AppInstall(r(o), o)),
            appUninstall: (o = {}) => form(v1.v1AppUninstall(r(o), o)),
            operatorMessage: (o) => built.v1.message({ ...o, author: operatorOf(o) }),
            sessionStart: (o) => sessionStart((m) => built.v1.message(m), (j) => built.v1.join(j), o),
        },
        v2: {
            message: webhook('message'),
            messageUpdate: webhook('messageUpdate'),
            messageDelete: webhook('messageDelete'),
            join: webhook('join'),
            command: webhook('command'),
            reaction: webhook('reaction'),
            botDelete: webhook('botDelete'),
            contextGet: webhook('contextGet'),
            operatorMessage: (o) => built.v2.message({ ...o, author: operatorOf(o) }),
            sessionStart: (o) => sessionStart((m) => built.v2.message(m), (j) => built.v2.join(j), o),
            fetchItem: (type, o = {}) => {
                const options = o;
                const { rr, data: payload } = data[type](options, 'fetch');
                const eventId = options.eventId ?? counters.eventId();
                return {
                    eventId,
                    type: V2_TYPES[type],
                    date: v2.iso(rr.ts),
                    data: payload,
                };
            },
        },
    };
    return built;
}
/**
 * Builders with {@link DEFAULT_WIRE}'s portal, bot and open-line chat.
 *
 * @example
 * const { body, contentType } = events.v1.message({ text: 'Where is my order?', botId: 7 });
 * const event = parseEventBody({ body, contentType }); // event.bot.id === 7
 */
exports.events = createEventBuilders();
