/**
 * Configuration from environment variables, validated with zod at start-up. Every problem is
 * collected and reported at once (a `ConfigError` with one line per problem), so a deployment is
 * fixed in one round instead of one variable at a time.
 */
import { z } from 'zod';
import { ConfigError, registerSecret } from '../errors';
import { parseStoreUrl, type StoreSpec } from './parse-store-url';
import { parseWebhookUrl } from './parse-webhook-url';

export type { StoreSpec };

/** How the process reaches Bitrix24: one portal through an incoming webhook, many through an OAuth app, or none (the local simulator). */
export type ConfigMode = 'webhook' | 'app' | 'local';

/** How bots receive their events: Bitrix24 POSTs them (`webhook`) or we poll `imbot.v2.Event.get` (`fetch`). */
export type EventMode = 'webhook' | 'fetch';

/**
 * Which of the forms a portal may send `auth[application_token]` in matched (README trap 15): the
 * explicit `B24_APPLICATION_TOKEN`, the v1 `CLIENT_ID` bare or after `custom`, a v2 bot token
 * bare or after `custom`.
 */
export type ApplicationTokenForm =
  'B24_APPLICATION_TOKEN' | 'CLIENT_ID' | 'custom+CLIENT_ID' | 'bot token' | 'custom+bot token';

/** One value an event's `auth[application_token]` may have, and which form it is. */
export interface AcceptedApplicationToken {
  form: ApplicationTokenForm;
  token: string;
}

/** Single-portal incoming-webhook settings. */
export interface WebhookModeConfig {
  /** `https://<portal>/rest/<user>/<secret>/`, normalised with a trailing slash. */
  url: string;
  domain: string;
  /** Portal key for dialogs and offsets: `B24_MEMBER_ID`, else the domain. */
  memberId: string;
  /** v2 bots: `botToken` of `imbot.v2.*` calls. */
  botToken?: string;
  /** v1 bots: `CLIENT_ID` of `imbot.*` calls. */
  clientId?: string;
  /** Bot tokens accepted in events besides `botToken` (`B24_ACCEPTED_BOT_TOKENS`, for a rotation). */
  acceptedBotTokens?: string[];
  /**
   * Every value `auth[application_token]` of an event may have: `B24_APPLICATION_TOKEN`, the
   * `CLIENT_ID` and `custom` + `CLIENT_ID`, every bot token and `custom` + bot token.
   */
  applicationTokens: string[];
  /** The same values with the form each one is (logged when an event matches). */
  acceptedTokens: AcceptedApplicationToken[];
}

/** Multi-portal OAuth application settings. */
export interface AppModeConfig {
  clientId: string;
  clientSecret: string;
}

/** The validated configuration. */
export interface OpenlinesConfig {
  mode: ConfigMode;
  port: number;
  host: string;
  /** Public base URL of this server (no trailing slash); handler URLs are built from it. */
  publicUrl?: string;
  store: StoreSpec;
  eventMode: EventMode;
  logLevel: string;
  /** Per-portal leaky bucket of the REST client. */
  rate: { burst: number; perSecond: number };
  /** v2 fetch polling interval when the queue is empty. */
  fetchIdleMs: number;
  bodyLimitBytes: number;
  /**
   * How long a new open-line session's first client message waits for the session's join
   * (`OPENLINES_JOIN_WINDOW_MS`, default 1000; 0 disables the wait).
   */
  joinWindowMs: number;
  webhook?: WebhookModeConfig;
  app?: AppModeConfig;
  /**
   * Bearer token of `POST /dialog-events` (the host's own events into dialogs), from
   * `OPENLINES_EXTERNAL_EVENTS_TOKEN`; without it the route does not exist.
   */
  externalEventsToken?: string;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * `serve` (default) or `manage` (register/unregister). Both read the same variables; kept so
   * that callers can say what they load the configuration for.
   */
  purpose?: 'serve' | 'manage';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_JOIN_WINDOW_MS = 1000;

/** A number in range, with one readable message for every way it can be wrong. */
function numberIn(min: number, max: number, def: number, kind: 'integer' | 'number') {
  const error = `must be ${kind === 'integer' ? 'an integer' : 'a number'} from ${min} to ${max}`;
  const n = z.coerce.number({ error }).min(min, { error }).max(max, { error });
  return (kind === 'integer' ? n.int({ error }) : n).default(def);
}

const schema = z.object({
  PORT: numberIn(0, 65535, 3000, 'integer'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://bot.example.com' })
    .optional(),
  B24_EVENT_MODE: z
    .enum(['webhook', 'fetch'], { error: 'must be "webhook" or "fetch"' })
    .optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  B24_RATE_BURST: numberIn(1, 10_000, 50, 'integer'),
  B24_RATE_PER_SECOND: numberIn(0.01, 1000, 2, 'number'),
  // Bitrix24 asks for 5 to 30 s between polls of an empty queue (README trap 16).
  B24_FETCH_IDLE_SECONDS: numberIn(5, 30, 10, 'number'),
  OPENLINES_BODY_LIMIT: numberIn(1024, 64 * 1024 * 1024, DEFAULT_BODY_LIMIT, 'integer'),
  OPENLINES_JOIN_WINDOW_MS: numberIn(0, 60_000, DEFAULT_JOIN_WINDOW_MS, 'integer'),
  B24_BOT_TOKEN: z
    .string()
    .max(40, { error: 'at most 40 characters (Bitrix24 rejects longer bot tokens)' })
    .optional(),
  B24_CLIENT_ID: z.string().optional(),
  B24_APPLICATION_TOKEN: z.string().optional(),
  B24_ACCEPTED_BOT_TOKENS: z.string().optional(),
  B24_MEMBER_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'letters, digits, "_", "-" and "." only' })
    .optional(),
  B24_APP_CLIENT_ID: z.string().optional(),
  B24_APP_CLIENT_SECRET: z.string().optional(),
  OPENLINES_EXTERNAL_EVENTS_TOKEN: z
    .string()
    .min(16, { error: 'at least 16 characters (it guards delivery into every dialog)' })
    .max(512)
    .regex(/^\S+$/, { error: 'no spaces' })
    .optional(),
});

const SECRET_VARS = [
  'B24_WEBHOOK_URL',
  'B24_BOT_TOKEN',
  'B24_CLIENT_ID',
  'B24_APPLICATION_TOKEN',
  'B24_ACCEPTED_BOT_TOKENS',
  'B24_APP_CLIENT_SECRET',
  'OPENLINES_EXTERNAL_EVENTS_TOKEN',
];

/** `a, b,,c` → `['a', 'b', 'c']`. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * Every form of `auth[application_token]` a portal may send for the configured bot, without
 * duplicates (the first form of a value wins).
 */
function acceptedTokensOf(v: {
  B24_APPLICATION_TOKEN?: string | undefined;
  B24_CLIENT_ID?: string | undefined;
  B24_BOT_TOKEN?: string | undefined;
  extraBotTokens: string[];
}): AcceptedApplicationToken[] {
  const out: AcceptedApplicationToken[] = [];
  const add = (form: ApplicationTokenForm, token: string | undefined): void => {
    if (token && !out.some((t) => t.token === token)) out.push({ form, token });
  };
  add('B24_APPLICATION_TOKEN', v.B24_APPLICATION_TOKEN);
  add('CLIENT_ID', v.B24_CLIENT_ID);
  add('custom+CLIENT_ID', v.B24_CLIENT_ID && `custom${v.B24_CLIENT_ID}`);
  for (const bot of [v.B24_BOT_TOKEN, ...v.extraBotTokens]) {
    add('custom+bot token', bot && `custom${bot}`);
    add('bot token', bot);
  }
  return out;
}

/** Empty strings mean "unset": `FOO=` in a .env file should not fail validation. */
function clean(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  return out;
}

/**
 * Reads and validates the configuration. Throws a `ConfigError` listing every problem.
 *
 * @example
 * const config = loadConfig({ env: process.env });
 * if (config.mode === 'local') console.log('no portal configured: using the local simulator');
 */
export function loadConfig(options: LoadConfigOptions = {}): OpenlinesConfig {
  const env = clean(options.env ?? process.env);
  for (const name of SECRET_VARS) registerSecret(env[name]);
  const problems: string[] = [];

  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  const v = parsed.success ? parsed.data : schema.partial().parse({});

  const store = parseStoreUrl({ url: env.OPENLINES_STORE });
  if (store.status === 'invalid') problems.push(store.problem);

  const wantsWebhook = env.B24_WEBHOOK_URL !== undefined;
  const wantsApp = env.B24_APP_CLIENT_ID !== undefined || env.B24_APP_CLIENT_SECRET !== undefined;
  if (wantsWebhook && wantsApp) {
    problems.push(
      'B24_WEBHOOK_URL and B24_APP_CLIENT_ID/B24_APP_CLIENT_SECRET are both set: choose webhook mode (one portal) or app mode (many portals)',
    );
  }
  const mode: ConfigMode = wantsApp ? 'app' : wantsWebhook ? 'webhook' : 'local';
  const eventMode: EventMode = v.B24_EVENT_MODE ?? 'webhook';

  if (!wantsWebhook) {
    for (const name of [
      'B24_BOT_TOKEN',
      'B24_CLIENT_ID',
      'B24_APPLICATION_TOKEN',
      'B24_ACCEPTED_BOT_TOKENS',
    ] as const) {
      if (env[name] !== undefined && !wantsApp)
        problems.push(
          `${name} is set but B24_WEBHOOK_URL is not: webhook mode needs the incoming webhook URL`,
        );
    }
  }

  let webhook: WebhookModeConfig | undefined;
  if (wantsWebhook) {
    const url = parseWebhookUrl({ url: env.B24_WEBHOOK_URL ?? '' });
    if (url.status === 'invalid') problems.push(`B24_WEBHOOK_URL: ${url.problem}`);
    if (env.B24_BOT_TOKEN === undefined && env.B24_CLIENT_ID === undefined) {
      problems.push(
        'B24_BOT_TOKEN (v2 bots) or B24_CLIENT_ID (v1 bots) is required with B24_WEBHOOK_URL: Bitrix24 needs it on every bot call made through a webhook',
      );
    }
    const extraBotTokens = list(v.B24_ACCEPTED_BOT_TOKENS);
    for (const t of extraBotTokens) registerSecret(t);
    if (extraBotTokens.some((t) => t.length > 40))
      problems.push('B24_ACCEPTED_BOT_TOKENS: every bot token has at most 40 characters');
    const accepted = acceptedTokensOf({ ...v, extraBotTokens });
    for (const t of accepted) registerSecret(t.token);
    if (url.status === 'ok') {
      webhook = {
        url: url.url,
        domain: url.domain,
        memberId: v.B24_MEMBER_ID ?? url.hostname,
        ...(v.B24_BOT_TOKEN ? { botToken: v.B24_BOT_TOKEN } : {}),
        ...(v.B24_CLIENT_ID ? { clientId: v.B24_CLIENT_ID } : {}),
        ...(extraBotTokens.length > 0 ? { acceptedBotTokens: extraBotTokens } : {}),
        applicationTokens: accepted.map((t) => t.token),
        acceptedTokens: accepted,
      };
    }
    if (eventMode === 'fetch' && env.B24_BOT_TOKEN === undefined) {
      problems.push(
        'B24_EVENT_MODE=fetch needs a v2 bot (B24_BOT_TOKEN): v1 bots only receive events by webhook',
      );
    }
  }

  let app: AppModeConfig | undefined;
  if (wantsApp) {
    if (env.B24_APP_CLIENT_ID === undefined)
      problems.push("B24_APP_CLIENT_ID is required in app mode (the application's client_id)");
    if (env.B24_APP_CLIENT_SECRET === undefined)
      problems.push(
        "B24_APP_CLIENT_SECRET is required in app mode (the application's client_secret)",
      );
    if (env.PUBLIC_URL === undefined) {
      problems.push(
        'PUBLIC_URL is required in app mode: installation registers the bots with <PUBLIC_URL>/events and binds uninstall to it',
      );
    }
    if (env.B24_APP_CLIENT_ID !== undefined && env.B24_APP_CLIENT_SECRET !== undefined) {
      app = { clientId: env.B24_APP_CLIENT_ID, clientSecret: env.B24_APP_CLIENT_SECRET };
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode,
    port: v.PORT ?? 3000,
    host: v.HOST ?? '0.0.0.0',
    ...(v.PUBLIC_URL ? { publicUrl: v.PUBLIC_URL.replace(/\/+$/, '') } : {}),
    store: store.status === 'ok' ? store.spec : { kind: 'memory' },
    eventMode,
    logLevel: v.LOG_LEVEL ?? 'info',
    rate: { burst: v.B24_RATE_BURST ?? 50, perSecond: v.B24_RATE_PER_SECOND ?? 2 },
    fetchIdleMs: (v.B24_FETCH_IDLE_SECONDS ?? 10) * 1000,
    bodyLimitBytes: v.OPENLINES_BODY_LIMIT ?? DEFAULT_BODY_LIMIT,
    joinWindowMs: v.OPENLINES_JOIN_WINDOW_MS ?? DEFAULT_JOIN_WINDOW_MS,
    ...(webhook ? { webhook } : {}),
    ...(app ? { app } : {}),
    ...(v.OPENLINES_EXTERNAL_EVENTS_TOKEN
      ? { externalEventsToken: v.OPENLINES_EXTERNAL_EVENTS_TOKEN }
      : {}),
  };
}
