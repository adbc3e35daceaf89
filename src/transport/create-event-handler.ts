/**
 * The webhook events handler, independent of express: raw body in, HTTP status and JSON out.
 * Order matters: decode → verify the top-level application token → only then touch state. An
 * event is answered 200 only once `runtime.accept` has made it durable (invariant 1).
 */
import { systemClock, type Clock } from '../clock';
import { isOpenlinesError } from '../errors';
import { isDialogEvent, type InboundEvent } from '../events/inbound-event';
import { isEventValidationError } from '../events/event-validation-error';
import { parseEventBody } from '../events/parse-event-body';
import type { OpenLineEvent } from '../events/map-openline';
import type { Logger } from '../logger';
import { METRIC, type Metrics } from '../metrics';
import type { Store } from '../store/store';
import { dialogKeyOf } from '../store/store';
import { createTokenMatcher, type TokenPolicy } from './check-application-token';
import type { EventSink } from './event-sink';
import type { InstallInput } from './parse-install-request';
import type { Installer } from './create-installer';
import { forgetBot } from './forget-bot';

/** What the HTTP layer sends back. */
export interface EventHandlerResult {
  status: number;
  body: Record<string, unknown>;
}

/** Options of {@link createEventHandler}. */
export interface EventHandlerOptions {
  policy: TokenPolicy;
  store: Pick<Store, 'getPortal' | 'savePortal'>;
  runtime: EventSink;
  /** App mode: `ONAPPINSTALL` and `ONAPPUNINSTALL` go here. */
  installer?: Pick<Installer, 'install' | 'uninstall'>;
  /** The bot was deleted on the portal (fetch pollers stop). */
  onBotDeleted?: (memberId: string, botId: number) => void | Promise<void>;
  /**
   * The five Open Lines events (`OnOpenLineMessageAdd|Update|Delete`, `OnSessionStart|Finish`),
   * which reach only an application that is a connector. Answered 200 once it resolves, 503 when
   * it throws. Without it they are answered 200 and counted as `ignored`.
   */
  onOpenLineEvent?: (event: OpenLineEvent) => void | Promise<void>;
  logger: Logger;
  metrics: Metrics;
  clock?: Clock;
  /** The portal to assume when a body names none (webhook mode: the configured portal). */
  assumePortal?: { memberId: string; domain: string };
  /** Largest body the decoder accepts (the HTTP layer's limit). */
  maxBytes?: number;
  /** Replaces the decoder (tests). */
  parse?: (input: { body: Buffer; contentType: string | undefined }) => InboundEvent;
}

/** Handles one delivery. */
export type EventHandler = (input: {
  body: Buffer;
  contentType: string | undefined;
}) => Promise<EventHandlerResult>;

function installInputOf(event: InboundEvent): InstallInput | undefined {
  const a = event.auth;
  if (!a?.accessToken || !a.refreshToken || !event.portal.clientEndpoint) return undefined;
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
export function createEventHandler(options: EventHandlerOptions): EventHandler {
  const { store, runtime, logger, metrics, policy } = options;
  const clock = options.clock ?? systemClock;
  const assumePortal = options.assumePortal;
  const maxBytes = options.maxBytes;
  // One literal of a fixed shape per call (absent options stay undefined): no spreads.
  const parse =
    options.parse ??
    ((i) =>
      parseEventBody({ body: i.body, contentType: i.contentType, portal: assumePortal, maxBytes }));
  const matchToken = createTokenMatcher(policy);
  const count = (type: string, outcome: string): void =>
    metrics.inc(METRIC.eventsTotal, { type, outcome });
  const formsSeen = new Set<string>();

  return async (input) => {
    let event: InboundEvent;
    try {
      event = parse(input);
    } catch (e) {
      count('unknown', 'invalid');
      if (isEventValidationError(e)) {
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
      let result: Awaited<ReturnType<Installer['install']>>;
      try {
        result = await options.installer.install(installInput);
      } catch (e) {
        count(type, 'error');
        logger.error({ err: e, portal }, 'installation failed');
        return {
          status: 503,
          body: { code: 'UNAVAILABLE', message: 'installation could not be completed' },
        };
      }
      count(
        type,
        result.status === 'installed'
          ? 'accepted'
          : result.status === 'refused'
            ? 'unauthorized'
            : 'error',
      );
      if (result.status === 'installed') return { status: 200, body: { status: 'installed' } };
      return {
        status: result.status === 'refused' ? 401 : 502,
        body: {
          code: result.status === 'refused' ? 'EVENT_AUTH' : 'INSTALL_FAILED',
          message: result.reason,
        },
      };
    }

    let tokenForm: string | undefined;
    try {
      const matched = matchToken(event, store);
      tokenForm = matched instanceof Promise ? await matched : matched;
    } catch (e) {
      count(type, 'error');
      logger.error({ err: e, portal }, 'event rejected: could not read the portal record');
      return { status: 503, body: { code: 'STORE_ERROR', message: 'store unavailable' } };
    }
    if (tokenForm === undefined) {
      count(type, 'unauthorized');
      logger.warn(
        { portal, type, rawType: event.rawType },
        'event rejected: application_token does not match',
      );
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
      logger.info(
        { portal, type, matchedAs: tokenForm },
        `event accepted: application_token matched as ${tokenForm}`,
      );
    }

    try {
      if (isDialogEvent(event)) {
        // The runtime counts accepted/duplicate events itself (for every transport).
        const [result] = await runtime.accept([event]);
        const outcome = result?.status === 'duplicate' ? 'duplicate' : 'accepted';
        // Checked first: the fields would be built for every event even with debug off.
        if (logger.isLevelEnabled('debug')) {
          logger.debug(
            {
              portal,
              bot: event.bot.id,
              dialog: dialogKeyOf(portal, event.bot.id, event.chatId),
              type,
              outcome,
              matchedAs: tokenForm,
            },
            'event recorded',
          );
        }
        return { status: 200, body: { status: outcome } };
      }
      if (event.kind === 'openline') {
        if (!options.onOpenLineEvent) {
          count(type, 'ignored');
          logger.debug(
            { portal, type: event.rawType },
            'Open Lines event without a handler: ignored',
          );
          return { status: 200, body: { status: 'ignored' } };
        }
        await options.onOpenLineEvent(event);
        count(type, 'accepted');
        return { status: 200, body: { status: 'accepted' } };
      }
      if (event.kind === 'bot.delete') {
        await forgetBot({ store, memberId: portal, botId: event.bot.id, now: clock.now() });
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
        logger.info(
          { portal, bot: event.bot.id },
          'private-chat join without a chat id: acknowledged; the first message starts the dialog',
        );
      }
      count(type, 'ignored');
      return { status: 200, body: { status: 'ignored' } };
    } catch (e) {
      count(type, 'error');
      logger.error({ err: e, portal, type }, 'event not recorded');
      return {
        status: 503,
        body: {
          code: 'UNAVAILABLE',
          ...(isOpenlinesError(e) ? { cause: e.code } : {}),
          message: 'the event could not be recorded; nothing was acknowledged',
        },
      };
    }
  };
}
