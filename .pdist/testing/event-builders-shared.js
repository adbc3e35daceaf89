"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_WIRE = void 0;
exports.resolve = resolve;
exports.personOf = personOf;
/**
 * The portal, bot and open-line chat every built event uses unless told otherwise. The fake
 * portal and server tests can verify against these (all tokens are made up).
 *
 * @example
 * expect(verifyApplicationToken(DEFAULT_WIRE.applicationToken, event.applicationToken)).toBe(true);
 */
exports.DEFAULT_WIRE = Object.freeze({
    memberId: '5f0c2a9e7b1d4e6f8a3c5b7d9e1f2a4c',
    domain: 'openlines-test.bitrix24.com',
    clientEndpoint: 'https://openlines-test.bitrix24.com/rest/',
    serverEndpoint: 'https://oauth.bitrix.info/rest/',
    applicationToken: 'e7d41c09b2a85f36c1d07e94a3b26f58',
    /** OAuth `client_id` of the (local) application. */
    appClientId: 'local.6650f1a2b3c4d5.00000001',
    scope: 'imbot,imopenlines',
    botId: 571,
    botCode: 'support_ol_bot',
    botAccessToken: 'bot-access-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    botRefreshToken: 'bot-refresh-0a1b2c3d4e5f60718293a4b5c6d7',
    /** Top-level `auth` tokens belong to whoever triggered the event: the client. */
    userAccessToken: 'user-access-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    userRefreshToken: 'user-refresh-9f8e7d6c5b4a39281706f5e4d3c2b',
    /** The installing admin (ONAPPINSTALL). */
    adminUserId: 1,
    chatId: 1777,
    lineId: 3,
    lineName: 'Support line',
    connector: 'telegrambot',
    connectorChatId: '786792821',
    sessionId: 343,
    crm: Object.freeze({ lead: 1209 }),
    client: Object.freeze({
        id: 1775,
        name: 'Ivan Petrov',
        firstName: 'Ivan',
        lastName: 'Petrov',
        gender: 'M',
    }),
    language: 'en',
    /** First `ts` handed out; each built event takes the next second. */
    ts: 1771928985,
    /** First message id handed out; each new message takes the next one. */
    messageId: 86313,
    commandId: 3,
    /** First v2 fetch `eventId` handed out. */
    eventId: 1001,
});
/** Defaults overlaid with the options that are set. */
function resolve(defaults, counters, o) {
    const pick = (v, d) => (v === undefined ? d : v);
    const w = {
        ...defaults,
        memberId: pick(o.memberId, defaults.memberId),
        domain: pick(o.domain, defaults.domain),
        applicationToken: pick(o.applicationToken, defaults.applicationToken),
        botId: pick(o.botId, defaults.botId),
        botCode: pick(o.botCode, defaults.botCode),
        language: pick(o.language, defaults.language),
    };
    if (o.domain !== undefined)
        w.clientEndpoint = `https://${o.domain}/rest/`;
    const crm = pick(o.crm, defaults.crm);
    const client = {
        ...defaults.client,
        isConnector: true,
        isBot: false,
        ...Object.fromEntries(Object.entries(o.client ?? {}).filter(([, v]) => v !== undefined)),
    };
    const chatId = pick(o.chatId, defaults.chatId);
    const lineId = pick(o.lineId, defaults.lineId);
    const connector = pick(o.connector, defaults.connector);
    const connectorChatId = pick(o.connectorChatId, defaults.connectorChatId);
    const sessionId = pick(o.sessionId, defaults.sessionId);
    const openLine = pick(o.openLine, true);
    const ts = pick(o.ts, counters.ts());
    const saved = crm.lead || crm.deal || crm.contact || crm.company ? 'Y' : 'N';
    const crmType = crm.lead
        ? 'LEAD'
        : crm.deal
            ? 'DEAL'
            : crm.contact
                ? 'CONTACT'
                : crm.company
                    ? 'COMPANY'
                    : 'NONE';
    const crmId = crm.lead ?? crm.deal ?? crm.contact ?? crm.company ?? 0;
    return {
        w,
        ts,
        chatId,
        openLine,
        lineId,
        connector,
        connectorChatId,
        sessionId,
        crm,
        client,
        entityId: `${connector}|${lineId}|${connectorChatId}|${client.id}`,
        // The session id is the 6th field; the 7th looks like the session start time.
        entityData1: `${saved}|${crmType}|${crmId}|N|N|${sessionId}|${ts - 3600}|0|0|0`,
        entityData2: `LEAD|${crm.lead ?? 0}|COMPANY|${crm.company ?? 0}|CONTACT|${crm.contact ?? 0}|DEAL|${crm.deal ?? 0}`,
        dialogId: openLine ? `chat${chatId}` : String(client.id),
        minimalAuth: o.auth === 'minimal',
    };
}
/** The person fields merged over the resolved client. */
function personOf(r, p) {
    if (!p)
        return r.client;
    const set = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
    // Someone other than the client (an operator): not a connector user unless said so.
    const other = p.id !== undefined && p.id !== r.client.id;
    return { ...r.client, ...(other ? { isConnector: false } : {}), ...set };
}
