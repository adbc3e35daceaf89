/**
 * `TurnError`: a bot's machine threw, errored or did not settle in time while processing one
 * event of one dialog. Only that dialog is affected: it gets the fallback, the event is consumed.
 */
import { OpenlinesError } from '../errors';

/** Why a turn failed. */
export type TurnFailure = 'error' | 'timeout';

/**
 * The machine of one dialog failed during a turn.
 *
 * @example
 * logger.error({ err: new TurnError({ dialogKey, botCode: 'support', reason: 'timeout', message: 'turn did not settle in 10000 ms' }) }, 'turn failed');
 */
export class TurnError extends OpenlinesError {
  readonly dialogKey: string;
  readonly botCode: string;
  readonly reason: TurnFailure;

  constructor(options: {
    dialogKey: string;
    botCode: string;
    reason: TurnFailure;
    message: string;
    cause?: unknown;
  }) {
    super(
      'TURN_ERROR',
      `dialog ${options.dialogKey} (bot ${options.botCode}): ${options.message}`,
      { cause: options.cause },
    );
    this.dialogKey = options.dialogKey;
    this.botCode = options.botCode;
    this.reason = options.reason;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      dialogKey: this.dialogKey,
      botCode: this.botCode,
      reason: this.reason,
    };
  }
}
