/**
 * Typed invoked calls of the Open Lines methods a bot may call: `fromOpenlinesCall(method)` is
 * actor logic whose `input` is the method's typed parameters and whose `output` is its typed
 * result, e.g. reading the session's history to pass a summary to the operator. Same delivery
 * rules as {@link fromRestCall} (made during the turn, at-least-once).
 */
import { fromPromise, type PromiseActorLogic } from 'xstate';
import {
  checkOpenlinesParams,
  OpenlinesParamsError,
  parseOpenlinesResult,
} from '../bitrix/openlines-call';
import {
  OPENLINES_METHODS,
  type BotOpenlinesMethod,
  type OpenlinesParams,
  type OpenlinesResult,
} from '../bitrix/openlines-methods';
import { boundRestCallPerformer, RestCallUnavailableError } from './from-rest-call';

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
export function fromOpenlinesCall<M extends BotOpenlinesMethod>(
  method: M,
): PromiseActorLogic<OpenlinesResult<M>, OpenlinesParams<M>> {
  if (!Object.hasOwn(OPENLINES_METHODS, method) || !OPENLINES_METHODS[method].bot)
    throw new OpenlinesParamsError(String(method), [
      'not an imopenlines.* method a bot may call with its own credentials',
    ]);
  return fromPromise<OpenlinesResult<M>, OpenlinesParams<M>>(async ({ input, signal, system }) => {
    const params = checkOpenlinesParams(method, input);
    const perform = boundRestCallPerformer({ system });
    if (!perform) throw new RestCallUnavailableError(method);
    return parseOpenlinesResult(method, await perform({ method, params, signal }));
  });
}
