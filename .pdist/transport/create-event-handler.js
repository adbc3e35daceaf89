"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createEventHandler = createEventHandler;
/**
 * The webhook events handler, independent of express: raw body in, HTTP status and JSON out.
 * Order matters: decode → verify the top-level application token → only then touch state. An
 * event is answered 200 only once `runtime.accept` has made it durable (invariant 1).
 */
const clock_1 = require("../clock");
const errors_1 = require("../errors");
const inbound_event_1 = require("../events/inbound-event");
const event_validation_error_1 = require("../events/event-validation-error");
const parse_event_body_1 = require("../events/parse-event-body");
const metrics_1 = require("../metrics");
const store_1 = require("../store/store");
const check_application_token_1 = require("./check-application-token");
const forget_bot_1 = require("./forget-bot");
function installInputOf(event) {
    const a = event.auth;
    if (!a?.accessToken || !a.refreshToken || !event.portal.clientEndpoint)
        return undefined;
    return {
        memberId: event.portal.memberId,
        domain: event.portal.domain,
        clientEndpoint: event.portal.clientEndpoint,
        ...(event.portal.serverEndpoint ? { serverEndpoint: event.portal.serverEndpoint } : {}),
        accessToken: a.accessToken,
        refreshToken: a.refreshToken,
        ...(a.expires ? { expiresAt: a.expires * 1000 } : {}),
        ...(a.scope ? { scope: a.scope } : {}),
        ...(event.applicationToken ? { applicationToken: event.applicationToken } : {}),
    };
}
/**
 * Creates the handler of `POST /events`.
 *
 * @example
 * const handle = createEventHandler({ policy: { kind: 'stored' }, store, runtime, logger, metrics });
 * const { status, body } = await handle({ body: rawBody, contentType: req.headers['content-type'] });
 */
function createEventHandler(options) {
    const { store, runtime, logger, metrics, policy } = options;
    const clock = options.clock ?? clock_1.systemClock;
    const assumePortal = options.assumePortal;
    const maxBytes = options.maxBytes;
    // One literal of a fixed shape per call (absent options stay undefined): no spreads.
    const parse = options.parse ??
        ((i) => (0, parse_event_body_1.parseEventBody)({ body: i.body, contentType: i.contentType, portal: assumePortal, maxBytes }));
    const matchToken = (0, check_application_token_1.createTokenMatcher)(policy);
    const count = (type, outcome) => metrics.inc(metrics_1.METRIC.eventsTotal, { type, outcome });
    const formsSeen = new Set();
    return async (input) => {
        let event;
        try {
            event = parse(input);
        }
        catch (e) {
            count('unknown', 'invalid');
            if ((0, event_validation_error_1.isEventValidationError)(e)) {
                logger.info({ err: e }, 'event rejected: invalid body');
                return { status: 400, body: e.toJSON() };
            }
            // A decoder bug must not turn bad input into a 5xx; it is still logged loudly.
            logger.error({ err: e }, 'event decoder failed unexpectedly');
            return {
                status: 400,
                body: {
                    code: 'EVENT_VALIDATION',
                    message: 'Invalid event body',
                    issues: [{ code: 'custom', path: [], message: 'the body could not be decoded' }],
                },
            };
        }
        const type = event.kind;
        const portal = event.portal.memberId;
        if (event.kind === 'app.install' && options.installer) {
            const installInput = installInputOf(event);
            if (!installInput) {
                count(type, 'unauthorized');
                return {
                    status: 401,
                    body: { code: 'EVENT_AUTH', message: 'ONAPPINSTALL without tokens cannot be verified' },
                };
            }
            let result;
            try {
                result = await options.installer.install(installInput);
            }
            catch (e) {
                count(type, 'error');
                logger.error({ err: e, portal }, 'installation failed');
                return {
                    status: 503,
                    body: { code: 'UNAVAILABLE', message: 'installation could not be completed' },
                };
            }
            count(type, result.status === 'installed'
                ? 'accepted'
                : result.status === 'refused'
                    ? 'unauthorized'
                    : 'error');
            if (result.status === 'installed')
                return { status: 200, body: { status: 'installed' } };
            return {
                status: result.status === 'refused' ? 401 : 502,
                body: {
                    code: result.status === 'refused' ? 'EVENT_AUTH' : 'INSTALL_FAILED',
                    message: result.reason,
                },
            };
        }
        let tokenForm;
        try {
            const matched = matchToken(event, store);
            tokenForm = matched instanceof Promise ? await matched : matched;
        }
        catch (e) {
            count(type, 'error');
            logger.error({ err: e, portal }, 'event rejected: could not read the portal record');
            return { status: 503, body: { code: 'STORE_ERROR', message: 'store unavailable' } };
        }
        if (tokenForm === undefined) {
            count(type, 'unauthorized');
            logger.warn({ portal, type, rawType: event.rawType }, 'event rejected: application_token does not match');
            return {
                status: 401,
                body: {
                    code: 'EVENT_AUTH',
                    message: 'auth[application_token] is missing or does not match this portal',
                },
            };
        }
        if (!formsSeen.has(tokenForm)) {
            // Once per form and process at info (the token itself is never logged); every event at debug.
            formsSeen.add(tokenForm);
            logger.info({ portal, type, matchedAs: tokenForm }, `event accepted: application_token matched as ${tokenForm}`);
        }
        try {
            if ((0, inbound_event_1.isDialogEvent)(event)) {
                // The runtime counts accepted/duplicate events itself (for every transport).
                const [result] = await runtime.accept([event]);
                const outcome = result?.status === 'duplicate' ? 'duplicate' : 'accepted';
                // Checked first: the fields would be built for every event even with debug off.
                if (logger.isLevelEnabled('debug')) {
                    logger.debug({
                        portal,
                        bot: event.bot.id,
                        dialog: (0, store_1.dialogKeyOf)(portal, event.bot.id, event.chatId),
                        type,
                        outcome,
                        matchedAs: tokenForm,
                    }, 'event recorded');
                }
                return { status: 200, body: { status: outcome } };
            }
            if (event.kind === 'openline') {
                if (!options.onOpenLineEvent) {
                    count(type, 'ignored');
                    logger.debug({ portal, type: event.rawType }, 'Open Lines event without a handler: ignored');
                    return { status: 200, body: { status: 'ignored' } };
                }
                await options.onOpenLineEvent(event);
                count(type, 'accepted');
                return { status: 200, body: { status: 'accepted' } };
            }
            if (event.kind === 'bot.delete') {
                await (0, forget_bot_1.forgetBot)({ store, memberId: portal, botId: event.bot.id, now: clock.now() });
                await options.onBotDeleted?.(portal, event.bot.id);
                count(type, 'accepted');
                logger.info({ portal, bot: event.bot.id }, 'bot deleted on the portal: forgotten');
                return { status: 200, body: { status: 'accepted' } };
            }
            if (event.kind === 'app.uninstall' && options.installer) {
                await options.installer.uninstall(portal);
                count(type, 'accepted');
                logger.info({ portal }, 'application uninstalled: portal credentials forgotten');
                return { status: 200, body: { status: 'accepted' } };
            }
            if (event.kind === 'join.private') {
                logger.info({ portal, bot: event.bot.id }, 'private-chat join without a chat id: acknowledged; the first message starts the dialog');
            }
            count(type, 'ignored');
            return { status: 200, body: { status: 'ignored' } };
        }
        catch (e) {
            count(type, 'error');
            logger.error({ err: e, portal, type }, 'event not recorded');
            return {
                status: 503,
                body: {
                    code: 'UNAVAILABLE',
                    ...((0, errors_1.isOpenlinesError)(e) ? { cause: e.code } : {}),
                    message: 'the event could not be recorded; nothing was acknowledged',
                },
            };
        }
    };
}
