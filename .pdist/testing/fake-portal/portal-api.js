"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createPortalApi = createPortalApi;
const methods_openlines_more_1 = require("./methods-openlines-more");
const portal_state_1 = require("./portal-state");
/**
 * Builds the shared surface over a core; `base()` is the transport's current address.
 *
 * @example
 * const api = createPortalApi({ core, base: () => 'https://fake.bitrix24.test' });
 */
function createPortalApi(options) {
    const { core, base } = options;
    const cfg = core.config;
    const state = () => core.state;
    return {
        get url() {
            return base();
        },
        get webhookUrl() {
            return `${base()}/rest/${cfg.webhookUserId}/${cfg.webhookSecret}/`;
        },
        get clientEndpoint() {
            return `${base()}/rest/`;
        },
        get oauthServerEndpoint() {
            return `${base()}/rest/`;
        },
        get tokenUrl() {
            return `${base()}/oauth/token/`;
        },
        get memberId() {
            return cfg.memberId;
        },
        get domain() {
            return cfg.domain;
        },
        applicationToken: cfg.applicationToken,
        clientId: cfg.clientId,
        clientSecret: cfg.clientSecret,
        webhookSecret: cfg.webhookSecret,
        get tokens() {
            return {
                memberId: cfg.memberId,
                domain: cfg.domain,
                clientEndpoint: `${base()}/rest/`,
                serverEndpoint: `${base()}/rest/`,
                accessToken: core.oauth.accessToken(),
                refreshToken: core.oauth.refreshToken(),
                expiresAt: core.oauth.expiresAt(),
            };
        },
        get calls() {
            return core.calls;
        },
        get requests() {
            return core.counters.requests;
        },
        get rejected503() {
            return core.counters.rejected503;
        },
        get refreshes() {
            return core.oauth.refreshes();
        },
        get refusedRefreshes() {
            return core.oauth.refusedRefreshes();
        },
        get bots() {
            return [...state().bots.values()];
        },
        get lines() {
            return state().lines;
        },
        get leads() {
            return state().leads;
        },
        callsOf: (method) => core.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase()),
        chat: (ref) => (0, portal_state_1.chatFor)(state(), ref),
        chats: () => [...state().chats.values()],
        openChat({ chatId, lineId, userCode }) {
            const chat = (0, portal_state_1.chatFor)(state(), chatId, lineId);
            if (lineId !== undefined)
                chat.lineId = lineId;
            chat.userCode = userCode ?? `livechat|${chat.lineId}|${chatId}|${chatId + 1}`;
            return chat;
        },
        setSession(ref, session) {
            const chat = (0, portal_state_1.chatFor)(state(), ref);
            (0, portal_state_1.setSession)(chat, session, state());
            return chat;
        },
        bindCrmChat({ entityType, entityId, chatId }) {
            (0, methods_openlines_more_1.bindCrmChat)(state(), entityType, entityId, chatId);
        },
        addClientMessage({ chat, text }) {
            return (0, portal_state_1.postMessage)(state(), (0, portal_state_1.chatFor)(state(), chat), { text, via: 'client', author: 'client', at: core.clock.now() });
        },
        queueEvent(botId, item) {
            const s = state();
            const eventId = item.eventId ?? ++s.seq.event;
            s.seq.event = Math.max(s.seq.event, eventId);
            const event = {
                type: item.type,
                data: structuredClone(item.data),
                eventId,
                date: item.date ?? new Date(core.clock.now()).toISOString(),
            };
            const queue = [...(s.events.get(botId) ?? []), event].sort((a, b) => a.eventId - b.eventId);
            s.events.set(botId, queue);
            return event;
        },
        pendingEvents: (botId) => [...(state().events.get(botId) ?? [])],
        redeliverEvents(botId, redeliver = {}) {
            const s = state();
            const from = redeliver.fromEventId ?? Number.NEGATIVE_INFINITY;
            const acked = s.acked.get(botId) ?? [];
            const again = acked.filter((e) => e.eventId >= from);
            s.acked.set(botId, acked.filter((e) => e.eventId < from));
            s.events.set(botId, [...(s.events.get(botId) ?? []), ...again].sort((a, b) => a.eventId - b.eventId));
            return again.length;
        },
        failNext: (method, error, failOptions) => core.failures.add(method, error, failOptions),
        expireAccessToken: () => core.oauth.expireAll(),
        async sendEvent(url, { body, contentType = 'application/x-www-form-urlencoded', headers = {} }) {
            const res = await fetch(url, {
                method: 'POST',
                body,
                headers: { 'content-type': contentType, 'user-agent': 'Bitrix24 Webhook Engine', ...headers },
            });
            const out = {};
            res.headers.forEach((v, k) => (out[k] = v));
            return { status: res.status, body: await res.text(), headers: out };
        },
        reset: (resetOptions) => core.reset(resetOptions),
    };
}
