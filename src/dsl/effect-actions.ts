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
import {
  emit,
  type ActionArgs,
  type ActionFunction,
  type EventObject,
  type MachineContext,
  type ParameterizedObject,
} from 'xstate';
import {
  EFFECT_EVENT,
  type Effect,
  type EffectEmitted,
  type Keyboard,
  type SayVia,
  type TypingStatus,
} from './effect';
import { isKeyboardBuilder, type KeyboardLike } from './keyboard';

/** What a machine emits through the effect actions; include it in a custom `emitted` type. */
export type BotEmitted = EffectEmitted;

/** The action an effect helper returns: usable anywhere an xstate action is. */
export type EffectAction<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
> = ActionFunction<
  TContext,
  TExpressionEvent,
  TEvent,
  TParams,
  never,
  never,
  never,
  never,
  EffectEmitted
>;

/** A value, or a function of the action's `{ context, event }` that computes it. */
export type ValueOrFn<
  T,
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TEvent extends EventObject,
> = T | ((args: ActionArgs<TContext, TExpressionEvent, TEvent>) => T);

export interface SayOptions<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TEvent extends EventObject,
> {
  /** Buttons under the message; sends through the bot messaging API. */
  keyboard?: ValueOrFn<KeyboardLike | undefined, TContext, TExpressionEvent, TEvent>;
  /** Bitrix24 ATTACH structure (rich blocks), passed through as is. */
  attach?: ValueOrFn<unknown, TContext, TExpressionEvent, TEvent>;
  /** Forces the API: `session` (`imopenlines.bot.session.message.send`) or `bot` (`imbot` messaging). */
  via?: SayVia;
}

/** Resolves a {@link ValueOrFn}. Internal. */
export function resolve<T, A>(value: T | ((args: A) => T), args: A): T {
  return typeof value === 'function' ? (value as (args: A) => T)(args) : value;
}

/** Wraps an effect builder as an emitting action. Internal. */
export function effectAction<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  build: (args: ActionArgs<TContext, TExpressionEvent, TEvent>) => Effect,
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return emit<TContext, TExpressionEvent, TParams, TEvent, EffectEmitted>((args) => ({
    type: EFFECT_EVENT,
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
export function say<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  text: ValueOrFn<string, TContext, TExpressionEvent, TEvent>,
  options: SayOptions<TContext, TExpressionEvent, TEvent> = {},
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  if (typeof text !== 'string' && typeof text !== 'function')
    throw new TypeError('say() needs a text or a function returning one');
  return effectAction((args) => {
    const resolved = resolve(text, args);
    if (typeof resolved !== 'string')
      throw new TypeError(`say(): the text function returned ${typeof resolved}, not a string`);
    const effect: Extract<Effect, { type: 'say' }> = { type: 'say', text: resolved };
    const kb = options.keyboard === undefined ? undefined : resolve(options.keyboard, args);
    if (kb !== undefined)
      effect.keyboard = isKeyboardBuilder(kb) ? kb.build() : (kb satisfies Keyboard);
    const attach = options.attach === undefined ? undefined : resolve(options.attach, args);
    if (attach !== undefined) effect.attach = attach;
    if (options.via !== undefined) effect.via = options.via;
    return effect;
  });
}

/**
 * Sends the open line's welcome message (`imopenlines.bot.session.message.send`, NAME=WELCOME).
 *
 * @example
 * on: { join: { actions: greet() } }
 */
export function greet<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return effectAction(() => ({ type: 'greet' }));
}

/** Options of {@link typing} (v2 bots; a v1 bot shows the plain indicator). */
export interface TypingOptions {
  /** Status text code, e.g. `IMBOT_AGENT_ACTION_SEARCHING`; default: "typing". */
  status?: TypingStatus;
  /** How long the indicator shows, 1 to 600 seconds (default: the portal's). */
  seconds?: number;
}

/**
 * Shows "bot is typing…" in the chat; a v2 bot can show a status ("searching…") for a duration.
 *
 * @example
 * entry: [typing({ status: 'IMBOT_AGENT_ACTION_SEARCHING', seconds: 20 }), say('Let me check…')]
 */
export function typing<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(options: TypingOptions = {}): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
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
export function toOperator<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return effectAction(() => ({ type: 'toOperator' }));
}

/** Where {@link transfer} sends the dialog: an operator (user id) or another line (line id). */
export type TransferTarget = { userId: number } | { lineId: number };

/**
 * Transfers the dialog to an operator or another open line (`imopenlines.bot.session.transfer`).
 *
 * @example
 * actions: transfer({ lineId: 3 }, { leave: true })
 */
export function transfer<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  to: ValueOrFn<TransferTarget, TContext, TExpressionEvent, TEvent>,
  options: { leave?: boolean } = {},
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return effectAction((args) => {
    const target = resolve(to, args);
    const id =
      target &&
      ('userId' in target ? target.userId : 'lineId' in target ? target.lineId : undefined);
    if (!Number.isInteger(id) || (id as number) <= 0) {
      throw new TypeError('transfer(): the target needs a positive integer userId or lineId');
    }
    const to2: TransferTarget =
      'userId' in target ? { userId: target.userId } : { lineId: target.lineId };
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
export function finish<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
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
export function callRest<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  method: string,
  params: ValueOrFn<Record<string, unknown>, TContext, TExpressionEvent, TEvent> = {},
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
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
