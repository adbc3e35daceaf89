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

// -- bot authoring --
export type { Effect, Keyboard, KeyboardButton, SayVia } from './dsl/effect';
export type * from './dsl/machine-events';

// -- storage --
export type * from './store/store';
export { dialogKeyOf } from './store/store';

// -- REST --
export type * from './bitrix/types';

// -- runtime --
export type { Clock } from './clock';
export { systemClock } from './clock';
