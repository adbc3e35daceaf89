"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkApplicationToken = checkApplicationToken;
exports.matchApplicationToken = matchApplicationToken;
exports.createTokenMatcher = createTokenMatcher;
/**
 * Which `auth[application_token]` an event must carry. Only the TOP-LEVEL token counts (the one
 * inside `data[BOT][id]` / `data.bot.auth` is not proof of anything, README trap 2).
 */
const errors_1 = require("../errors");
const verify_application_token_1 = require("../events/verify-application-token");
/**
 * True when the event's top-level application token is one this portal may send. Compares in
 * constant time against every candidate (no early exit that would tell which one was close).
 *
 * @example
 * if (!(await checkApplicationToken({ event, policy: { kind: 'stored' }, store }))) return res.status(401).end();
 */
async function checkApplicationToken(options) {
    return (await matchApplicationToken(options)) !== undefined;
}
/**
 * Which form the event's application token matched (`CLIENT_ID`, `custom+bot token`...; `stored`
 * in app mode, `token` for an unnamed static token), or undefined when none did. Every candidate
 * is compared, in constant time, whatever matched first. Never returns the token itself.
 *
 * @example
 * const form = await matchApplicationToken({ event, policy, store });
 * if (form === undefined) return res.status(401).end();
 */
async function matchApplicationToken(options) {
    return createTokenMatcher(options.policy)(options.event, options.store);
}
/** Every candidate is compared, whatever matched first; the received token is hashed once. */
function firstMatch(candidates, actual) {
    const given = (0, verify_application_token_1.tokenDigest)(actual);
    let matched;
    for (let i = 0; i < candidates.length; i++) {
        const candidate = candidates[i];
        const match = candidate.token !== '' && (0, verify_application_token_1.sameTokenDigest)((0, verify_application_token_1.expectedDigest)(candidate.token), given);
        if (match && matched === undefined)
            matched = candidate.form;
    }
    return matched;
}
/**
 * {@link matchApplicationToken} with the policy's candidates prepared once: a `static` policy
 * answers synchronously (no store read), a `stored` one reads the portal record.
 *
 * @example
 * const match = createTokenMatcher({ kind: 'static', tokens: ['t0k3n'] });
 * const form = await match(event, store); // 'token', or undefined
 */
function createTokenMatcher(policy) {
    if (policy.kind === 'static') {
        const candidates = [
            ...(policy.forms ?? []),
            ...policy.tokens
                .filter((t) => !policy.forms?.some((f) => f.token === t))
                .map((token) => ({ form: 'token', token })),
        ];
        return (event) => {
            const actual = event.applicationToken;
            if (typeof actual !== 'string' || actual === '')
                return undefined;
            return firstMatch(candidates, actual);
        };
    }
    return async (event, store) => {
        const actual = event.applicationToken;
        if (typeof actual !== 'string' || actual === '')
            return undefined;
        const record = await store.getPortal(event.portal.memberId);
        // Tokens loaded from the store after a restart must be redacted from logs too.
        (0, errors_1.registerSecret)(record?.applicationToken);
        return firstMatch(record?.applicationToken ? [{ form: 'stored', token: record.applicationToken }] : [], actual);
    };
}
