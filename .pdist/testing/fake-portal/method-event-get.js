"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.eventGet = void 0;
/**
 * `imbot.v2.Event.get`, the v2 fetch queue: `offset` acknowledges every event with a smaller id,
 * unacknowledged events come again (at-least-once), an empty queue answers `nextOffset: 0`.
 */
const fault_1 = require("./fault");
const methods_imbot_v2_1 = require("./methods-imbot-v2");
const eventGet = (params, ctx) => {
    const bot = (0, methods_imbot_v2_1.ownedBot)(params, ctx);
    const pace = ctx.state.eventGetPace;
    if (pace && pace.minMs > 0) {
        const last = pace.lastAt.get(bot.id);
        pace.lastAt.set(bot.id, ctx.now);
        // The docs ask for ≥ 2 s between polls and answer faster ones with 429 (the error code is not
        // documented: this one is the fake portal's).
        if (last !== undefined && ctx.now - last < pace.minMs) {
            throw new fault_1.Fault('TOO_MANY_REQUESTS', `imbot.v2.Event.get polled ${ctx.now - last} ms after the last request (at least ${pace.minMs} ms)`, 429);
        }
    }
    const pending = ctx.state.events.get(bot.id) ?? [];
    const offset = (0, fault_1.intval)(params.offset);
    if (params.offset !== undefined && offset > 0) {
        const acked = pending.filter((e) => e.eventId < offset);
        if (acked.length > 0) {
            ctx.state.acked.set(bot.id, [...(ctx.state.acked.get(bot.id) ?? []), ...acked]);
            pending.splice(0, pending.length, ...pending.filter((e) => e.eventId >= offset));
        }
    }
    ctx.state.events.set(bot.id, pending);
    const requested = params.limit === undefined ? 100 : (0, fault_1.intval)(params.limit);
    const limit = Math.min(1000, Math.max(1, requested));
    const events = pending.slice(0, limit).map((e) => structuredClone(e));
    const last = events[events.length - 1];
    return { events, nextOffset: last ? last.eventId + 1 : 0, hasMore: pending.length > limit };
};
exports.eventGet = eventGet;
