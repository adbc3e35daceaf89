"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.installShutdown = installShutdown;
/**
 * Installs the signal handlers and returns a function that removes them.
 *
 * @example
 * const server = createServer({ bots: [supportBot] });
 * await server.listen(3000);
 * installShutdown(server, { deadlineMs: 15_000 });
 */
function installShutdown(server, options = {}) {
    const deadlineMs = options.deadlineMs ?? 10_000;
    const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
    const exit = options.exit ?? ((code) => process.exit(code));
    const target = options.target ?? process;
    const logger = options.logger;
    let shuttingDown = false;
    const onSignal = (signal) => {
        if (shuttingDown) {
            logger?.warn({ signal }, 'second signal: exiting without draining');
            exit(1);
            return;
        }
        shuttingDown = true;
        logger?.info({ signal, deadlineMs }, 'shutting down: draining requests, turns and the outbox');
        // Last resort when close() itself hangs (a stuck store): never outlive the deadline by much.
        const hard = setTimeout(() => {
            logger?.error({ deadlineMs }, 'shutdown did not finish in time: exiting');
            exit(1);
        }, deadlineMs + 5000);
        hard.unref();
        server.close({ deadlineMs }).then(() => {
            clearTimeout(hard);
            logger?.info({}, 'shutdown complete');
            exit(0);
        }, (e) => {
            clearTimeout(hard);
            logger?.error({ err: e }, 'shutdown failed');
            exit(1);
        });
    };
    for (const s of signals)
        target.on(s, onSignal);
    return () => {
        for (const s of signals)
            target.off(s, onSignal);
    };
}
