"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EventValidationError = void 0;
exports.eventIssue = eventIssue;
exports.isEventValidationError = isEventValidationError;
const errors_1 = require("../errors");
/** At most this many issues are kept: a hostile body must not produce a huge error. */
const MAX_ISSUES = 50;
/** Path segments come from attacker-chosen keys; long ones are cut for logs. */
const MAX_SEGMENT = 64;
function cutSegment(seg) {
    if (typeof seg !== 'string' || seg.length <= MAX_SEGMENT)
        return seg;
    return `${seg.slice(0, MAX_SEGMENT)}…(${seg.length} chars)`;
}
function sanitize(issue) {
    // `input` may hold a token; zod leaves it out by default but a caller might not.
    const { input: _input, ...rest } = issue;
    return { ...rest, path: issue.path.map(cutSegment) };
}
function describe(issue) {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    return `${where}: ${issue.message}`;
}
/**
 * Builds a decoder issue (not from zod) with the same shape as a zod `custom` issue.
 *
 * @example
 * throw new EventValidationError([eventIssue('expected a JSON object', ['body'])]);
 */
function eventIssue(message, path = []) {
    return { code: 'custom', message, path };
}
/**
 * An inbound event body is malformed or does not match the schema of its event type.
 * `issues` are zod issues (decoder problems use `code: 'custom'`); no value from the body is
 * copied into the message, so tokens cannot leak through it.
 *
 * @example
 * try { parseEventBody({ body, contentType }) }
 * catch (e) { if (isEventValidationError(e)) res.status(400).json(e.toJSON()) }
 */
class EventValidationError extends errors_1.OpenlinesError {
    issues;
    /** The `event` field of the body, when it could be read. */
    eventType;
    constructor(issues, options = {}) {
        const kept = issues.slice(0, MAX_ISSUES).map(sanitize);
        const head = options.eventType ? `Invalid ${options.eventType} event` : 'Invalid event body';
        const more = issues.length > kept.length ? `\n  … and ${issues.length - kept.length} more` : '';
        super('EVENT_VALIDATION', `${head}:\n${kept.map((i) => `  - ${describe(i)}`).join('\n')}${more}`, options.cause !== undefined ? { cause: options.cause } : undefined);
        this.issues = kept;
        if (options.eventType !== undefined)
            this.eventType = options.eventType;
    }
    toJSON() {
        return {
            ...super.toJSON(),
            ...(this.eventType !== undefined ? { eventType: this.eventType } : {}),
            issues: (0, errors_1.redactValue)(this.issues),
        };
    }
}
exports.EventValidationError = EventValidationError;
/**
 * True for an {@link EventValidationError}, even across duplicated module copies.
 *
 * @example
 * if (isEventValidationError(e)) console.log(e.issues.map((i) => i.path.join('.')))
 */
function isEventValidationError(e) {
    return (typeof e === 'object' &&
        e !== null &&
        e.isOpenlinesError === true &&
        e.code === 'EVENT_VALIDATION');
}
