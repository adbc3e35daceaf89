"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseInstallRequest = parseInstallRequest;
/**
 * The two shapes an OAuth application's installation reaches us in:
 * - the installation callback / `ONAPPINSTALL` POST of a script-only app: `auth[access_token]`,
 *   `auth[refresh_token]`, `auth[application_token]`, `auth[member_id]`, ... (PHP form or JSON);
 * - the installer page of an app with a UI, opened by Bitrix24 in a frame: `AUTH_ID`,
 *   `REFRESH_ID`, `AUTH_EXPIRES`, `member_id`, `SERVER_ENDPOINT` in the POST body and `DOMAIN`,
 *   `PROTOCOL` in the query. It carries no application token; that comes with `ONAPPINSTALL`.
 */
const zod_1 = require("zod");
const event_validation_error_1 = require("../events/event-validation-error");
const php_form_1 = require("../events/php-form");
const errors_1 = require("../errors");
const token = zod_1.z.string().min(8).max(1024);
const installSchema = zod_1.z.object({
    memberId: zod_1.z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'member_id: letters, digits, "_", "-", "." only' }),
    domain: zod_1.z
        .string()
        .regex(/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/, { error: 'domain: not a host name' }),
    clientEndpoint: zod_1.z.url({ protocol: /^https?$/ }),
    serverEndpoint: zod_1.z.url({ protocol: /^https?$/ }).optional(),
    accessToken: token,
    refreshToken: token,
    expiresAt: zod_1.z.number().int().positive().optional(),
    scope: zod_1.z.string().max(2000).optional(),
    applicationToken: token.optional(),
});
function str(v) {
    if (typeof v === 'number')
        return String(v);
    return typeof v === 'string' && v !== '' ? v : undefined;
}
function num(v) {
    const s = str(v);
    if (s === undefined || !/^\d{1,12}$/.test(s))
        return undefined;
    return Number(s);
}
function decode(body, contentType) {
    const text = body.toString('utf8');
    if (contentType?.includes('json')) {
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)('body is not valid JSON')]);
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)('body must be a JSON object')]);
        return parsed;
    }
    return (0, php_form_1.decodePhpForm)(text);
}
/**
 * Parses an installation request. Throws `EventValidationError` (with issues) when it is neither shape.
 *
 * @example
 * const { input, ui } = parseInstallRequest({ body, contentType: req.headers['content-type'], query: req.query });
 */
function parseInstallRequest(options) {
    const form = decode(options.body, options.contentType);
    const query = options.query ?? {};
    const auth = form.auth;
    let candidate;
    let ui = false;
    if (auth && typeof auth === 'object' && !Array.isArray(auth)) {
        const a = auth;
        const expires = num(a.expires);
        const expiresIn = num(a.expires_in);
        candidate = {
            memberId: str(a.member_id),
            domain: str(a.domain),
            clientEndpoint: str(a.client_endpoint) ?? (str(a.domain) ? `https://${str(a.domain)}/rest/` : undefined),
            serverEndpoint: str(a.server_endpoint),
            accessToken: str(a.access_token),
            refreshToken: str(a.refresh_token),
            expiresAt: expires !== undefined
                ? expires * 1000
                : expiresIn !== undefined
                    ? options.now + expiresIn * 1000
                    : undefined,
            scope: str(a.scope),
            applicationToken: str(a.application_token),
        };
    }
    else {
        ui = true;
        const domain = str(form.DOMAIN) ?? str(query.DOMAIN);
        const protocol = str(form.PROTOCOL) ?? str(query.PROTOCOL);
        const expiresIn = num(form.AUTH_EXPIRES);
        candidate = {
            memberId: str(form.member_id),
            domain,
            clientEndpoint: domain
                ? `${protocol === '0' ? 'http' : 'https'}://${domain}/rest/`
                : undefined,
            serverEndpoint: str(form.SERVER_ENDPOINT),
            accessToken: str(form.AUTH_ID),
            refreshToken: str(form.REFRESH_ID),
            expiresAt: expiresIn !== undefined ? options.now + expiresIn * 1000 : undefined,
        };
    }
    for (const k of ['accessToken', 'refreshToken', 'applicationToken'])
        (0, errors_1.registerSecret)(candidate[k]);
    for (const k of Object.keys(candidate))
        if (candidate[k] === undefined)
            delete candidate[k];
    const parsed = installSchema.safeParse(candidate);
    if (!parsed.success)
        throw new event_validation_error_1.EventValidationError(parsed.error.issues, { eventType: 'install' });
    return { input: parsed.data, ui };
}
