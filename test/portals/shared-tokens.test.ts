/**
 * Two processes serving one app-mode portal share its OAuth tokens through the store: one
 * refresh for all of them, the newest stored tokens used, never a rotated-out refresh token.
 * Each "process" is a portal registry on its own connection to a real Redis; the portal is the
 * kit's loopback fake, which rotates the refresh token and refuses a rotated-out one.
 */
import { loadConfig } from '../../src/config/load-config';
import {
  createPortalRegistry,
  type PortalRegistry,
} from '../../src/portals/create-portal-registry';
import { memoryStore } from '../../src/store/memory-store';
import { redisStore } from '../../src/store/redis-store';
import type { PortalRecord, Store } from '../../src/store/store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { REDIS_URL, cleanUpRedis, freshPrefix, requireRedis } from '../store/redis-test-env';

afterAll(cleanUpRedis);

function recordOf(portal: FakePortal): PortalRecord {
  const t = portal.tokens;
  return {
    memberId: t.memberId,
    domain: t.domain,
    clientEndpoint: t.clientEndpoint,
    serverEndpoint: t.serverEndpoint,
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: t.expiresAt,
    applicationToken: portal.applicationToken,
    bots: { support: { id: 7, apiVersion: 2 } },
    installedAt: 1,
    updatedAt: 1,
  };
}

function registryOn(portal: FakePortal, store: Store): PortalRegistry {
  const config = loadConfig({
    env: {
      B24_APP_CLIENT_ID: portal.clientId,
      B24_APP_CLIENT_SECRET: portal.clientSecret,
      PUBLIC_URL: 'https://bot.example.com',
    },
  });
  return createPortalRegistry({ config, store });
}

const send = (registry: PortalRegistry, memberId: string, chat: number) =>
  registry
    .clients(memberId)
    .then((c) => c.call('imopenlines.bot.session.operator', { CHAT_ID: chat }));

describe('shared OAuth tokens (two processes on one Redis)', () => {
  let portal: FakePortal;
  let stores: Store[] = [];
  beforeEach(async () => {
    await requireRedis();
    portal = await createFakePortal({ rateLimit: false });
    const prefix = freshPrefix();
    stores = [redisStore({ url: REDIS_URL, prefix }), redisStore({ url: REDIS_URL, prefix })];
    await stores[0]!.savePortal(recordOf(portal));
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await portal.close();
  });

  it('refreshes once for both when the token expires under concurrent calls', async () => {
    const [a, b] = stores.map((s) => registryOn(portal, s)) as [PortalRegistry, PortalRegistry];
    await Promise.all([send(a, portal.memberId, 1), send(b, portal.memberId, 2)]);
    portal.expireAccessToken();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b, portal.memberId, 10 + i)),
    );
    expect({ refreshes: portal.refreshes, refused: portal.refusedRefreshes }).toEqual({
      refreshes: 1,
      refused: 0,
    });
    expect((await stores[1]!.getPortal(portal.memberId))?.refreshToken).toBe(
      portal.tokens.refreshToken,
    );
  });

  it('never refreshes with a refresh token another process rotated out', async () => {
    const [a, b] = stores.map((s) => registryOn(portal, s)) as [PortalRegistry, PortalRegistry];
    await send(a, portal.memberId, 1);
    await send(b, portal.memberId, 2);
    // A refreshes alone: B still holds the first pair, whose refresh token is now rotated out.
    portal.expireAccessToken();
    await send(a, portal.memberId, 3);
    // Expired again: B's 401 must lead it to the stored pair, and refresh with that one.
    portal.expireAccessToken();
    await send(b, portal.memberId, 4);
    await send(a, portal.memberId, 5);
    expect({ refreshes: portal.refreshes, refused: portal.refusedRefreshes }).toEqual({
      refreshes: 2,
      refused: 0,
    });
    expect(portal.callsOf('imopenlines.bot.session.operator').filter((c) => !c.error)).toHaveLength(
      5,
    );
  });

  it('takes the stored tokens when its own refresh is refused because someone rotated them meanwhile', async () => {
    // A writer that does not take the lock (e.g. a re-install) rotates the tokens right after
    // this process read the store under the lock (its 4th read: client, after the 401, under
    // the lock, before refreshing): its refresh is refused, then it re-reads.
    const inner = stores[0]!;
    let reads = 0;
    let rotated = false;
    const racing: Store = Object.assign(Object.create(inner) as Store, {
      getPortal: async (memberId: string) => {
        const record = await inner.getPortal(memberId);
        reads += 1;
        if (!rotated && reads === 4) {
          rotated = true;
          const other = registryOn(portal, memoryStore());
          await other
            .oauthClient({
              tokens: { ...portal.tokens },
              onTokens: async (t) => {
                await inner.savePortal({ ...record!, ...t, updatedAt: 2 });
              },
            })
            .call('imopenlines.bot.session.operator', { CHAT_ID: 99 })
            .catch(() => undefined);
        }
        return record;
      },
    });
    const registry = registryOn(portal, racing);
    await send(registry, portal.memberId, 1);
    portal.expireAccessToken();
    await send(registry, portal.memberId, 2);
    expect(rotated).toBe(true);
    expect(portal.refusedRefreshes).toBe(1);
    expect(portal.callsOf('imopenlines.bot.session.operator').filter((c) => !c.error).length).toBe(
      3,
    );
  });
});
