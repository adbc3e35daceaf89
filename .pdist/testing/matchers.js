"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.botMatchers = void 0;
/**
 * Jest matchers for test chats. Register them once per test file (or in a setup file):
 *
 * ```ts
 * import { botMatchers } from 'openlines-bot/testing';
 * expect.extend(botMatchers);
 * ```
 *
 * Every failure message ends with the transcript so far and the machine's state, so a red test
 * reads like the conversation that went wrong.
 */
const xstate_1 = require("xstate");
const chat_view_1 = require("./chat-view");
function isChatView(v) {
    const c = v;
    return (typeof c === 'object' &&
        c !== null &&
        Array.isArray(c.effects) &&
        typeof c.transcript === 'string');
}
function show(ctx, v) {
    return ctx.utils ? ctx.utils.printExpected(v) : JSON.stringify(v);
}
function stateText(state) {
    if (state === undefined)
        return '(no conversation yet)';
    return typeof state === 'string' ? state : JSON.stringify(state);
}
/** The closing part of every failure message. */
function context(view) {
    const text = typeof view.conversation === 'string' ? view.conversation : view.transcript;
    return `\n\nTranscript:\n${text ? text.replace(/^/gm, '  ') : '  (nothing happened yet)'}\n\nState: ${stateText(view.state)}`;
}
function check(ctx, received, name, judge) {
    if (!isChatView(received)) {
        return {
            pass: false,
            message: () => `${name}: expected a chat from testBot() (or chat.last), received ${typeof received}`,
        };
    }
    const { pass, expectation, detail } = judge(received);
    const not = ctx.isNot ? 'not ' : '';
    return {
        pass,
        message: () => `Expected the bot ${not}${expectation}${detail && !ctx.isNot ? `\n${detail}` : ''}${context(received)}`,
    };
}
function refused(view, kind) {
    const failed = view.effects.filter((e) => e.kind === kind && e.status !== 'sent');
    if (failed.length === 0)
        return undefined;
    return `It tried, but the portal refused it: ${failed.map((e) => `${e.call.method} → ${e.error ?? e.status}`).join(', ')}.`;
}
function toHaveReplied(received, expected) {
    return check(this, received, 'toHaveReplied', (view) => {
        const pass = view.replies.some((r) => typeof expected === 'string'
            ? r.trim() === expected.trim()
            : new RegExp(expected.source, expected.flags.replace(/[gy]/g, '')).test(r));
        const replies = view.replies.length
            ? view.replies.map((r, i) => `  ${i + 1}. ${r}`).join('\n')
            : '  (none)';
        return {
            pass,
            expectation: `to reply ${show(this, expected)}`,
            detail: `Replies:\n${replies}`,
        };
    });
}
function toHaveShownButtons(received, expected) {
    return check(this, received, 'toHaveShownButtons', (view) => {
        const keyboards = (0, chat_view_1.keyboardsOf)(view.effects);
        const same = (a) => a.length === expected.length && a.every((x, i) => x === expected[i]);
        const pass = keyboards.some((k) => same(k.map((b) => b.text)) || same(k.map((b) => b.command ?? '')));
        const shown = keyboards.length
            ? keyboards.map((k) => `  ${k.map((b) => `[${b.text}]`).join(' ')}`).join('\n')
            : '  (no reply had buttons)';
        return {
            pass,
            expectation: `to show the buttons ${show(this, expected)} (texts or commands, in order)`,
            detail: `Keyboards shown:\n${shown}`,
        };
    });
}
function sentKind(kind, label, name) {
    return function (received) {
        return check(this, received, name, (view) => {
            const pass = view.effects.some((e) => e.kind === kind && e.status === 'sent');
            const why = refused(view, kind);
            return { pass, expectation: label, ...(why ? { detail: why } : {}) };
        });
    };
}
function toHaveTransferredTo(received, target) {
    return check(this, received, 'toHaveTransferredTo', (view) => {
        const hit = (e) => e.kind === 'transfer' &&
            ('lineId' in target
                ? 'lineId' in e.to && e.to.lineId === target.lineId
                : 'userId' in e.to && e.to.userId === target.userId);
        const pass = view.effects.some((e) => hit(e) && e.status === 'sent');
        const tried = view.effects.filter((e) => e.kind === 'transfer');
        const detail = tried.length
            ? `Transfers: ${tried.map((e) => `${JSON.stringify(e.kind === 'transfer' ? e.to : {})} (${e.status}${e.error ? `: ${e.error}` : ''})`).join(', ')}`
            : 'It made no transfer.';
        return { pass, expectation: `to transfer the dialog to ${show(this, target)}`, detail };
    });
}
function toBeInState(received, expected) {
    return check(this, received, 'toBeInState', (view) => ({
        pass: view.state !== undefined && (0, xstate_1.matchesState)(expected, view.state),
        expectation: `to be in the state ${show(this, expected)}`,
    }));
}
/**
 * The test kit's jest matchers; register with `expect.extend(botMatchers)`.
 *
 * @example
 * expect.extend(botMatchers);
 * expect(chat).toHaveReplied(/in transit/);
 * expect(chat.last).toHaveHandedToOperator();
 * expect(chat).toHaveTransferredTo({ lineId: 5 });
 * expect(chat).toBeInState('order.waiting');
 */
exports.botMatchers = {
    /** A reply equal to the text (trimmed), or matching the RegExp. */
    toHaveReplied,
    /** A reply whose buttons are exactly these, in order (button texts, or commands). */
    toHaveShownButtons,
    /** `toOperator()` reached the portal (`imopenlines.bot.session.operator` accepted). */
    toHaveHandedToOperator: sentKind('toOperator', 'to hand the dialog to an operator', 'toHaveHandedToOperator'),
    /** `transfer(...)` to this line or user reached the portal. */
    toHaveTransferredTo,
    /** `finish()` reached the portal (`imopenlines.bot.session.finish` accepted). */
    toHaveFinished: sentKind('finish', 'to finish the session', 'toHaveFinished'),
    /** The machine's state matches (xstate `matches` semantics: `'order'` matches `{ order: 'waiting' }`). */
    toBeInState,
};
