"use strict";
/**
 * Effect descriptors: what a bot's machine asks the framework to do. Machines never do this I/O
 * themselves; the effect actions (`say`, `greet`, `typing`, `toOperator`, `transfer`, `finish`)
 * emit these descriptors, the runtime commits them with the dialog's state and the outbox
 * dispatcher turns each into one Bitrix24 REST call, in emitted order.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.EFFECT_EVENT = void 0;
/** The type of the xstate emitted event that carries an effect. */
exports.EFFECT_EVENT = 'openlines.effect';
