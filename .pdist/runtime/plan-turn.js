"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.metaOf = metaOf;
exports.planTurn = planTurn;
const bot_event_1 = require("./bot-event");
const inbox_payload_1 = require("./inbox-payload");
const session_start_1 = require("./session-start");
/**
 * The runtime's dialog meta, when the record has a valid one.
 *
 * @example
 * const input = metaOf(await store.loadDialog(key))?.input;
 */
function sessionOf(meta) {
    const out = {};
    if (meta?.joined !== undefined)
        out.joined = meta.joined;
    if (meta?.startedAt !== undefined)
        out.startedAt = meta.startedAt;
    return out;
}
function metaOf(record) {
    const m = record?.meta;
    return m && typeof m.botCode === 'string' && typeof m.input === 'object' ? m : undefined;
}
/** The deadline a timer item fired for: from the payload, else from the store's dedupe key. */
function firedDeadline(item, payload) {
    if (typeof payload.deadline === 'number')
        return payload.deadline;
    const last = Number(item.dedupeKey?.split(':').pop());
    return Number.isFinite(last) ? last : undefined;
}
/**
 * Decides what an inbox item means for its dialog; a string is the reason to discard the item.
 *
 * @example
 * const plan = await planTurn({ bots, item, record });
 * if (typeof plan === 'string') await store.discardInbox(item.seq);
 */
async function planTurn(options) {
    const { bots, item, record } = options;
    const payload = (0, inbox_payload_1.asInboxPayload)(item.payload);
    if (!payload)
        return 'unknown inbox payload';
    const meta = metaOf(record);
    const running = record !== undefined &&
        record.snapshot !== null &&
        record.snapshot !== undefined &&
        meta !== undefined;
    if (payload.kind === 'event') {
        const bot = await bots.resolve(payload.event);
        if (!bot)
            return `no served bot for bot id ${payload.event.bot.id}`;
        const event = (0, bot_event_1.toBotEvent)(payload.event, { operatorMessages: bot.operatorMessages });
        if (!event)
            return `event ${payload.event.kind} does not reach machines`;
        const sameBot = running && meta.botCode === bot.code;
        if (event.type === 'operator.message' && !sameBot)
            return "an operator's message never starts a conversation";
        const e = payload.event;
        const base = { bot, timersOnError: record?.timers ?? [], consumedSeq: item.seq };
        const rules = options.sessions;
        if (rules && e.isOpenLine && (e.kind === 'join' || event.type === 'message')) {
            const d = await (0, session_start_1.decideSession)({
                item,
                event: e,
                ...(sameBot ? { running: { input: meta.input, session: sessionOf(meta) } } : {}),
                ...(meta?.input.sessionId !== undefined ? { lastSessionId: meta.input.sessionId } : {}),
                now: rules.now,
                joinWindowMs: rules.joinWindowMs,
                peek: () => rules.peek(session_start_1.JOIN_LOOKAHEAD),
            });
            switch (d.action) {
                case 'wait':
                    return { waitUntil: d.until };
                case 'absorb':
                    return {
                        ...base,
                        fresh: false,
                        absorb: true,
                        input: meta?.input ?? (0, bot_event_1.dialogInputOf)({ event: e, botCode: bot.code }),
                        delivery: { kind: 'event', event },
                        session: { ...sessionOf(meta), joined: true },
                    };
                case 'join-first': {
                    const join = (0, bot_event_1.toBotEvent)(d.join) ?? { type: 'join' };
                    const from = e;
                    const input = (0, session_start_1.fillInput)((0, bot_event_1.dialogInputOf)({ event: d.join, botCode: bot.code }), from);
                    return {
                        ...base,
                        consumedSeq: d.item.seq,
                        joinItem: d.item,
                        fresh: true,
                        input,
                        delivery: {
                            kind: 'event',
                            event: join.type === 'join' && input.client ? { ...join, client: input.client } : join,
                        },
                        session: { joined: true, startedAt: rules.now },
                    };
                }
                case 'start': {
                    let input = (0, bot_event_1.dialogInputOf)({ event: e, botCode: bot.code });
                    if (d.fill)
                        input = (0, session_start_1.fillInput)(input, d.fill);
                    return {
                        ...base,
                        fresh: true,
                        input,
                        delivery: { kind: 'event', event },
                        session: { joined: e.kind === 'join', startedAt: rules.now },
                    };
                }
                case 'deliver': {
                    const m = meta;
                    const adopt = m.input.sessionId === undefined && e.sessionId !== undefined;
                    return {
                        ...base,
                        fresh: false,
                        input: adopt ? { ...m.input, sessionId: e.sessionId } : m.input,
                        delivery: { kind: 'event', event },
                        session: sessionOf(m),
                    };
                }
            }
        }
        const fresh = e.kind === 'join' || !sameBot;
        const input = fresh ? (0, bot_event_1.dialogInputOf)({ event: e, botCode: bot.code }) : meta.input;
        return {
            ...base,
            fresh,
            input,
            delivery: { kind: 'event', event },
            session: fresh
                ? { joined: e.kind === 'join', ...(rules ? { startedAt: rules.now } : {}) }
                : sessionOf(meta),
        };
    }
    if (!running)
        return `${payload.kind} for a dialog with no running conversation`;
    const bot = bots.byCode(meta.botCode);
    if (!bot)
        return `bot ${meta.botCode} is no longer served`;
    if (payload.kind === 'timer') {
        const deadline = firedDeadline(item, payload);
        const timer = record.timers.find((t) => t.timerKey === payload.timerKey &&
            (deadline === undefined ? t.fired === true : t.deadline === deadline));
        if (!timer)
            return `timer ${payload.timerKey} was cancelled or re-armed`;
        const rest = record.timers.filter((t) => t !== timer);
        return {
            bot,
            fresh: false,
            input: meta.input,
            delivery: { kind: 'timer', timerKey: timer.timerKey },
            timersOnError: rest,
            consumedSeq: item.seq,
            session: sessionOf(meta),
        };
    }
    if (payload.kind === 'external') {
        return {
            bot,
            fresh: false,
            input: meta.input,
            delivery: { kind: 'event', event: payload.event },
            timersOnError: record.timers,
            consumedSeq: item.seq,
            session: sessionOf(meta),
        };
    }
    const { effect, method, code, description } = payload;
    const event = {
        type: 'effect.failed',
        effect,
        method,
        code,
        ...(description !== undefined ? { description } : {}),
    };
    return {
        bot,
        fresh: false,
        input: meta.input,
        delivery: { kind: 'event', event },
        timersOnError: record.timers,
        consumedSeq: item.seq,
        session: sessionOf(meta),
    };
}
