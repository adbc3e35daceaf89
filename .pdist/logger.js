"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLogger = createLogger;
exports.silentLogger = silentLogger;
/**
 * Structured JSON logs (pino). Every line passes through the secret redaction of `errors.ts`,
 * and keys that name secrets (`*token*`, `*secret*`, `auth`, `password`) are masked.
 */
const pino_1 = __importDefault(require("pino"));
const errors_1 = require("./errors");
/**
 * Creates the framework's logger.
 *
 * @example
 * const logger = createLogger({ level: 'debug' });
 * logger.info({ portal: 'abc', dialog: 'abc:571:1777' }, 'turn committed');
 */
function createLogger(options = {}) {
    return (0, pino_1.default)({
        level: options.level ?? process.env.LOG_LEVEL ?? 'info',
        base: undefined,
        formatters: {
            log: (obj) => (0, errors_1.redactValue)(obj),
        },
        hooks: {
            logMethod(args, method) {
                const redacted = args.map((a) => (typeof a === 'string' ? (0, errors_1.redact)(a) : a));
                method.apply(this, redacted);
            },
        },
        serializers: {
            err: (e) => (0, errors_1.redactValue)(e),
        },
    }, options.destination);
}
/** A logger that writes nothing (tests). */
function silentLogger() {
    return (0, pino_1.default)({ level: 'silent' });
}
