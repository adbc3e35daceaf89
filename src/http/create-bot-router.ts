/**
 * The Bitrix24-facing routes, mountable on any express 5 app: `POST /events` (every bot event, v1
 * and v2, form or JSON) and `POST /install` (the OAuth app's installation callback).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { systemClock, type Clock } from '../clock';
import type { OpenlinesConfig } from '../config/load-config';
import type { BotDefinition } from '../dsl/define-bot';
import { isEventValidationError } from '../events/event-validation-error';
import { silentLogger, type Logger } from '../logger';
import { METRIC, noopMetrics, type Metrics } from '../metrics';
import { createPortalRegistry, type PortalRegistry } from '../portals/create-portal-registry';
import type { PortalRecord, Store } from '../store/store';
import type { OpenLineEvent } from '../events/map-openline';
import { createEventHandler, type EventHandler } from '../transport/create-event-handler';
import { createInstaller, type InstallResult, type Installer } from '../transport/create-installer';
import type { EventSink } from '../transport/event-sink';
import { parseInstallRequest } from '../transport/parse-install-request';
import { installPage } from './install-page';
import { DEFAULT_BODY_LIMIT_BYTES, readRawBody, type ReadRawBodyResult } from './read-raw-body';

/** Lifecycle hooks (the server uses them to start and stop fetch pollers). */
export interface BotRouterHooks {
  onInstalled?: (record: PortalRecord) => void | Promise<void>;
  onUninstalled?: (memberId: string) => void | Promise<void>;
  onBotDeleted?: (memberId: string, botId: number) => void | Promise<void>;
  /** The five Open Lines events (connector apps only); see `createServer({ onOpenLineEvent })`. */
  onOpenLineEvent?: (event: OpenLineEvent) => void | Promise<void>;
}

/** Options of {@link createBotRouter}. */
export interface BotRouterOptions {
  bots: readonly BotDefinition[];
  store: Store;
  /** Where accepted dialog events go: the runtime. */
  runtime: EventSink;
  config: Pick<OpenlinesConfig, 'mode' | 'webhook' | 'app' | 'publicUrl' | 'eventMode' | 'rate'> & {
    bodyLimitBytes?: number;
  };
  /** Default: built from `config` and `store`. */
  portals?: PortalRegistry;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  hooks?: BotRouterHooks;
  /** Replaces the installer (tests). */
  installer?: Installer;
}

function contentTypeOf(req: IncomingMessage): string | undefined {
  const ct = req.headers['content-type'];
  return typeof ct === 'string' ? ct.toLowerCase() : undefined;
}

/** Bitrix24 sends form bodies; JSON is accepted too (v2 docs disagree with themselves). */
function supported(contentType: string | undefined): boolean {
  return (
    contentType === undefined ||
    contentType.startsWith('application/x-www-form-urlencoded') ||
    contentType.startsWith('application/json')
  );
}

/**
 * Answers with a JSON body straight through node's response: every event pays for this, and
 * express's `res.json` adds an ETag (a hash of the body) and content negotiation no webhook uses.
 */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * `POST /events` answered on node's own request and response, without express's router and
 * middleware: what `createServer` runs for every event. It answers exactly as the router's route
 * does, sharing its handler; whatever it does not answer itself (an unsupported content type, a
 * body over the limit) it hands to `fallback` (the express app), so those answers stay express's.
 */
export type EventsFastPath = (
  req: IncomingMessage,
  res: ServerResponse,
  fallback: () => void,
) => Promise<void>;

/** Where a router made by {@link createBotRouter} keeps its {@link EventsFastPath}. */
const FAST_PATH = Symbol('openlines.eventsFastPath');
/** A body the fast path already read (over the limit), handed on to the router's route. */
const PRE_READ = Symbol('openlines.preReadBody');

type WithFastPath = Router & { [FAST_PATH]?: EventsFastPath };
type WithPreRead = IncomingMessage & { [PRE_READ]?: ReadRawBodyResult };

/** The fast path of a router made by {@link createBotRouter}, or undefined for any other router. */
export function eventsFastPathOf(router: Router): EventsFastPath | undefined {
  return (router as WithFastPath)[FAST_PATH];
}

/**
 * Creates the router of `POST /events` and `POST /install`. When mounted under a path, include
 * that path in `config.publicUrl` (handler URLs are `<publicUrl>/events`).
 *
 * @example
 * const app = express();
 * app.use('/bitrix', createBotRouter({ bots: [supportBot], store, runtime, config: { ...config, publicUrl: 'https://example.com/bitrix' } }));
 */
export function createBotRouter(options: BotRouterOptions): Router {
  const { store, config, runtime } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const metrics = options.metrics ?? noopMetrics;
  const limitBytes = config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const hooks = options.hooks ?? {};
  const isApp = config.mode === 'app';

  let installer = options.installer;
  if (!installer && isApp) {
    const portals =
      options.portals ?? createPortalRegistry({ config, store, clock, logger, metrics });
    installer = createInstaller({
      bots: options.bots,
      store,
      portals,
      eventMode: config.eventMode,
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      clock,
      logger,
      ...(hooks.onInstalled ? { onInstalled: hooks.onInstalled } : {}),
      ...(hooks.onUninstalled ? { onUninstalled: hooks.onUninstalled } : {}),
    });
  }

  const handle: EventHandler = createEventHandler({
    policy: isApp
      ? { kind: 'stored' }
      : {
          kind: 'static',
          tokens: config.webhook?.applicationTokens ?? [],
          ...(config.webhook?.acceptedTokens ? { forms: config.webhook.acceptedTokens } : {}),
        },
    store,
    runtime,
    ...(installer ? { installer } : {}),
    ...(hooks.onBotDeleted ? { onBotDeleted: hooks.onBotDeleted } : {}),
    ...(hooks.onOpenLineEvent ? { onOpenLineEvent: hooks.onOpenLineEvent } : {}),
    ...(!isApp && config.webhook
      ? { assumePortal: { memberId: config.webhook.memberId, domain: config.webhook.domain } }
      : {}),
    maxBytes: limitBytes,
    clock,
    logger,
    metrics,
  });

  const router = Router();

  router.post('/events', async (req: Request, res: Response) => {
    const contentType = contentTypeOf(req);
    if (!supported(contentType)) {
      req.resume();
      metrics.inc(METRIC.eventsTotal, { type: 'unknown', outcome: 'invalid' });
      res.status(415).json({
        code: 'EVENT_VALIDATION',
        message: 'expected application/x-www-form-urlencoded or application/json',
      });
      return;
    }
    const preRead = (req as WithPreRead)[PRE_READ];
    const read = preRead ?? (await readRawBody({ req, limitBytes }));
    if (read.status === 'aborted') return;
    if (read.status === 'too-large') {
      metrics.inc(METRIC.eventsTotal, { type: 'unknown', outcome: 'too_large' });
      res
        .set('Connection', 'close')
        .status(413)
        .json({ code: 'EVENT_VALIDATION', message: `body larger than ${limitBytes} bytes` });
      return;
    }
    const result = await handle({ body: read.body, contentType });
    sendJson(res, result.status, result.body);
  });

  const fastPath: EventsFastPath = async (req, res, fallback) => {
    const contentType = contentTypeOf(req);
    if (!supported(contentType)) return fallback();
    const read = await readRawBody({ req, limitBytes });
    if (read.status === 'aborted') return;
    if (read.status === 'too-large') {
      (req as WithPreRead)[PRE_READ] = read;
      return fallback();
    }
    const result = await handle({ body: read.body, contentType });
    sendJson(res, result.status, result.body);
  };
  (router as WithFastPath)[FAST_PATH] = fastPath;

  router.post('/install', async (req: Request, res: Response) => {
    if (!installer) {
      req.resume();
      res.status(404).json({
        code: 'CONFIG',
        message:
          'installation needs app mode (B24_APP_CLIENT_ID, B24_APP_CLIENT_SECRET, PUBLIC_URL)',
      });
      return;
    }
    const read = await readRawBody({ req, limitBytes });
    if (read.status === 'aborted') return;
    if (read.status === 'too-large') {
      res
        .set('Connection', 'close')
        .status(413)
        .json({ code: 'EVENT_VALIDATION', message: `body larger than ${limitBytes} bytes` });
      return;
    }
    let parsed;
    try {
      parsed = parseInstallRequest({
        body: read.body,
        contentType: contentTypeOf(req),
        query: req.query,
        now: clock.now(),
      });
    } catch (e) {
      if (!isEventValidationError(e))
        logger.error({ err: e }, 'install request decoder failed unexpectedly');
      res
        .status(400)
        .json(
          isEventValidationError(e)
            ? e.toJSON()
            : { code: 'EVENT_VALIDATION', message: 'the install request could not be decoded' },
        );
      return;
    }
    let result: InstallResult;
    try {
      result = await installer.install(parsed.input);
    } catch (e) {
      logger.error({ err: e, portal: parsed.input.memberId }, 'installation failed');
      result = { status: 'failed', reason: 'installation could not be completed' };
    }
    const status = result.status === 'installed' ? 200 : result.status === 'refused' ? 401 : 502;
    res
      .status(status)
      .type('html')
      .send(installPage({ status: result.status, ui: parsed.ui }));
  });

  return router;
}
