"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RestCallUnavailableError = void 0;
exports.bindRestCalls = bindRestCalls;
exports.boundRestCallPerformer = boundRestCallPerformer;
exports.fromRestCall = fromRestCall;
/**
 * Invoked REST calls: a Bitrix24 call whose result comes back to the machine (`onDone` gets the
 * REST `result`, `onError` the refusal), unlike the `callRest` effect, whose result is never seen.
 *
 * The logic holds no client: the runtime binds the dialog's portal client to the actor system of
 * each turn. Delivery is at-least-once and the call is not part of the outbox: it is made during
 * the turn, before the commit. If the process dies after the call but before the commit, the
 * event is replayed and the call is made again; effects emitted in the same turn (a `say` before
 * the invoke included) leave only after the call has returned, because they are committed with
 * the turn. Prefer `callRest` for fire-and-forget calls; use this when the flow needs the answer.
 */
const xstate_1 = require("xstate");
const errors_1 = require("../errors");
/**
 * An invoked REST call ran where no runtime supplied a REST client: in a plain `createActor`, or
 * invoked in a way the runtime does not see.
 *
 * @example
 * onError: { actions: ({ event }) => { if (event.error instanceof RestCallUnavailableError) console.log(event.error.message) } }
 */
class RestCallUnavailableError extends errors_1.ConfigError {
    /** The method that was not called. */
    method;
    constructor(method) {
        super([
            `${method} was not called: no REST client is bound to this actor. Invoked REST calls run only inside the openlines-bot runtime (createRuntime, testBot); elsewhere, replace the actor with machine.provide({ actors: { <name>: fromPromise(...) } })`,
        ], 'Invoked REST call outside the runtime');
        this.method = method;
    }
    toJSON() {
        return { ...super.toJSON(), method: this.method };
    }
}
exports.RestCallUnavailableError = RestCallUnavailableError;
// Keyed by actor system: every actor of one turn's tree shares it, and it is dropped with the turn.
// Kept on `globalThis` under a registered symbol, so that every copy of this module loaded in the
// process (a bot importing the compiled package while the runtime runs from the sources, two
// installs of the package) binds and finds the same performers.
const REGISTRY = Symbol.for('openlines-bot.rest-call-performers.v1');
const performers = (globalThis[REGISTRY] ??= new WeakMap());
/**
 * Binds the performer of invoked REST calls to one actor system (the runtime calls this for each
 * turn, before the actor starts). Not for bot authors.
 *
 * @example
 * const actor = createActor(machine, { input });
 * bindRestCalls({ system: actor.system, perform: ({ method, params, signal }) => client.call(method, params, { signal }) });
 */
function bindRestCalls(options) {
    performers.set(options.system, options.perform);
}
/**
 * The performer bound to an actor system, if any (used by typed invoked calls such as
 * `fromOpenlinesCall`). Not for bot authors.
 *
 * @example
 * const perform = boundRestCallPerformer({ system });
 */
function boundRestCallPerformer(options) {
    return performers.get(options.system);
}
const METHOD = /^[a-z][a-z0-9_.]*$/i;
function checkInput(input) {
    const i = (typeof input === 'object' && input !== null ? input : {});
    const problems = [];
    if (typeof i.method !== 'string' || !METHOD.test(i.method))
        problems.push(`input.method must be a REST method name such as crm.lead.add, got ${JSON.stringify(i.method) ?? 'undefined'}`);
    const params = i.params ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params))
        problems.push('input.params must be an object');
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems, 'Invalid input of an invoked REST call');
    return { method: i.method, params };
}
/**
 * Actor logic of an invoked Bitrix24 REST call. Register it by name in `setup({ actors })` and
 * invoke it with `{ method, params }` as input: `onDone` gets `event.output` = the REST `result`
 * (typed as `TOutput`, not checked); `onError` gets `event.error`: an `ApiError` when Bitrix24
 * refused (`code: 'API_ERROR'`, `.error` = the Bitrix24 code such as `ACCESS_DENIED`), an
 * `HttpError` for network failures and timeouts, a `ConfigError` for bad input, or a
 * {@link RestCallUnavailableError} outside the runtime. The turn waits for the call (bounded by
 * the runtime's `turnTimeoutMs`; a timed-out turn aborts it) and commits its outcome with the
 * state. At-least-once: see the top of this file.
 *
 * @example
 * const machine = setup({ actors: { createLead: fromRestCall<number>() } }).createMachine({
 *   initial: 'saving',
 *   states: {
 *     saving: {
 *       invoke: {
 *         src: 'createLead',
 *         input: ({ context }) => ({ method: 'crm.lead.add', params: { fields: { TITLE: context.title } } }),
 *         onDone: { target: 'saved', actions: say(({ event }) => `Your request number is ${event.output}.`) },
 *         onError: { target: 'saved', actions: say('Sorry, a manager will take your details.') },
 *       },
 *     },
 *     saved: {},
 *   },
 * });
 */
function fromRestCall() {
    return (0, xstate_1.fromPromise)(async ({ input, signal, system }) => {
        const call = checkInput(input);
        const perform = performers.get(system);
        if (!perform)
            throw new RestCallUnavailableError(call.method);
        return (await perform({ ...call, signal }));
    });
}
