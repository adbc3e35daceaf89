"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.expectationHolds = expectationHolds;
exports.describeExpectation = describeExpectation;
/**
 * True when the expectation holds for the action's output (or, for `state` and `done`, for the chat now).
 *
 * @example
 * expectationHolds({ expectation: { kind: 'operator' }, output, chat }); // true after a hand-off
 */
function expectationHolds(options) {
    const { expectation: e, output: block, chat } = options;
    const sent = (kind, extra = () => true) => block.effects.some((x) => x.kind === kind && x.status === 'sent' && extra(x));
    switch (e.kind) {
        case 'operator':
            return sent('toOperator');
        case 'finished':
            return sent('finish');
        case 'greet':
            return sent('greet');
        case 'typing':
            return sent('typing');
        case 'reply':
            return block.replies.length > 0;
        case 'done':
            return chat.done;
        case 'state':
            return chat.matches(e.value);
        case 'call': {
            const same = (m) => m.toLowerCase() === e.method.toLowerCase();
            // A `callRest` effect the portal took, or a call the machine invoked and got an answer to.
            return (sent('call', (x) => x.kind === 'call' && same(x.method)) ||
                block.invoked.some((c) => c.status === 'ok' && same(c.method)));
        }
        case 'transfer':
            return sent('transfer', (x) => {
                if (x.kind !== 'transfer')
                    return false;
                return 'lineId' in e.to
                    ? 'lineId' in x.to && x.to.lineId === e.to.lineId
                    : 'userId' in x.to && x.to.userId === e.to.userId;
            });
    }
}
/**
 * The expectation in words, for failure messages.
 *
 * @example
 * describeExpectation({ kind: 'transfer', to: { lineId: 5 } }); // 'transfer the dialog to line 5'
 */
function describeExpectation(e) {
    switch (e.kind) {
        case 'operator':
            return 'hand the dialog to an operator';
        case 'finished':
            return 'finish the session';
        case 'greet':
            return "send the line's welcome message";
        case 'typing':
            return 'show typing';
        case 'reply':
            return 'reply';
        case 'done':
            return 'end the conversation (final state)';
        case 'state':
            return `be in state ${e.value}`;
        case 'call':
            return `call ${e.method}`;
        case 'transfer':
            return `transfer the dialog to ${'lineId' in e.to ? `line ${e.to.lineId}` : `user ${e.to.userId}`}`;
    }
}
