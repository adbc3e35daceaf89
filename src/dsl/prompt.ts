/**
 * `prompt`: the "ask; validate; re-ask with its own text up to N times; then give up" loop every
 * form-like bot needs, as one nested state. The parsed value is stored in the context through a
 * typed `save` function; the count of wrong answers lives in the state value
 * (`<prompt>.waiting.attempt<N>`), so the context needs no counter.
 */
import { assign, type MachineContext } from 'xstate';
import { say, type ValueOrFn } from './effect-actions';
import type { KeyboardLike } from './keyboard';
import type { BotEvent, MessageBotEvent } from './machine-events';

/** A schema with zod's `safeParse` (zod 3 and 4, or anything shaped like it). */
export interface PromptSchema<TValue> {
  safeParse(input: unknown): { success: true; data: TValue } | { success: false };
}

/** How the client's text becomes a value: a schema, or a function returning `undefined` to refuse. */
export type PromptParser<TValue> =
  PromptSchema<TValue> | ((text: string, event: MessageBotEvent) => TValue | undefined);

/**
 * A transition the prompt takes: a target (a state id such as `'#form.phone'`, since the prompt's
 * own states sit between), or a target with actions.
 */
export type PromptTransition =
  | string
  // The actions and guards are the author's own, checked by the machine they end up in.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { target: string; actions?: any; reenter?: boolean };

/** Options of {@link prompt}. */
export interface PromptOptions<TContext extends MachineContext, TValue> {
  /** The question, said when the prompt starts (and again when a button is pressed meanwhile). */
  ask: ValueOrFn<string, TContext, BotEvent, BotEvent>;
  /** Buttons under the question. */
  keyboard?: ValueOrFn<KeyboardLike | undefined, TContext, BotEvent, BotEvent>;
  /** Said after a wrong answer, instead of the question. */
  retry: ValueOrFn<string, TContext, BotEvent, BotEvent>;
  /** Validates and converts the text: a zod schema (`safeParse`) or a function (`undefined` = wrong). */
  parse: PromptParser<TValue>;
  /** Stores the value: the context fields to change. */
  save?: (args: { context: TContext; value: TValue; event: MessageBotEvent }) => Partial<TContext>;
  /** Wrong answers that get `retry` before the prompt gives up (the next one goes to `fail`). Default 2. */
  retries?: number;
  /** Where a valid answer goes (after `save`). */
  done: PromptTransition;
  /** Where the prompt goes at the wrong answer after the last retry. */
  fail: PromptTransition;
  /** Silence limit: the state to go to after `after` (ms or a named delay) without an answer. */
  idle?: { after: number | string; target: string };
  /** Actions run when the prompt starts, before the question. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entry?: any;
  /**
   * Transitions tried on every message before the text is parsed, in order (e.g. the client asks
   * for an operator or cancels): `{ guard: 'asksForOperator', target: '#bot.handoff' }`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  message?: readonly any[];
  /**
   * Transitions tried on a `command` (a button or a slash command) while the prompt waits; a
   * command none of them takes asks the question again.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  command?: readonly any[];
}

/**
 * The state config {@link prompt} returns: put it under a state key of any bot machine. Its
 * actions and guards are built for the machine's context type; the machine checks the rest.
 */
export interface PromptStateConfig<TContext extends MachineContext> {
  // The xstate config types are tied to one machine's actors and actions; these fit any machine.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly entry: any;
  readonly initial: 'waiting';
  readonly states: {
    readonly waiting: {
      readonly initial: string;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      readonly states: Record<string, any>;
    };
  };
  /** Carries the context type (never set). */
  readonly __context?: (context: TContext) => void;
}

function isSchema<T>(p: PromptParser<T>): p is PromptSchema<T> {
  return typeof p === 'object' && p !== null && typeof p.safeParse === 'function';
}

/**
 * Parses a message with a prompt's parser: the value, or `undefined` when it is wrong.
 *
 * @example
 * parsePromptAnswer(z.string().email(), event); // 'anna@example.com' or undefined
 */
export function parsePromptAnswer<TValue>(
  parser: PromptParser<TValue>,
  event: BotEvent,
): TValue | undefined {
  if (event.type !== 'message') return undefined;
  if (isSchema(parser)) {
    const r = parser.safeParse(event.text);
    return r.success ? r.data : undefined;
  }
  return parser(event.text, event);
}

function transition(t: PromptTransition, before: readonly unknown[]) {
  if (typeof t === 'string') return { target: t, actions: [...before] };
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
export function prompt<TContext extends MachineContext, TValue>(
  options: PromptOptions<TContext, TValue>,
): PromptStateConfig<TContext> {
  const retries = options.retries ?? 2;
  if (!Number.isInteger(retries) || retries < 0 || retries > 20)
    throw new TypeError('prompt(): retries must be an integer from 0 to 20');
  if (typeof options.parse !== 'function' && !isSchema(options.parse))
    throw new TypeError('prompt(): parse must be a zod schema (safeParse) or a function');
  const { parse, save } = options;
  const ask = say<TContext, BotEvent, undefined, BotEvent>(options.ask, {
    ...(options.keyboard !== undefined ? { keyboard: options.keyboard } : {}),
  });
  const retry = say<TContext, BotEvent, undefined, BotEvent>(options.retry);
  const validAnswer = ({ event }: { event: BotEvent }) =>
    parsePromptAnswer(parse, event) !== undefined;
  const store = save
    ? [
        assign<TContext, BotEvent, undefined, BotEvent, never>(({ context, event }) =>
          save({
            context,
            value: parsePromptAnswer(parse, event) as TValue,
            event: event as MessageBotEvent,
          }),
        ),
      ]
    : [];
  const attempt = (n: number) => `attempt${n}`;
  const states: Record<string, unknown> = {};
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
  const entry =
    options.entry === undefined
      ? [ask]
      : [...(Array.isArray(options.entry) ? options.entry : [options.entry]), ask];
  return {
    entry,
    initial: 'waiting',
    states: { waiting: { initial: attempt(0), states } },
  };
}
