"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TurnError = void 0;
/**
 * `TurnError`: a bot's machine threw, errored or did not settle in time while processing one
 * event of one dialog. Only that dialog is affected: it gets the fallback, the event is consumed.
 */
const errors_1 = require("../errors");
/**
 * The machine of one dialog failed during a turn.
 *
 * @example
 * logger.error({ err: new TurnError({ dialogKey, botCode: 'support', reason: 'timeout', message: 'turn did not settle in 10000 ms' }) }, 'turn failed');
 */
class TurnError extends errors_1.OpenlinesError {
    dialogKey;
    botCode;
    reason;
    constructor(options) {
        super('TURN_ERROR', `dialog ${options.dialogKey} (bot ${options.botCode}): ${options.message}`, { cause: options.cause });
        this.dialogKey = options.dialogKey;
        this.botCode = options.botCode;
        this.reason = options.reason;
    }
    toJSON() {
        return {
            ...super.toJSON(),
            dialogKey: this.dialogKey,
            botCode: this.botCode,
            reason: this.reason,
        };
    }
}
exports.TurnError = TurnError;
