/**
 * The inspector, served under `/inspector`: a list of dialogs, a page per dialog (transcript
 * with the REST call of each reply, the machine diagram with the current state and the path
 * taken, context, timers, outbox), live metrics charts, and operator actions behind the guard.
 * Pages are static shells; their script polls the JSON API below and renders it as text.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Clock } from '../clock';
import { describeRestCall } from '../cli/describe-rest-call';
import type { BotDefinition } from '../dsl/define-bot';
import type { Logger } from '../logger';
import type { MetricsRegistry } from '../metrics';
import { effectToCall, type EffectMeta } from '../runtime/effect-call';
import type { TurnData } from '../runtime/history';
import type { RuntimeOperator } from '../runtime/runtime-options';
import type { DialogRecord, HistoryEntry, Store } from '../store/store';
import { APP_CSS, APP_JS } from './assets';
import type { InspectorSettings } from './inspector-settings';
import { activePaths, machineOutline, type OutlineState } from './machine-outline';
import { createMetricsSampler } from './metrics-sampler';
import { CONTENT_SECURITY_POLICY, dialogPage, listPage, loginPage, metricsPage } from './pages';

/** Where the inspector is mounted. */
export const INSPECTOR_BASE = '/inspector';
const COOKIE = 'olb_inspector';
const LIST_LIMIT = 1000;

/** Options of {@link createInspectorRouter}. */
export interface InspectorRouterOptions {
  settings: InspectorSettings;
  store: Store;
  bots: readonly BotDefinition[];
  /** The runtime's operator actions; without them the inspector is read-only. */
  operator?: RuntimeOperator;
  metrics: MetricsRegistry;
  clock: Clock;
  logger: Logger;
  /** Mounted at `/inspector/play` in development (the playground). */
  playground?: Router;
}

/** Security headers of every inspector answer. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Serves the shared script and stylesheet. */
export function serveAssets(router: Router): void {
  router.get('/assets/app.js', (_req, res) => {
    res.type('application/javascript; charset=utf-8').send(APP_JS);
  });
  router.get('/assets/app.css', (_req, res) => {
    res.type('text/css; charset=utf-8').send(APP_CSS);
  });
}

function cookieValue(token: string): string {
  return createHash('sha256').update(`openlines-inspector:${token}`).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the request carries the token (bearer header) or the login cookie. */
function signedIn(req: Request, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return sameText(auth.slice(7).trim(), token);
  const cookie = cookieOf(req, COOKIE);
  return cookie !== undefined && sameText(cookie, cookieValue(token));
}

/** Whether a peer address is this machine. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

const notFound = (res: Response): void => {
  res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' });
};

interface DialogMetaLike {
  botCode?: string;
  conversation?: number;
}

function partsOf(key: string): { portal: string; chat: string } {
  const parts = key.split(':');
  return { portal: parts.slice(0, -2).join(':'), chat: parts.at(-1) ?? '' };
}

function stateValue(record: DialogRecord): unknown {
  const s = record.snapshot as { value?: unknown } | null;
  return s && typeof s === 'object' ? (s.value ?? null) : null;
}

function leafText(value: unknown): string {
  if (value === null || value === undefined) return '(ended)';
  const all = activePaths(value);
  return all.filter((p) => !all.some((q) => q !== p && q.startsWith(`${p}.`))).join(', ');
}

/** The states a dialog went through (from its history's turns) and every state it was in. */
function pathTaken(history: HistoryEntry[]): { path: string[]; visited: string[] } {
  const path: string[] = [];
  const visited = new Set<string>();
  for (const e of history) {
    if (e.kind !== 'turn') continue;
    const state = (e.data as TurnData).state;
    activePaths(state).forEach((p) => visited.add(p));
    const text = leafText(state);
    if (path.at(-1) !== text) path.push(text);
  }
  return { path, visited: [...visited] };
}

/** Adds to each turn effect what a person in the chat saw (text, buttons). */
function annotate(history: HistoryEntry[]): HistoryEntry[] {
  return history.map((e) => {
    if (e.kind !== 'turn') return e;
    const data = e.data as TurnData;
    return {
      ...e,
      data: {
        ...data,
        effects: (data.effects ?? []).map((ef) => {
          const shown = ef.call
            ? describeRestCall({ method: ef.call.method, params: ef.call.params })
            : undefined;
          return shown ? { ...ef, shown } : ef;
        }),
      },
    };
  });
}

function methodOf(effect: Parameters<typeof effectToCall>[0], meta: unknown): string {
  try {
    return effectToCall(effect, meta as EffectMeta).method;
  } catch {
    return effect.type === 'call' ? effect.method : `(${effect.type})`;
  }
}

/**
 * Creates the inspector's router; mount it at {@link INSPECTOR_BASE}.
 *
 * @example
 * app.use(INSPECTOR_BASE, createInspectorRouter({ settings, store, bots, operator: runtime.operator, metrics, clock, logger }));
 */
export function createInspectorRouter(options: InspectorRouterOptions): Router {
  const { settings, store, clock, logger } = options;
  const base = INSPECTOR_BASE;
  const router = Router();
  const outlines = new Map<string, OutlineState>();
  const outlineOf = (code: string | undefined): OutlineState | undefined => {
    if (code === undefined) return undefined;
    let o = outlines.get(code);
    const bot = options.bots.find((b) => b.code === code);
    if (!o && bot) outlines.set(code, (o = machineOutline(bot.machine)));
    return o;
  };
  const sampler = createMetricsSampler({ metrics: options.metrics, store, clock });

  router.use((req, res, next) => {
    // Without a token (local development) only this machine may look, whatever HOST says.
    if (!settings.enabled || (!settings.token && !isLoopback(req.socket.remoteAddress))) {
      notFound(res);
      return;
    }
    next();
  });
  router.use(securityHeaders);
  serveAssets(router);

  const { token } = settings;
  if (token) {
    router.get('/login', (_req, res) => {
      res.type('html').send(loginPage(base));
    });
    router.post(
      '/login',
      express.urlencoded({ extended: false, limit: '4kb' }),
      (req: Request, res: Response) => {
        const given = (req.body as { token?: unknown } | undefined)?.token;
        if (typeof given !== 'string' || !sameText(given, token)) {
          logger.warn('inspector sign-in with a wrong token');
          res.status(401).type('html').send(loginPage(base, 'Wrong token.'));
          return;
        }
        res.setHeader(
          'Set-Cookie',
          `${COOKIE}=${cookieValue(token)}; Path=${base}; HttpOnly; SameSite=Strict; Max-Age=43200`,
        );
        res.redirect(303, `${base}/`);
      },
    );
    router.use((req, res, next) => {
      if (signedIn(req, token)) {
        next();
        return;
      }
      if (req.headers.authorization || cookieOf(req, COOKIE)) logger.warn('inspector: wrong token');
      if (req.path.startsWith('/api/') || req.method !== 'GET')
        res.status(401).json({ code: 'UNAUTHORIZED', message: 'inspector token required' });
      else res.status(401).type('html').send(loginPage(base));
    });
  }

  const dev = settings.development;
  router.get('/', (_req, res) => void res.type('html').send(listPage(base, dev)));
  router.get('/dialog', (_req, res) => void res.type('html').send(dialogPage(base, dev)));
  router.get('/metrics', (_req, res) => void res.type('html').send(metricsPage(base, dev)));
  if (dev && options.playground) router.use('/play', options.playground);

  router.get('/api/dialogs', async (_req, res) => {
    if (!store.listDialogs) {
      res
        .status(501)
        .json({ code: 'UNSUPPORTED', message: `the ${store.kind} store cannot list dialogs` });
      return;
    }
    const dialogs = await store.listDialogs({ limit: LIST_LIMIT });
    res.json({
      now: clock.now(),
      actions: settings.actions,
      development: dev,
      dialogs: dialogs.map((d) => {
        const pending = d.timers.filter((t) => !t.fired);
        return {
          key: d.dialogKey,
          ...partsOf(d.dialogKey),
          bot: (d.meta as DialogMetaLike | undefined)?.botCode ?? '',
          state: stateValue(d),
          updatedAt: d.updatedAt,
          timersPending: pending.length,
          nextTimer: pending.length ? Math.min(...pending.map((t) => t.deadline)) : null,
          outboxDepth: d.outboxDepth,
          deadLetters: d.deadLetters,
        };
      }),
    });
  });

  router.get('/api/dialog', async (req, res) => {
    const key = typeof req.query.key === 'string' ? req.query.key : '';
    const record = key ? await store.loadDialog(key) : undefined;
    if (!record) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'no such dialog' });
      return;
    }
    const meta = record.meta as DialogMetaLike | undefined;
    const history = store.readHistory ? await store.readHistory(key) : [];
    const effects = store.dialogEffects ? await store.dialogEffects(key) : [];
    const { path, visited } = pathTaken(history);
    const snapshot = record.snapshot as { context?: unknown } | null;
    res.json({
      key,
      ...partsOf(key),
      bot: meta?.botCode ?? '',
      conversation: meta?.conversation ?? 0,
      revision: record.revision,
      updatedAt: record.updatedAt,
      now: clock.now(),
      state: stateValue(record),
      context: snapshot?.context ?? null,
      outline: outlineOf(meta?.botCode) ?? null,
      path,
      visited,
      historyEnabled: history.length > 0 || store.readHistory !== undefined,
      history: annotate(history),
      timers: record.timers.map((t) => ({
        timerKey: t.timerKey,
        deadline: t.deadline,
        fired: t.fired === true,
        event: (t.event as { type?: unknown } | undefined)?.type,
      })),
      effects: effects.map((e) => {
        const m = e.meta as { turn?: unknown; index?: unknown } | undefined;
        return {
          seq: e.seq,
          status: e.status,
          attempts: e.attempts,
          ...(e.error !== undefined ? { error: e.error } : {}),
          method: methodOf(e.effect, e.meta),
          meta: { turn: m?.turn, index: m?.index },
          availableAt: e.availableAt,
        };
      }),
      actions: settings.actions && options.operator !== undefined,
      development: dev,
    });
  });

  router.get('/api/metrics', async (_req, res) => {
    res.json({ samples: await sampler.samples() });
  });

  // Operator actions: JSON with a custom header, which a cross-site form cannot send.
  const act = (
    name: string,
    run: (operator: RuntimeOperator, body: Record<string, unknown>) => Promise<boolean>,
    devOnly = false,
  ) => {
    router.post(
      `/api/actions/${name}`,
      express.json({ limit: '4kb' }),
      async (req: Request, res: Response) => {
        if (req.headers['x-inspector-action'] !== '1') {
          res.status(403).json({ code: 'FORBIDDEN', message: 'missing X-Inspector-Action header' });
          return;
        }
        const operator = options.operator;
        if (!settings.actions || !operator || (devOnly && !dev)) {
          res.status(403).json({ code: 'FORBIDDEN', message: 'operator actions are not enabled' });
          return;
        }
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body.key !== 'string' || body.key === '') {
          res.status(400).json({ code: 'BAD_REQUEST', message: 'key is required' });
          return;
        }
        const done = await run(operator, body);
        logger.info({ action: name, dialog: body.key, done }, 'inspector operator action');
        res.status(done ? 200 : 409).json({
          ok: done,
          ...(done
            ? {}
            : { message: `${name}: nothing to do (already done, or the dialog is busy)` }),
        });
      },
    );
  };
  act('retry', (op, b) => op.retryDeadLetter(b.key as string, Number(b.seq)));
  act('fire-timer', (op, b) => op.fireTimer(b.key as string, String(b.timerKey)), true);
  act('reset', (op, b) => op.resetDialog(b.key as string));

  router.use((_req, res) => notFound(res));
  return router;
}
