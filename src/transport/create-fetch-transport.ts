/**
 * Runs one fetch poller per (portal, v2 bot). Webhook mode: the configured portal; the bot ids come
 * from the store, or from an idempotent `ensureBotRegistered(... mode: 'fetch')` on first start.
 * App mode: every installed portal with the bot registered; installs and uninstalls add and
 * remove pollers while running.
 */
import { ensureBotRegistered } from '../bitrix/register-bot';
import { systemClock, type Clock } from '../clock';
import type { OpenlinesConfig } from '../config/load-config';
import type { BotDefinition } from '../dsl/define-bot';
import type { PortalRef } from '../events/inbound-event';
import { silentLogger, type Logger } from '../logger';
import { noopMetrics, type Metrics } from '../metrics';
import type { PortalRegistry } from '../portals/create-portal-registry';
import type { PortalRecord, Store } from '../store/store';
import type { EventSink } from './event-sink';
import { forgetBot } from './forget-bot';
import { createFetchPoller, type FetchPoller, type FetchPollerOptions } from './fetch-poller';

/** Options of {@link createFetchTransport}. */
export interface FetchTransportOptions {
  bots: ReadonlyArray<
    Pick<BotDefinition, 'code' | 'name' | 'apiVersion' | 'properties' | 'commands'>
  >;
  store: Pick<Store, 'getPortal' | 'savePortal' | 'listPortals' | 'getOffset'>;
  portals: Pick<PortalRegistry, 'clients'>;
  runtime: EventSink;
  config: Pick<OpenlinesConfig, 'mode' | 'webhook'> & { fetchIdleMs?: number };
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /** Extra poller settings (backoff, page size). */
  poller?: Pick<FetchPollerOptions, 'limit' | 'backoff' | 'maxPagesPerCycle' | 'pageMs'>;
  /** Replaces `ensureBotRegistered` (tests). */
  register?: typeof ensureBotRegistered;
}

/** The set of pollers. */
export interface FetchTransport {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Starts pollers for a newly installed portal. */
  addPortal(record: PortalRecord): Promise<void>;
  /** Stops the pollers of a portal (uninstalled). */
  removePortal(memberId: string): Promise<void>;
  /** Stops the poller of a bot deleted on the portal. */
  removeBot(memberId: string, botId: number): Promise<void>;
  /** The running pollers. */
  pollers(): FetchPoller[];
}

function refOf(record: PortalRecord): PortalRef {
  return {
    memberId: record.memberId,
    domain: record.domain,
    ...(record.clientEndpoint ? { clientEndpoint: record.clientEndpoint } : {}),
    ...(record.serverEndpoint ? { serverEndpoint: record.serverEndpoint } : {}),
  };
}

/**
 * Creates the fetch transport.
 *
 * @example
 * const fetchTransport = createFetchTransport({ bots, store, portals, runtime, config });
 * await fetchTransport.start();
 */
export function createFetchTransport(options: FetchTransportOptions): FetchTransport {
  const { store, portals, runtime, config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const metrics = options.metrics ?? noopMetrics;
  const register = options.register ?? ensureBotRegistered;
  const v2Bots = options.bots.filter((b) => b.apiVersion === 2);
  const running = new Map<string, FetchPoller>();
  let stopped = false;

  for (const b of options.bots) {
    if (b.apiVersion !== 2)
      logger.warn(
        { botCode: b.code },
        'fetch mode exists only for v2 bots: this v1 bot receives no events',
      );
  }

  const keyOf = (memberId: string, botId: number): string => `${memberId}:${botId}`;

  async function startPoller(record: PortalRecord, botId: number): Promise<void> {
    const key = keyOf(record.memberId, botId);
    if (stopped || running.has(key)) return;
    const client = await portals.clients(record.memberId);
    const poller = createFetchPoller({
      ...options.poller,
      client,
      botId,
      portal: refOf(record),
      runtime,
      store,
      clock,
      logger,
      metrics,
      ...(config.fetchIdleMs !== undefined ? { idleMs: config.fetchIdleMs } : {}),
      onBotDeleted: (id) => {
        logger.info(
          { portal: record.memberId, bot: id },
          'bot deleted on the portal: polling stops',
        );
        forgetBot({ store, memberId: record.memberId, botId: id, now: clock.now() })
          .catch((e: unknown) =>
            logger.error(
              { err: e, portal: record.memberId, bot: id },
              'could not forget the deleted bot',
            ),
          )
          .finally(() => void transport.removeBot(record.memberId, id));
      },
    });
    running.set(key, poller);
    poller.start();
  }

  /** Webhook mode: make sure each v2 bot exists in fetch mode and its id is stored. */
  async function webhookPortal(): Promise<PortalRecord> {
    const w = config.webhook;
    if (!w) throw new Error('fetch transport: webhook mode without a webhook configuration');
    const now = clock.now();
    let record: PortalRecord = (await store.getPortal(w.memberId)) ?? {
      memberId: w.memberId,
      domain: w.domain,
      bots: {},
      installedAt: now,
      updatedAt: now,
    };
    const missing = v2Bots.filter((b) => !record.bots[b.code]);
    if (missing.length > 0) {
      const client = await portals.clients(w.memberId);
      const bots = { ...record.bots };
      for (const b of missing) {
        const id = await register(client.api, {
          code: b.code,
          name: b.name,
          apiVersion: 2,
          mode: 'fetch',
          properties: { ...b.properties },
          ...(b.commands ? { commands: b.commands } : {}),
        });
        bots[b.code] = { id, apiVersion: 2 };
        logger.info(
          { portal: w.memberId, bot: id, botCode: b.code },
          'bot registered in fetch mode',
        );
      }
      record = { ...record, bots, updatedAt: clock.now() };
      await store.savePortal(record);
    }
    return record;
  }

  const transport: FetchTransport = {
    async start() {
      stopped = false;
      const records = config.mode === 'app' ? await store.listPortals() : [await webhookPortal()];
      for (const record of records) await transport.addPortal(record);
    },
    async stop() {
      stopped = true;
      const all = [...running.values()];
      running.clear();
      await Promise.all(all.map((p) => p.stop()));
    },
    async addPortal(record) {
      for (const b of v2Bots) {
        const bot = record.bots[b.code];
        if (bot && bot.apiVersion === 2) await startPoller(record, bot.id);
      }
    },
    async removePortal(memberId) {
      const mine = [...running.entries()].filter(([k]) => k.startsWith(`${memberId}:`));
      for (const [k] of mine) running.delete(k);
      await Promise.all(mine.map(([, p]) => p.stop()));
    },
    async removeBot(memberId, botId) {
      const key = keyOf(memberId, botId);
      const p = running.get(key);
      running.delete(key);
      await p?.stop();
    },
    pollers: () => [...running.values()],
  };
  return transport;
}
