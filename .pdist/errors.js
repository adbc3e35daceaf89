"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = exports.OpenlinesError = void 0;
exports.registerSecret = registerSecret;
exports.redact = redact;
exports.redactValue = redactValue;
exports.isOpenlinesError = isOpenlinesError;
/**
 * Errors of the framework. Every error is an {@link OpenlinesError} with a stable `code`,
 * split by who failed: Bitrix24 refused (`ApiError`), the network failed (`HttpError`),
 * the input was bad (`EventValidationError`, `ConfigError`), a bot's machine threw (`TurnError`),
 * storage failed (`StoreError`).
 *
 * Messages, `toJSON()` and `util.inspect` output never contain secrets: whatever is registered
 * with {@link registerSecret} (webhook secrets, tokens, client secrets) is replaced by `***`.
 */
const node_util_1 = require("node:util");
const secrets = new Set();
/** Marks a string as secret: from now on it is replaced by `***` in every framework error and log line. */
function registerSecret(secret) {
    if (typeof secret === 'string' && secret.length >= 4)
        secrets.add(secret);
}
/** Replaces every registered secret (and their percent-encoded forms) found in `text` by `***`. */
function redact(text) {
    let out = text;
    for (const s of secrets) {
        if (out.includes(s))
            out = out.split(s).join('***');
        const enc = encodeURIComponent(s);
        if (enc !== s && out.includes(enc))
            out = out.split(enc).join('***');
    }
    return out;
}
/** Keys whose string values are always masked in logs, whatever their content. */
const SECRET_KEY = /token|secret|password|^auth$|^access_token$|^client_id$|^clientId$/i;
/** Recursively redacts strings inside a JSON-like value (for logs). Errors become plain objects. */
function redactValue(value, depth = 0) {
    if (depth > 8)
        return value;
    if (typeof value === 'string')
        return redact(value);
    if (Array.isArray(value))
        return value.map((v) => redactValue(v, depth + 1));
    if (value instanceof Error) {
        const json = typeof value.toJSON === 'function' ? value.toJSON() : undefined;
        const plain = json && typeof json === 'object' ? json : { name: value.name, message: value.message, stack: value.stack };
        return redactValue(plain, depth + 1);
    }
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '***' : redactValue(v, depth + 1);
        }
        return out;
    }
    return value;
}
/**
 * Base class of every error the framework throws.
 *
 * @example
 * try { await client.call('imbot.message.add', params) }
 * catch (e) { if (isOpenlinesError(e) && e.code === 'API_ERROR') console.log(e.toJSON()) }
 */
class OpenlinesError extends Error {
    code;
    /** Marker that survives realms and duplicated module copies (see {@link isOpenlinesError}). */
    isOpenlinesError = true;
    constructor(code, message, options) {
        super(redact(message));
        this.code = code;
        this.name = new.target.name;
        if (options && 'cause' in options) {
            // Kept non-enumerable so that it does not show up in JSON or inspect output by accident.
            Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true });
        }
        if (this.stack)
            this.stack = redact(this.stack);
    }
    /** A plain, secret-free description of the error. */
    toJSON() {
        return redactValue({ name: this.name, code: this.code, message: this.message });
    }
    [node_util_1.inspect.custom]() {
        return redact(`${this.name} [${this.code}]: ${this.message}\n${JSON.stringify(this.toJSON())}`);
    }
}
exports.OpenlinesError = OpenlinesError;
/** True for any framework error, even across duplicated module copies. */
function isOpenlinesError(e) {
    return typeof e === 'object' && e !== null && e.isOpenlinesError === true;
}
/** Configuration is wrong: one line per problem in `problems`. */
class ConfigError extends OpenlinesError {
    problems;
    constructor(problems, context = 'Invalid configuration') {
        super('CONFIG', `${context}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
        this.problems = problems.map(redact);
    }
    toJSON() {
        return { ...super.toJSON(), problems: this.problems };
    }
}
exports.ConfigError = ConfigError;
