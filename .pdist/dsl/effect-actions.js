"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolve = resolve;
exports.effectAction = effectAction;
exports.say = say;
exports.greet = greet;
exports.typing = typing;
exports.toOperator = toOperator;
exports.transfer = transfer;
exports.finish = finish;
exports.callRest = callRest;
/**
 * The effect actions bot authors put in their machines: `entry: [say('Hi'), toOperator()]`.
 * Each is an xstate `emit` of `{ type: EFFECT_EVENT, effect }`; the runtime collects the emitted
 * effects, commits them with the dialog's state and the outbox dispatcher sends them, in order.
 * Nothing here does I/O.
 *
 * Machines built with `setup({ types: { context, events: {} as BotEvent, input: {} as DialogInput } })`
 * need no `emitted` declaration. A machine that declares its own `emitted` type must include
 * {@link BotEmitted} in it (`emitted: {} as BotEmitted | MyEvent`).
 *
 * The runtime collects what the root machine emits: effect actions inside invoked or spawned child
 * machines are not sent (let the child report back to the parent, and `say` there).
 */
const xstate_1 = require("xstate");
const effect_1 = require("./effect");
const keyboard_1 = require("./keyboard");
/** Resolves a {@link ValueOrFn}. Internal. */
function resolve(value, args) {
    return typeof value === 'function' ? value(args) : value;
}
/** Wraps an effect builder as an emitting action. Internal. */
function effectAction(build) {
    return (0, xstate_1.emit)((args) => ({
        type: effect_1.EFFECT_EVENT,
        effect: build(args),
    }));
}
/**
 * Replies in the chat. Plain text goes through `imopenlines.bot.session.message.send`; with a
 * keyboard or an attachment (or `via: 'bot'`) it goes through the bot messaging API.
 *
 * @example
 * entry: [say(({ context }) => `Hello, ${context.name}!`, { keyboard: menu })]
 */
function say(text, options = {}) {
    if (typeof text !== 'string' && typeof text !== 'function')
        throw new TypeError('say() needs a text or a function returning one');
    return effectAction((args) => {
        const resolved = resolve(text, args);
        if (typeof resolved !== 'string')
            throw new TypeError(`say(): the text function returned ${typeof resolved}, not a string`);
        const effect = { type: 'say', text: resolved };
        const kb = options.keyboard === undefined ? undefined : resolve(options.keyboard, args);
        if (kb !== undefined)
            effect.keyboard = (0, keyboard_1.isKeyboardBuilder)(kb) ? kb.build() : kb;
        const attach = options.attach === undefined ? undefined : resolve(options.attach, args);
        if (attach !== undefined)
            effect.attach = attach;
        if (options.via !== undefined)
            effect.via = options.via;
        return effect;
    });
}
/**
 * Sends the open line's welcome message (`imopenlines.bot.session.message.send`, NAME=WELCOME).
 *
 * @example
 * on: { join: { actions: greet() } }
 */
function greet() {
    return effectAction(() => ({ type: 'greet' }));
}
/**
 * Shows "bot is typing…" in the chat; a v2 bot can show a status ("searching…") for a duration.
 *
 * @example
 * entry: [typing({ status: 'IMBOT_AGENT_ACTION_SEARCHING', seconds: 20 }), say('Let me check…')]
 */
function typing(options = {}) {
    const { status, seconds } = options;
    if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 1 || seconds > 600))
        throw new TypeError('typing(): seconds must be an integer from 1 to 600');
    return effectAction(() => ({
        type: 'typing',
        ...(status !== undefined ? { status } : {}),
        ...(seconds !== undefined ? { durationSeconds: seconds } : {}),
    }));
}
/**
 * Hands the dialog to the line's operators (`imopenlines.bot.session.operator`).
 *
 * @example
 * on: { command: { guard: isCommand('operator'), actions: [say('Connecting you…'), toOperator()] } }
 */
function toOperator() {
    return effectAction(() => ({ type: 'toOperator' }));
}
/**
 * Transfers the dialog to an operator or another open line (`imopenlines.bot.session.transfer`).
 *
 * @example
 * actions: transfer({ lineId: 3 }, { leave: true })
 */
function transfer(to, options = {}) {
    return effectAction((args) => {
        const target = resolve(to, args);
        const id = target &&
            ('userId' in target ? target.userId : 'lineId' in target ? target.lineId : undefined);
        if (!Number.isInteger(id) || id <= 0) {
            throw new TypeError('transfer(): the target needs a positive integer userId or lineId');
        }
        const to2 = 'userId' in target ? { userId: target.userId } : { lineId: target.lineId };
        return options.leave === undefined
            ? { type: 'transfer', to: to2 }
            : { type: 'transfer', to: to2, leave: options.leave };
    });
}
/**
 * Closes the open-line session (`imopenlines.bot.session.finish`).
 *
 * @example
 * done: { entry: [say('Bye!'), finish()], type: 'final' }
 */
function finish() {
    return effectAction(() => ({ type: 'finish' }));
}
/**
 * Any other REST call (e.g. `crm.lead.add`), sent through the same ordered outbox. Its result does
 * not come back to the machine; a refusal arrives as an `effect.failed` event. When the flow needs
 * the result, invoke `fromRestCall()` instead.
 *
 * @example
 * actions: callRest('crm.lead.add', ({ context }) => ({ fields: { TITLE: context.topic } }))
 */
function callRest(method, params = {}) {
    if (typeof method !== 'string' || !/^[a-z][a-z0-9_.]*$/i.test(method)) {
        throw new TypeError(`callRest(): "${String(method)}" is not a REST method name`);
    }
    return effectAction((args) => {
        const resolved = resolve(params, args);
        if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved)) {
            throw new TypeError(`callRest(${method}): params must be an object`);
        }
        return { type: 'call', method, params: resolved };
    });
}
