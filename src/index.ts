/**
 * openlines-bot: Bitrix24 Open Lines chat bots as xstate machines.
 * Exports by name only; what is not exported here is internal.
 */

// -- errors --
export { OpenlinesError, ConfigError, isOpenlinesError, registerSecret, redact } from './errors';
export type { ErrorCode } from './errors';

// -- events --
export type * from './events/inbound-event';
export { isDialogEvent } from './events/inbound-event';

// -- bot authoring (commonly used) --
export { defineBot } from './dsl/define-bot';
export type {
  BotDefinition,
  BotOptions,
  BotProperties,
  FallbackArgs,
  FallbackOption,
  MigrateArgs,
  MigrateFn,
  SayViaOption,
} from './dsl/define-bot';
export { say, greet, typing, toOperator, transfer, finish, callRest } from './dsl/effect-actions';
export type { BotEmitted, EffectAction, SayOptions, TransferTarget, ValueOrFn } from './dsl/effect-actions';
export { keyboard } from './dsl/keyboard';
export type { ButtonOptions, KeyboardBuilder, KeyboardLike } from './dsl/keyboard';
export { textMatches, isCommand } from './dsl/guards';
export type { BotGuard } from './dsl/guards';
export { EFFECT_EVENT } from './dsl/effect';
export type { Effect, EffectEmitted, Keyboard, KeyboardButton, SayVia } from './dsl/effect';
export type * from './dsl/machine-events';

// -- storage --
export type * from './store/store';
export { dialogKeyOf } from './store/store';

// -- REST --
export type * from './bitrix/types';

// -- runtime --
export type { Clock } from './clock';
export { systemClock } from './clock';
