"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_EVENT_BODY_BYTES = void 0;
exports.parseEventBody = parseEventBody;
/**
 * The entry point for webhook bodies: form-encoded (what Bitrix24 sends) or JSON (what some v2
 * docs show), v1 or v2, to one {@link InboundEvent}.
 */
const event_validation_error_1 = require("./event-validation-error");
const json_guard_1 = require("./json-guard");
const map_wire_event_1 = require("./map-wire-event");
const php_form_1 = require("./php-form");
/** Default of {@link ParseEventBodyOptions.maxBytes}. */
exports.MAX_EVENT_BODY_BYTES = 1_048_576;
function isJson(contentType, text) {
    const type = contentType?.split(';', 1)[0]?.trim().toLowerCase();
    if (type === 'application/x-www-form-urlencoded')
        return false;
    if (type === 'application/json' || type?.endsWith('+json'))
        return true;
    return /^\s*\{/.test(text.slice(0, 64));
}
function parseJson(text, limits) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)('body is not valid JSON')]);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)('expected a JSON object')]);
    }
    (0, json_guard_1.guardJson)(value, limits);
    return value;
}
/**
 * Decodes, validates and normalizes one Bitrix24 event request body. Numbers and flags that
 * arrive as strings are coerced; unknown fields are ignored. Does not check the application
 * token: compare `event.applicationToken` with {@link verifyApplicationToken}.
 *
 * @throws {EventValidationError} for anything malformed: encoding, limits, unsafe keys,
 *   unknown event type, missing or wrong fields.
 * @example
 * const event = parseEventBody({ body: req.body, contentType: req.headers['content-type'] });
 * if (!verifyApplicationToken(stored.applicationToken, event.applicationToken)) return res.sendStatus(401);
 */
function parseEventBody(options) {
    const { body, contentType, limits } = options;
    const maxBytes = options.maxBytes ?? exports.MAX_EVENT_BODY_BYTES;
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    if (size > maxBytes)
        throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)(`body larger than ${maxBytes} bytes`)]);
    if (size === 0)
        throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)('body is empty')]);
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const raw = isJson(contentType, text) ? parseJson(text, limits) : (0, php_form_1.decodePhpForm)(text, limits);
    return (0, map_wire_event_1.mapWireEvent)(raw, { delivery: 'webhook', portal: options.portal });
}
