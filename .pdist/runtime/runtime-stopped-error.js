"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RuntimeStoppedError = void 0;
/**
 * Thrown by `runtime.accept()` after `stop()`: the event was NOT recorded, so it must not be
 * acknowledged (answer 503 and let the sender retry, or do not advance the fetch offset).
 */
const errors_1 = require("../errors");
/**
 * The runtime no longer accepts events.
 *
 * @example
 * try { await runtime.accept(events) } catch (e) { if (e instanceof RuntimeStoppedError) res.status(503).end() }
 */
class RuntimeStoppedError extends errors_1.OpenlinesError {
    constructor() {
        // No dedicated error code exists yet; CONFIG is the closest "used wrongly" code.
        super('RUNTIME_STOPPED', 'the runtime is stopped and accepts no more events');
    }
}
exports.RuntimeStoppedError = RuntimeStoppedError;
