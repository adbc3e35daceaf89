"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LATE_JOIN_MS = exports.JOIN_LOOKAHEAD = void 0;
exports.decideSession = decideSession;
exports.fillInput = fillInput;
const bot_event_1 = require("./bot-event");
const inbox_payload_1 = require("./inbox-payload");
/** How many pending items of the dialog are searched for a waiting message's join. */
exports.JOIN_LOOKAHEAD = 32;
/** A session-less join this soon after a message started the conversation is that conversation's join. */
exports.LATE_JOIN_MS = 60_000;
function eventOf(item) {
    const payload = (0, inbox_payload_1.asInboxPayload)(item.payload);
    return payload?.kind === 'event' ? payload.event : undefined;
}
function isClientMessage(e) {
    return e?.kind === 'message' && e.isOpenLine && !e.isSystem && !(0, bot_event_1.isOperatorMessage)(e);
}
/**
 * Decides what an open-line `join` or client `message` means for the dialog's conversation.
 *
 * @example
 * const d = await decideSession({ item, event, running, now, joinWindowMs: 1000, peek });
 * if (d.action === 'wait') retryLater(d.until - now);
 */
async function decideSession(ctx) {
    const { item, event, running } = ctx;
    const behind = async () => (await ctx.peek()).filter((i) => i.seq > item.seq);
    if (event.kind === 'join') {
        const next = (await behind()).map(eventOf).find(isClientMessage);
        if (!running)
            return next ? { action: 'start', fill: next } : { action: 'start' };
        const session = event.sessionId ?? next?.sessionId;
        const current = running.input.sessionId;
        if (session !== undefined && current !== undefined)
            return session === current ? { action: 'absorb' } : { action: 'start', ...fill(next) };
        const { joined, startedAt } = running.session;
        const late = !joined && (startedAt === undefined || ctx.now - startedAt <= exports.LATE_JOIN_MS);
        return late ? { action: 'absorb' } : { action: 'start', ...fill(next) };
    }
    const session = event.sessionId;
    if (running) {
        const current = running.input.sessionId;
        if (session === undefined || current === undefined || session === current)
            return { action: 'deliver' };
    }
    else if (session !== undefined && ctx.lastSessionId === session) {
        // The session's conversation ended; its join was already here and none will come.
        return { action: 'start' };
    }
    if (ctx.joinWindowMs <= 0)
        return { action: 'start' };
    for (const candidate of await behind()) {
        const e = eventOf(candidate);
        if (e?.kind !== 'join')
            continue;
        if (e.sessionId === undefined || session === undefined || e.sessionId === session)
            return { action: 'join-first', item: candidate, join: e };
    }
    const until = item.receivedAt + ctx.joinWindowMs;
    return ctx.now < until ? { action: 'wait', until } : { action: 'start' };
}
function fill(next) {
    return next ? { fill: next } : {};
}
/**
 * A join's conversation input completed from its session's first client message: the session
 * id, the client (a v1 join may carry only its id), CRM bindings and language when the join
 * lacks them.
 *
 * @example
 * const input = fillInput(dialogInputOf({ event: join, botCode }), firstMessage);
 */
function fillInput(input, from) {
    const out = { ...input };
    if (out.sessionId === undefined && from.sessionId !== undefined)
        out.sessionId = from.sessionId;
    if (from.client && (!out.client || (out.client.id === from.client.id && !out.client.name)))
        out.client = from.client;
    if (Object.keys(out.crm).length === 0 && Object.keys(from.crm).length > 0)
        out.crm = { ...from.crm };
    if (out.lineId === undefined && from.lineId !== undefined)
        out.lineId = from.lineId;
    if (out.connector === undefined && from.connector !== undefined)
        out.connector = from.connector;
    if (out.language === undefined && from.language !== undefined)
        out.language = from.language;
    return out;
}
