"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fromOpenlinesCall = fromOpenlinesCall;
/**
 * Typed invoked calls of the Open Lines methods a bot may call: `fromOpenlinesCall(method)` is
 * actor logic whose `input` is the method's typed parameters and whose `output` is its typed
 * result, e.g. reading the session's history to pass a summary to the operator. Same delivery
 * rules as {@link fromRestCall} (made during the turn, at-least-once).
 */
const xstate_1 = require("xstate");
const openlines_call_1 = require("../bitrix/openlines-call");
const openlines_methods_1 = require("../bitrix/openlines-methods");
const from_rest_call_1 = require("./from-rest-call");
/**
 * Actor logic of one `imopenlines.*` method a bot may call with its own credentials. `onDone`
 * gets the typed result (numbers, flags as booleans, dates as `Date`: convert before storing it in
 * the context, which is saved as JSON); `onError` gets an `OpenlinesParamsError` for wrong
 * parameters (nothing was sent), an `ApiError` when Bitrix24 refused, an `HttpError`, or an
 * `UnexpectedResultError`.
 *
 * @example
 * const machine = setup({
 *   actors: { history: fromOpenlinesCall('imopenlines.session.history.get') },
 * }).createMachine({
 *   invoke: {
 *     src: 'history',
 *     input: ({ context }) => ({ CHAT_ID: context.dialog.chatId }),
 *     onDone: { actions: assign({ summary: ({ event }) => event.output.messages.map((m) => m.text).join('\n') }) },
 *   },
 * });
 */
function fromOpenlinesCall(method) {
    if (!Object.hasOwn(openlines_methods_1.OPENLINES_METHODS, method) || !openlines_methods_1.OPENLINES_METHODS[method].bot)
        throw new openlines_call_1.OpenlinesParamsError(String(method), [
            'not an imopenlines.* method a bot may call with its own credentials',
        ]);
    return (0, xstate_1.fromPromise)(async ({ input, signal, system }) => {
        const params = (0, openlines_call_1.checkOpenlinesParams)(method, input);
        const perform = (0, from_rest_call_1.boundRestCallPerformer)({ system });
        if (!perform)
            throw new from_rest_call_1.RestCallUnavailableError(method);
        return (0, openlines_call_1.parseOpenlinesResult)(method, await perform({ method, params, signal }));
    });
}
