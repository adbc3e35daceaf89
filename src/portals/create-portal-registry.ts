/**
 * Which REST client serves which portal. Webhook mode: one client for the configured incoming
 * webhook (with its `CLIENT_ID` / bot token), whatever the portal id. App mode: one OAuth client
 * per installed portal, built from the store; refreshed tokens are persisted to the store before
 * they are used (the refresh token rotates). One rate budget per portal, shared by every client
 * of that portal, so the runtime, the poller and the installer never overrun it together; with a
 * store that has `reserveRate` (every built-in one) the budget lives in the store, so that every
 * process serving the portal shares it too.
 */
import { systemClock, type Clock } from '../clock';
import { ConfigError } from '../errors';
import {
  createRestClient,
  type BitrixRestClient,
  type RestClientOptions,
} from '../bitrix/create-rest-client';
import { hostname } from 'node:os';
import type { OAuthTokens, SharedOAuthTokens } from '../bitrix/oauth-auth';
import { AuthRefreshError } from '../bitrix/rest-errors';
import { createRateBudget, type RateBudget } from '../bitrix/rate-budget';
import { createSharedRateBudget } from '../bitrix/shared-rate-budget';
import type { OpenlinesConfig } from '../config/load-config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { PortalRecord, Store } from '../store/store';

/** A REST client with the typed methods. */
export type BitrixClient = BitrixRestClient;

/** Options of {@link createPortalRegistry}. */
export interface PortalRegistryOptions {
  config: Pick<OpenlinesConfig, 'mode' | 'webhook' | 'app' | 'rate'>;
  /**
   * Portal records; with `reserveRate` / `saturateRate` the portals' request budgets are kept
   * there too (shared by every process on the store), otherwise in this process.
   */
  store: Pick<Store, 'getPortal' | 'savePortal'> &
    Partial<Pick<Store, 'reserveRate' | 'saturateRate' | 'acquireLock' | 'releaseLock'>>;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /** Replaces `createRestClient` (tests, custom transports). */
  createClient?: (options: RestClientOptions) => BitrixClient;
  /** Per-call timeout of the clients; default the client's (30 s). */
  timeoutMs?: number;
}

/** The registry. `clients` is what `createRuntime({ clients })` takes. */
export interface PortalRegistry {
  readonly mode: OpenlinesConfig['mode'];
  /** The client of a portal (`memberId`); rejects with `ConfigError` for a portal that is not installed. */
  clients(portalId: string): Promise<BitrixClient>;
  /** An OAuth client for tokens that are not (yet) in the store: the installer proves them with it. */
  oauthClient(options: {
    tokens: OAuthTokens;
    onTokens: (tokens: OAuthTokens) => Promise<void>;
    /** Tokens shared with other processes through the store (set for installed portals). */
    shared?: SharedOAuthTokens;
  }): BitrixClient;
  /** Drops the cached client of a portal (new tokens installed, or the app was uninstalled). */
  forget(portalId: string): void;
}

/**
 * Creates the portal registry.
 *
 * @example
 * const portals = createPortalRegistry({ config, store });
 * const runtime = createRuntime({ bots, store, clients: portals.clients });
 */
export function createPortalRegistry(options: PortalRegistryOptions): PortalRegistry {
  const { config, store } = options;
  const clock = options.clock ?? systemClock;
  const make = options.createClient ?? createRestClient;
  const budgets = new Map<string, RateBudget>();
  const cache = new Map<string, Promise<BitrixClient>>();
  const common = {
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };

  const budgetOf = (portalId: string): RateBudget => {
    let b = budgets.get(portalId);
    if (b) return b;
    const limit = { burst: config.rate.burst, drainPerSecond: config.rate.perSecond, clock };
    const { reserveRate, saturateRate } = store;
    b =
      reserveRate && saturateRate
        ? createSharedRateBudget({
            ...limit,
            key: portalId,
            store: {
              reserveRate: (key, o) => reserveRate.call(store, key, o),
              saturateRate: (key, o) => saturateRate.call(store, key, o),
            },
            ...(options.logger ? { logger: options.logger } : {}),
          })
        : createRateBudget(limit);
    budgets.set(portalId, b);
    return b;
  };

  /** This process, as the owner of the refresh locks it takes. */
  const lockOwner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  // A refresh is one request to the OAuth server, bounded by the client's timeout.
  const lockLeaseMs = Math.max(30_000, 2 * (options.timeoutMs ?? 30_000));

  /** The portal's tokens as every process sees them: the store's record, and its refresh lock. */
  const sharedTokens = (portalId: string): SharedOAuthTokens | undefined => {
    const { acquireLock, releaseLock } = store;
    if (!acquireLock || !releaseLock) return undefined;
    const name = `oauth:${portalId}`;
    return {
      async load() {
        const record = await store.getPortal(portalId);
        return record ? tokensOf(record) : undefined;
      },
      async exclusive(work) {
        const started = clock.now();
        for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
          if (await acquireLock.call(store, name, lockOwner, lockLeaseMs, clock.now())) break;
          if (clock.now() - started > lockLeaseMs) {
            throw new AuthRefreshError({
              error: 'lock_timeout',
              description: `another process held the token refresh lock of portal ${portalId} for ${lockLeaseMs} ms`,
            });
          }
          await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
        }
        try {
          return await work();
        } finally {
          await releaseLock.call(store, name, lockOwner).catch((err: unknown) => {
            options.logger?.warn(
              { err, portal: portalId },
              'could not release the token refresh lock; it expires by itself',
            );
          });
        }
      },
    };
  };

  const oauthClient: PortalRegistry['oauthClient'] = ({ tokens, onTokens, shared }) => {
    const app = config.app;
    if (!app)
      throw new ConfigError(
        ['OAuth clients need app mode (B24_APP_CLIENT_ID, B24_APP_CLIENT_SECRET)'],
        'Wrong mode',
      );
    return make({
      ...common,
      auth: {
        type: 'oauth',
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        tokens,
        onTokens,
        ...(shared ? { shared } : {}),
      },
      rateBudget: budgetOf(tokens.memberId),
    });
  };

  async function appClient(portalId: string): Promise<BitrixClient> {
    const record = await store.getPortal(portalId);
    if (!record?.accessToken || !record.refreshToken || !record.clientEndpoint) {
      throw new ConfigError(
        [`portal ${portalId} is not installed (no stored OAuth tokens)`],
        'Unknown portal',
      );
    }
    const shared = sharedTokens(portalId);
    return oauthClient({
      tokens: tokensOf(record)!,
      ...(shared ? { shared } : {}),
      onTokens: async (t) => {
        // Re-read: bot ids or the application token may have changed since the client was built.
        const current = (await store.getPortal(portalId)) ?? record;
        await store.savePortal({
          ...current,
          accessToken: t.accessToken,
          refreshToken: t.refreshToken,
          clientEndpoint: t.clientEndpoint,
          ...(t.serverEndpoint ? { serverEndpoint: t.serverEndpoint } : {}),
          ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
          updatedAt: clock.now(),
        });
      },
    });
  }

  function webhookClient(): BitrixClient {
    const w = config.webhook;
    if (!w)
      throw new ConfigError(
        [
          'no portal is configured: set B24_WEBHOOK_URL (webhook mode) or B24_APP_CLIENT_ID/SECRET (app mode)',
        ],
        'No portal',
      );
    return make({
      ...common,
      auth: {
        type: 'webhook',
        url: w.url,
        ...(w.clientId ? { clientId: w.clientId } : {}),
        ...(w.botToken ? { botToken: w.botToken } : {}),
      },
      rateBudget: budgetOf(w.memberId),
    });
  }

  return {
    mode: config.mode,
    clients(portalId) {
      const key = config.mode === 'app' ? portalId : '*';
      let c = cache.get(key);
      if (!c) {
        c = config.mode === 'app' ? appClient(portalId) : Promise.resolve().then(webhookClient);
        cache.set(key, c);
        // A portal that is not installed yet may be installed later: do not cache the refusal.
        const mine = c;
        mine.catch(() => {
          if (cache.get(key) === mine) cache.delete(key);
        });
      }
      return c;
    },
    oauthClient,
    forget(portalId) {
      cache.delete(config.mode === 'app' ? portalId : '*');
    },
  };
}

/** The OAuth tokens of a stored portal record; undefined when it has none. */
function tokensOf(record: PortalRecord): OAuthTokens | undefined {
  if (!record.accessToken || !record.refreshToken || !record.clientEndpoint) return undefined;
  return {
    memberId: record.memberId,
    domain: record.domain,
    clientEndpoint: record.clientEndpoint,
    ...(record.serverEndpoint ? { serverEndpoint: record.serverEndpoint } : {}),
    accessToken: record.accessToken,
    refreshToken: record.refreshToken,
    ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
  };
}
