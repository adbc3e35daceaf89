/**
 * `POST /dialog-events`: the host application's own events into running dialogs over HTTP,
 * protected by a bearer token (`OPENLINES_EXTERNAL_EVENTS_TOKEN`; without it the route does not
 * exist). The body is one delivery or `{ deliveries: [...] }` (JSON):
 * `{ "dialog": "<member id>:<bot id>:<chat id>", "event": { "type": "crm.booking.confirmed", ... }, "key": "deal-15" }`.
 * Answers 202 (accepted), 200 `duplicate`, 404 `NO_DIALOG`, 400 with the problems, 401 without
 * the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { isOpenlinesError, type ConfigError } from '../errors';
import type { Logger } from '../logger';
import type { DeliverResult, ExternalDelivery } from '../runtime/external-event';
import { MAX_EXTERNAL_EVENT_BYTES } from '../runtime/external-event';

/** Options of {@link createExternalEventsRouter}. */
export interface ExternalEventsRouterOptions {
  runtime: { deliver(deliveries: readonly ExternalDelivery[]): Promise<DeliverResult[]> };
  /** The bearer token callers must send (`Authorization: Bearer <token>`). */
  token: string;
  logger: Logger;
  /** Route path. Default `/dialog-events`. */
  path?: string;
}

const MAX_DELIVERIES = 100;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison of the presented token with the expected one. */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  return timingSafeEqual(digest(m[1] as string), expected);
}

/**
 * Creates the router; mount it only when a token is configured.
 *
 * @example
 * app.use(createExternalEventsRouter({ runtime, token: config.externalEventsToken, logger }));
 */
export function createExternalEventsRouter(options: ExternalEventsRouterOptions): Router {
  const { runtime, logger } = options;
  const expected = digest(options.token);
  const router = Router();
  const path = options.path ?? '/dialog-events';
  router.post(
    path,
    (req: Request, res: Response, next: NextFunction) => {
      // Checked before the body is read: an anonymous caller costs nothing.
      if (!tokenMatches(req.get('authorization'), expected)) {
        logger.warn({ ip: req.ip }, 'external event refused: missing or wrong bearer token');
        res
          .status(401)
          .setHeader('WWW-Authenticate', 'Bearer realm="openlines-bot"')
          .json({ code: 'UNAUTHORIZED', message: 'a valid bearer token is required' });
        return;
      }
      next();
    },
    express.json({ limit: MAX_EXTERNAL_EVENT_BYTES * 4, type: () => true }),
    async (req: Request, res: Response) => {
      const body = req.body as { deliveries?: unknown } | undefined;
      const many = Array.isArray(body?.deliveries);
      const deliveries = (many ? body?.deliveries : [body]) as ExternalDelivery[];
      if (deliveries.length === 0 || deliveries.length > MAX_DELIVERIES) {
        res.status(400).json({
          code: 'BAD_REQUEST',
          message: `send 1 to ${MAX_DELIVERIES} deliveries`,
        });
        return;
      }
      let results: DeliverResult[];
      try {
        results = await runtime.deliver(deliveries);
      } catch (e) {
        if (isOpenlinesError(e) && e.code === 'CONFIG') {
          res.status(400).json({
            code: 'BAD_REQUEST',
            message: 'invalid external event',
            problems: (e as ConfigError).problems,
          });
          return;
        }
        throw e;
      }
      if (many) {
        res.status(results.some((r) => r.status === 'accepted') ? 202 : 200).json({ results });
        return;
      }
      const r = results[0] as DeliverResult;
      if (r.status === 'no-dialog') {
        res.status(404).json({
          code: 'NO_DIALOG',
          message: 'the dialog has no running conversation',
        });
        return;
      }
      res.status(r.status === 'accepted' ? 202 : 200).json(r);
    },
  );
  return router;
}
