"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parsePromptAnswer = parsePromptAnswer;
exports.prompt = prompt;
/**
 * `prompt`: the "ask; validate; re-ask with its own text up to N times; then give up" loop every
 * form-like bot needs, as one nested state. The parsed value is stored in the context through a
 * typed `save` function; the count of wrong answers lives in the state value
 * (`<prompt>.waiting.attempt<N>`), so the context needs no counter.
 */
const xstate_1 = require("xstate");
const effect_actions_1 = require("./effect-actions");
function isSchema(p) {
    return typeof p === 'object' && p !== null && typeof p.safeParse === 'function';
}
/**
 * Parses a message with a prompt's parser: the value, or `undefined` when it is wrong.
 *
 * @example
 * parsePromptAnswer(z.string().email(), event); // 'anna@example.com' or undefined
 */
function parsePromptAnswer(parser, event) {
    if (event.type !== 'message')
        return undefined;
    if (isSchema(parser)) {
        const r = parser.safeParse(event.text);
        return r.success ? r.data : undefined;
    }
    return parser(event.text, event);
}
function transition(t, before) {
    if (typeof t === 'string')
        return { target: t, actions: [...before] };
    const actions = t.actions === undefined ? [] : Array.isArray(t.actions) ? t.actions : [t.actions];
    return { ...t, actions: [...before, ...actions] };
}
/**
 * A nested state that asks a question, validates the answer (a zod schema or a parse function),
 * re-asks with its own text up to `retries` times, then goes to `fail`. A valid answer is stored
 * with `save` (typed by the parser) and goes to `done`. While it waits, `message` transitions run
 * first (hand-off, cancel), a button press asks again, and `idle` bounds the silence; each wrong
 * answer restarts the idle delay. The state value shows the attempt: `phone.waiting.attempt1`.
 *
 * @example
 * const machine = setup({ types: { context: {} as { phone?: string }, events: {} as BotEvent, input: {} as DialogInput } })
 *   .createMachine({
 *     id: 'form',
 *     context: {},
 *     initial: 'phone',
 *     states: {
 *       phone: prompt({
 *         ask: 'What phone number can we call you on?',
 *         retry: 'Please use digits, e.g. +49 30 1234567.',
 *         parse: z.string().trim().regex(/^\+?[\d\s()-]{7,20}$/),
 *         save: ({ value }) => ({ phone: value }),
 *         done: '#form.thanks',
 *         fail: '#form.operator',
 *         idle: { after: 600_000, target: '#form.bye' },
 *       }),
 *       thanks: { type: 'final', entry: say('Thank you!') },
 *       operator: { type: 'final', entry: toOperator() },
 *       bye: { type: 'final' },
 *     },
 *   });
 */
function prompt(options) {
    const retries = options.retries ?? 2;
    if (!Number.isInteger(retries) || retries < 0 || retries > 20)
        throw new TypeError('prompt(): retries must be an integer from 0 to 20');
    if (typeof options.parse !== 'function' && !isSchema(options.parse))
        throw new TypeError('prompt(): parse must be a zod schema (safeParse) or a function');
    const { parse, save } = options;
    const ask = (0, effect_actions_1.say)(options.ask, {
        ...(options.keyboard !== undefined ? { keyboard: options.keyboard } : {}),
    });
    const retry = (0, effect_actions_1.say)(options.retry);
    const validAnswer = ({ event }) => parsePromptAnswer(parse, event) !== undefined;
    const store = save
        ? [
            (0, xstate_1.assign)(({ context, event }) => save({
                context,
                value: parsePromptAnswer(parse, event),
                event: event,
            })),
        ]
        : [];
    const attempt = (n) => `attempt${n}`;
    const states = {};
    for (let n = 0; n <= retries; n++) {
        states[attempt(n)] = {
            ...(options.idle ? { after: { [options.idle.after]: options.idle.target } } : {}),
            on: {
                message: [
                    ...(options.message ?? []),
                    { guard: validAnswer, ...transition(options.done, store) },
                    n < retries ? { target: attempt(n + 1), actions: retry } : transition(options.fail, []),
                ],
                command: [...(options.command ?? []), { target: attempt(n), reenter: true, actions: ask }],
            },
        };
    }
    const entry = options.entry === undefined
        ? [ask]
        : [...(Array.isArray(options.entry) ? options.entry : [options.entry]), ask];
    return {
        entry,
        initial: 'waiting',
        states: { waiting: { initial: attempt(0), states } },
    };
}
