/**
 * `openlines-bot serve <bot...>`: the HTTP server for one or more bots. With a portal configured
 * (`B24_*`) it serves that portal; without one it serves a local portal simulator, so that
 * `npm start` works on a fresh clone and shows what to do next.
 */
import { loadConfig, type OpenlinesConfig } from '../config/load-config';
import type { BotDefinition } from '../dsl/define-bot';
import {
  admissionFromEnv,
  effectMaxAttemptsFromEnv,
  historyFromEnv,
  inlineTurnsFromEnv,
} from '../config/runtime-env';
import { createServer } from '../http/create-server';
import { inspectorSettingsFromEnv, type InspectorSettings } from '../inspector/inspector-settings';
import { installShutdown } from '../http/install-shutdown';
import { createLogger } from '../logger';
import { describeRedisUrl } from '../store/redis-connection';
import { checkRedisPersistenceAt } from '../store/redis-persistence';
import { DEFAULT_REDIS_PREFIX } from '../store/redis-keys';
import { checkWebhook } from './check-webhook';
import { createRestClient } from '../bitrix/create-rest-client';
import { readApiRevisions } from '../bitrix/read-api-revisions';
import { UsageError, writeLines, type CliIo } from './cli-io';
import { loadBot } from './load-bot';
import { startLocalSimulator, type LocalSimulator } from './local-simulator';

/** Options of {@link runServeCommand}. */
export interface ServeCommandOptions {
  botSpecs: string[];
  /** Overrides `PORT`. */
  port?: string;
  /** Overrides `HOST`. */
  host?: string;
  io: CliIo;
  /** How the process ends after a graceful shutdown. Default `process.exit`. */
  exit?: (code: number) => void;
}

function storeText(config: OpenlinesConfig): string {
  const { store } = config;
  if (store.kind === 'memory') return 'memory store (nothing survives a restart)';
  if (store.kind === 'sqlite') return `SQLite store ${store.path}`;
  // Host, port and database only: the URL may carry a password.
  return `Redis store ${describeRedisUrl(store.url)}, key prefix "${store.prefix ?? DEFAULT_REDIS_PREFIX}"`;
}

function quoteNames(bots: readonly BotDefinition[]): string {
  return bots.map((b) => `"${b.code}"`).join(', ');
}

function localBanner(o: {
  url: string;
  bots: readonly BotDefinition[];
  specs: string[];
  sim: LocalSimulator;
  ids: Map<string, number>;
  config: OpenlinesConfig;
}): string[] {
  const first = o.bots.find((b) => b.apiVersion === 2);
  const spec = o.specs[0] ?? 'bots/support';
  const samples = first
    ? o.sim.sampleRequests({
        eventsUrl: `${o.url}/events`,
        bot: first,
        botId: o.ids.get(first.code) ?? 0,
      })
    : [];
  return [
    '',
    `openlines-bot is serving ${quoteNames(o.bots)} at ${o.url} (${storeText(o.config)}).`,
    '',
    'No Bitrix24 portal is configured, so it runs against a local portal simulator',
    `(${o.sim.portal.url}). The bots are registered there; whatever they send shows below as [simulator] lines.`,
    '',
    'Try it:',
    `  curl ${o.url}/healthz`,
    ...(samples.length > 0
      ? ['  # a client opens a chat, then asks for a human:', ...samples.map((s) => `  ${s}`)]
      : []),
    `  # or chat with the bot in your terminal, offline: npx openlines-bot chat ${spec}`,
    '',
    'Connect a real portal (README: "Connect a real portal"):',
    '  1. In Bitrix24 create an incoming webhook with the scopes imbot and imopenlines.',
    '  2. export B24_WEBHOOK_URL=<the webhook URL> B24_BOT_TOKEN=<a secret you choose, at most 40 characters>',
    `  3. npx openlines-bot register ${spec} --url https://<your public address>/events   (or --fetch: no public address needed)`,
    '  4. Attach the bot to an open line: Contact Center > Open Channels > line settings > chatbot.',
    `  5. Start again with the same variables: npx openlines-bot serve ${spec}   (add B24_EVENT_MODE=fetch for fetch mode)`,
    '',
    'Stop with Ctrl+C.',
    '',
  ];
}

function portalBanner(o: {
  url: string;
  bots: readonly BotDefinition[];
  specs: string[];
  config: OpenlinesConfig;
}): string[] {
  const { config } = o;
  const where =
    config.mode === 'app'
      ? 'OAuth app mode (portals install the app)'
      : `portal ${config.webhook?.domain ?? ''} (incoming webhook)`;
  const events =
    config.eventMode === 'fetch'
      ? 'fetch mode: polling imbot.v2.Event.get'
      : `events at ${config.publicUrl ?? o.url}/events`;
  return [
    `openlines-bot is serving ${quoteNames(o.bots)} at ${o.url}: ${where}, ${events}, ${storeText(config)}.`,
    ...(config.mode === 'webhook' && config.eventMode === 'webhook'
      ? [
          `Register the handler once: npx openlines-bot register ${o.specs[0] ?? '<bot>'} --url <public URL>/events`,
        ]
      : []),
    `Health: ${o.url}/healthz   Metrics: ${o.url}/metrics   Stop with Ctrl+C (graceful).`,
  ];
}

function inspectorLine(url: string, s: InspectorSettings): string {
  if (!s.enabled)
    return s.development
      ? 'Inspector: off (OPENLINES_INSPECTOR=off).'
      : 'Inspector: off (set OPENLINES_INSPECTOR_TOKEN to serve it at /inspector).';
  const access = s.token ? 'token required' : 'this machine';
  const actions = s.actions ? 'operator actions on' : 'read-only';
  const play = s.development ? `   Playground: ${url}/inspector/play` : '';
  return `Inspector: ${url}/inspector (${access}, ${actions})${play}`;
}

/**
 * Serves the bots until SIGTERM/SIGINT. Resolves only if `exit` is injected and returns.
 *
 * @example
 * await runServeCommand({ botSpecs: ['bots/support'], io: processIo() });
 */
export async function runServeCommand(options: ServeCommandOptions): Promise<number> {
  const { io } = options;
  if (options.botSpecs.length === 0)
    throw new UsageError('serve needs at least one bot (a module or a folder holding bot.ts)');
  const bots: BotDefinition[] = [];
  for (const spec of options.botSpecs) bots.push(await loadBot({ spec, cwd: io.cwd }));
  const env = {
    ...io.env,
    ...(options.port !== undefined ? { PORT: options.port } : {}),
    ...(options.host !== undefined ? { HOST: options.host } : {}),
  };
  let config = loadConfig({ env });
  let sim: LocalSimulator | undefined;
  if (config.mode === 'local') {
    sim = await startLocalSimulator({ print: (line) => writeLines(io.stdout, [line]) });
    // The simulator is for this machine only: listen on loopback unless HOST says otherwise.
    config = loadConfig({ env: { HOST: '127.0.0.1', ...env, ...sim.env } });
  }
  const logger = createLogger({ level: config.logLevel });
  // With the local simulator the configuration points at it (webhook mode), but this is development.
  const inspector = inspectorSettingsFromEnv({ env, mode: sim ? 'local' : config.mode });
  const history = historyFromEnv(env);
  const maxAttempts = effectMaxAttemptsFromEnv(env);
  const inlineTurns = inlineTurnsFromEnv(env);
  const admission = admissionFromEnv(env);
  const server = createServer({
    bots,
    config,
    logger,
    inspector,
    runtimeOptions: {
      ...(history !== undefined ? { history } : {}),
      ...(maxAttempts !== undefined ? { dispatcher: { maxAttempts } } : {}),
      ...(inlineTurns !== undefined ? { inlineTurns } : {}),
      ...(admission !== undefined ? { admission } : {}),
    },
  });
  let url: string;
  let port: number;
  try {
    ({ url, port } = await server.listen());
  } catch (e) {
    await server.close({ deadlineMs: 1000 });
    await sim?.close();
    throw e;
  }
  if (sim) {
    const ids = await sim.registerBots(bots, `http://127.0.0.1:${port}/events`);
    writeLines(io.stdout, localBanner({ url, bots, specs: options.botSpecs, sim, ids, config }));
  } else {
    writeLines(io.stdout, portalBanner({ url, bots, specs: options.botSpecs, config }));
    if (config.mode === 'webhook' && config.webhook) {
      // Once, in the background: the server answers (/healthz included) whatever the outcome.
      void checkWebhook({ webhook: config.webhook }).then((result) => {
        if (result.status === 'ok') {
          logger.info({ scopes: result.scopes }, result.message);
          writeLines(io.stdout, [`openlines-bot: ${result.message}`]);
          return;
        }
        logger.error({ check: result.status }, result.message);
        writeLines(io.stderr, [`openlines-bot: ${result.message}`]);
      });
      // Once, in the background: the portal's API revisions go to the log.
      const webhookUrl = config.webhook.url;
      void readApiRevisions({
        client: createRestClient({ auth: { type: 'webhook', url: webhookUrl }, logger }),
        logger,
      }).catch((e: unknown) => logger.warn({ err: e }, 'could not read the portal API revisions'));
    }
  }
  if (config.store.kind === 'redis') {
    // Once, in the background: acknowledged events live in Redis, so say when Redis would lose them.
    void checkRedisPersistenceAt(config.store.url).then((p) => {
      if (p.status === 'aof' && p.appendfsync !== 'no') {
        logger.info(p.message);
        return;
      }
      logger.warn({ persistence: p.status }, p.message);
      writeLines(io.stderr, [`openlines-bot: warning: ${p.message}`]);
    });
  }
  writeLines(io.stdout, [inspectorLine(url, inspector)]);
  const simulator = sim;
  return new Promise<number>((resolve) => {
    installShutdown(
      {
        async close(o) {
          await server.close(o);
          await simulator?.close();
        },
      },
      {
        logger,
        exit: (code) => {
          if (options.exit) options.exit(code);
          else process.exit(code);
          resolve(code);
        },
      },
    );
  });
}
