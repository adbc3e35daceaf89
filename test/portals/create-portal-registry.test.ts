import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { loadConfig } from '../../src/config/load-config';
import { createPortalRegistry, type BitrixClient } from '../../src/portals/create-portal-registry';
import { memoryStore } from '../../src/store/memory-store';
import type { PortalRecord } from '../../src/store/store';
import type { RateBudget } from '../../src/bitrix/rate-budget';
import type { Clock } from '../../src/clock';
import { isOpenlinesError } from '../../src/errors';

describe('createPortalRegistry', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
  });
  afterEach(async () => {
    await portal.close();
  });

  it('serves every portal id with the one webhook client, adding the bot token to v2 calls', async () => {
    const config = loadConfig({
      env: { B24_WEBHOOK_URL: portal.webhookUrl, B24_BOT_TOKEN: 'bot_token_1' },
    });
    const portals = createPortalRegistry({ config, store: memoryStore() });
    const a = await portals.clients(portal.memberId);
    const b = await portals.clients('anything');
    expect(a).toBe(b);
    await a.api.imbot.v2.Bot.register({
      fields: { code: 'x_bot', type: 'openline', eventMode: 'fetch', properties: { name: 'X' } },
    });
    const [call] = portal.callsOf('imbot.v2.Bot.register');
    expect(call?.auth).toBe('webhook');
    expect((call?.params.fields as Record<string, unknown>).botToken).toBe('bot_token_1');
  });

  it('builds an OAuth client per installed portal and persists rotated tokens before using them', async () => {
    const store = memoryStore();
    const t = portal.tokens;
    const record: PortalRecord = {
      memberId: t.memberId,
      domain: t.domain,
      clientEndpoint: t.clientEndpoint,
      serverEndpoint: t.serverEndpoint,
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      applicationToken: portal.applicationToken,
      bots: { support: { id: 7, apiVersion: 2 } },
      installedAt: 1,
      updatedAt: 1,
    };
    await store.savePortal(record);
    const config = loadConfig({
      env: {
        B24_APP_CLIENT_ID: portal.clientId,
        B24_APP_CLIENT_SECRET: portal.clientSecret,
        PUBLIC_URL: 'https://bot.example.com',
      },
    });
    const portals = createPortalRegistry({ config, store });
    const client = await portals.clients(t.memberId);
    expect(await portals.clients(t.memberId)).toBe(client);

    portal.expireAccessToken();
    await client.call('imopenlines.bot.session.operator', { CHAT_ID: 1777 });
    expect(portal.refreshes).toBe(1);
    const saved = await store.getPortal(t.memberId);
    expect(saved?.refreshToken).toBe(portal.tokens.refreshToken);
    expect(saved?.refreshToken).not.toBe(t.refreshToken);
    expect(saved?.accessToken).toBe(portal.tokens.accessToken);
    // Everything else of the record survives the token rotation.
    expect(saved).toMatchObject({
      applicationToken: portal.applicationToken,
      bots: { support: { id: 7, apiVersion: 2 } },
    });
  });

  it('refuses a portal that is not installed, without caching the refusal', async () => {
    const store = memoryStore();
    const config = loadConfig({
      env: {
        B24_APP_CLIENT_ID: 'app',
        B24_APP_CLIENT_SECRET: 'secret_1',
        PUBLIC_URL: 'https://bot.example.com',
      },
    });
    const portals = createPortalRegistry({ config, store });
    const refusal = await portals.clients('unknown-member').catch((e: unknown) => e);
    expect(isOpenlinesError(refusal) && refusal.code).toBe('CONFIG');
    const t = portal.tokens;
    await store.savePortal({
      ...t,
      memberId: 'unknown-member',
      bots: {},
      installedAt: 1,
      updatedAt: 1,
    });
    await expect(portals.clients('unknown-member')).resolves.toBeDefined();
  });

  it('forgets a cached client so the next one uses the new credentials', async () => {
    const store = memoryStore();
    const t = portal.tokens;
    await store.savePortal({ ...t, bots: {}, installedAt: 1, updatedAt: 1 });
    const config = loadConfig({
      env: {
        B24_APP_CLIENT_ID: portal.clientId,
        B24_APP_CLIENT_SECRET: portal.clientSecret,
        PUBLIC_URL: 'https://bot.example.com',
      },
    });
    const portals = createPortalRegistry({ config, store });
    const first = await portals.clients(t.memberId);
    portals.forget(t.memberId);
    expect(await portals.clients(t.memberId)).not.toBe(first);
  });
});

describe('createPortalRegistry (rate budget)', () => {
  it('shares one rate budget per portal between its clients, and not across portals', async () => {
    const seen: Array<{ portal: string; budget: unknown }> = [];
    const store = memoryStore();
    const base = {
      domain: 'x.bitrix24.test',
      clientEndpoint: 'https://x.bitrix24.test/rest/',
      accessToken: 'access_token_1',
      refreshToken: 'refresh_token_1',
      bots: {},
      installedAt: 1,
      updatedAt: 1,
    };
    await store.savePortal({ ...base, memberId: 'pa' });
    await store.savePortal({ ...base, memberId: 'pb' });
    const config = loadConfig({
      env: {
        B24_APP_CLIENT_ID: 'app',
        B24_APP_CLIENT_SECRET: 'secret_1',
        PUBLIC_URL: 'https://bot.example.com',
      },
    });
    const portals = createPortalRegistry({
      config,
      store,
      createClient: (o) => {
        const portal = o.auth.type === 'oauth' ? o.auth.tokens.memberId : 'webhook';
        seen.push({ portal, budget: o.rateBudget });
        return { portalId: portal } as unknown as BitrixClient;
      },
    });
    await portals.clients('pa');
    await portals.clients('pb');
    portals.oauthClient({ tokens: { ...base, memberId: 'pa' }, onTokens: async () => undefined });
    const [a1, b1, a2] = seen;
    expect(a1?.budget).toBeDefined();
    expect(a2?.budget).toBe(a1?.budget);
    expect(b1?.budget).not.toBe(a1?.budget);
  });

  it('keeps the budget in the store: two registries (two processes) on one store draw from one bucket', async () => {
    const store = memoryStore();
    const config = loadConfig({
      env: {
        B24_WEBHOOK_URL: 'https://x.bitrix24.test/rest/1/secret_1/',
        B24_BOT_TOKEN: 'bot_token_1',
        B24_RATE_BURST: '50',
        B24_RATE_PER_SECOND: '2',
      },
    });
    const budgets: RateBudget[] = [];
    // Time stands still; a wait is recorded and then let through.
    const waits: number[] = [];
    const clock: Clock = {
      now: () => 1_700_000_000_000,
      setTimeout: (fn, ms) => {
        waits.push(ms);
        fn();
        return {};
      },
      clearTimeout: () => undefined,
    };
    const registry = () =>
      createPortalRegistry({
        config,
        store,
        clock,
        createClient: (o) => {
          budgets.push(o.rateBudget!);
          return { portalId: 'p' } as unknown as BitrixClient;
        },
      });
    await registry().clients('p');
    await registry().clients('p');
    const [first, second] = budgets as [RateBudget, RateBudget];
    expect(second).not.toBe(first);
    for (let i = 0; i < 48; i++) expect(await first.acquire()).toBe(0);
    expect(waits).toEqual([]);
    // The other process's first request finds the bucket spent by the first one and waits for
    // one request to drain (500 ms at 2 per second, plus the margin for early timers).
    expect(await second.acquire()).toBe(503);
    expect(await first.acquire()).toBe(1003);
    expect(waits).toEqual([503, 1003]);
  });
});
