/**
 * Thrown by `runtime.accept()` after `stop()`: the event was NOT recorded, so it must not be
 * acknowledged (answer 503 and let the sender retry, or do not advance the fetch offset).
 */
import { OpenlinesError } from '../errors';

/**
 * The runtime no longer accepts events.
 *
 * @example
 * try { await runtime.accept(events) } catch (e) { if (e instanceof RuntimeStoppedError) res.status(503).end() }
 */
export class RuntimeStoppedError extends OpenlinesError {
  constructor() {
    // No dedicated error code exists yet; CONFIG is the closest "used wrongly" code.
    super('RUNTIME_STOPPED', 'the runtime is stopped and accepts no more events');
  }
}
