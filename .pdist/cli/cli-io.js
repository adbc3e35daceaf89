"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UsageError = void 0;
exports.processIo = processIo;
exports.writeLines = writeLines;
/** Wrong command-line usage: printed with a hint to `--help`, exit code 2. */
class UsageError extends Error {
    name = 'UsageError';
}
exports.UsageError = UsageError;
/**
 * The process's own streams, environment and working directory.
 *
 * @example
 * const code = await runCli({ argv: ['diagram', 'bots/support'], io: processIo() });
 */
function processIo() {
    return {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        cwd: process.cwd(),
    };
}
/**
 * Writes lines to a stream, each ended by a newline.
 *
 * @example
 * writeLines(io.stdout, ['bot: Hello!', '  1) Order status']);
 */
function writeLines(stream, lines) {
    if (lines.length > 0)
        stream.write(`${lines.join('\n')}\n`);
}
