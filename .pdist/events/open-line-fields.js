"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseCrmBindings = parseCrmBindings;
exports.parseOpenLineFields = parseOpenLineFields;
const CRM_KEYS = {
    LEAD: 'lead',
    COMPANY: 'company',
    CONTACT: 'contact',
    DEAL: 'deal',
};
function positiveInt(text) {
    if (text === undefined || !/^\d{1,15}$/.test(text))
        return undefined;
    const n = Number(text);
    return n > 0 ? n : undefined;
}
/**
 * CRM bindings of `CHAT_ENTITY_DATA_2` / `chat.entityData2`; zero ids mean "not bound".
 *
 * @example
 * parseCrmBindings('LEAD|1209|COMPANY|0|CONTACT|0|DEAL|0') // { lead: 1209 }
 */
function parseCrmBindings(text) {
    const crm = {};
    if (!text)
        return crm;
    const parts = text.split('|', 32);
    for (let i = 0; i + 1 < parts.length; i += 2) {
        const key = CRM_KEYS[parts[i].toUpperCase()];
        const id = positiveInt(parts[i + 1]);
        if (key !== undefined && id !== undefined)
            crm[key] = id;
    }
    return crm;
}
/**
 * Reads the open-line context of a chat. Fields that are missing or not in the documented
 * format are left out rather than refused: the event itself is still valid.
 *
 * @example
 * parseOpenLineFields({ entityType: 'LINES', entityId: 'telegrambot|3|786792821|1775',
 *   entityData1: 'Y|LEAD|1209|N|N|343|1773682918|0|0|0' })
 * // { isOpenLine: true, connector: 'telegrambot', lineId: 3, connectorChatId: '786792821',
 * //   connectorUserId: '1775', sessionId: 343, crm: {} }
 */
function parseOpenLineFields(source) {
    const isOpenLine = source.entityType === 'LINES' ||
        source.messageType === 'L' ||
        source.chatType === 'L' ||
        source.chatType === 'lines';
    const out = { isOpenLine, crm: {} };
    if (!isOpenLine)
        return out;
    const [connector, line, chat, user] = (source.entityId ?? '').split('|', 4);
    if (connector)
        out.connector = connector;
    const lineId = positiveInt(line);
    if (lineId !== undefined)
        out.lineId = lineId;
    if (chat)
        out.connectorChatId = chat;
    if (user)
        out.connectorUserId = user;
    const sessionId = positiveInt(source.entityData1?.split('|', 7)[5]);
    if (sessionId !== undefined)
        out.sessionId = sessionId;
    out.crm = parseCrmBindings(source.entityData2);
    return out;
}
