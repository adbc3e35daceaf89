import { encodePhpForm } from '../../src/events/php-form';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { startHarness, type Harness } from './harness';
import { appUninstallBody, v2MessageBody } from './wire';

const APP = { clientId: 'local.app0001', clientSecret: 'app_client_secret_1' };

function installBody(p: FakePortal, overrides: Record<string, string> = {}): string {
  const t = p.tokens;
  return encodePhpForm({
    event: 'ONAPPINSTALL',
    data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' },
    ts: '1789545901',
    auth: {
      access_token: t.accessToken,
      expires: String(Math.floor(t.expiresAt / 1000)),
      expires_in: '3600',
      scope: 'imbot,imopenlines',
      domain: p.domain,
      server_endpoint: p.oauthServerEndpoint,
      status: 'L',
      client_endpoint: p.clientEndpoint,
      member_id: p.memberId,
      user_id: '1',
      refresh_token: t.refreshToken,
      application_token: p.applicationToken,
      ...overrides,
    },
  });
}

/** A message of portal `p` carrying `token` as its top-level application token. */
function messageOf(p: FakePortal, token: string, messageId: number): string {
  return v2MessageBody({
    memberId: p.memberId,
    domain: 'portal.bitrix24.test',
    applicationToken: token,
    botId: 7,
    chatId: 1777,
    messageId,
    text: 'hi',
  });
}

describe('createServer (app mode)', () => {
  let h: Harness;
  let a: FakePortal;
  let b: FakePortal;
  beforeEach(async () => {
    h = await startHarness({ app: APP });
    a = h.portal;
    b = await createFakePortal({ rateLimit: false, ...APP });
  });
  afterEach(async () => {
    await h.close();
    await b.close();
  });

  it('installs two portals: stores both, with their bots registered to this server', async () => {
    const resA = await fetch(`${h.url}/install`, {
      method: 'POST',
      body: installBody(a),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(resA.status).toBe(200);
    expect(resA.headers.get('content-type')).toMatch(/text\/html/);
    expect(await resA.text()).toContain('The bot is installed');
    expect((await h.post('/install', installBody(b))).status).toBe(200);

    const stored = await h.store.listPortals();
    expect(stored.map((r) => r.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    for (const p of [a, b]) {
      const record = await h.store.getPortal(p.memberId);
      const bot = p.bots.find((x) => x.code === 'echo_bot');
      expect(bot).toMatchObject({
        apiVersion: 2,
        eventMode: 'webhook',
        webhookUrl: 'https://bot.example.test/events',
        owner: { kind: 'app' },
      });
      expect(record).toMatchObject({
        applicationToken: p.applicationToken,
        clientEndpoint: p.clientEndpoint,
        bots: { echo_bot: { id: bot?.id, apiVersion: 2 } },
      });
    }
  });

  it("refuses an event of portal A carrying portal B's application token", async () => {
    await h.post('/install', installBody(a));
    await h.post('/install', installBody(b));
    const before = await h.store.stats();
    const res = await h.post('/events', messageOf(a, b.applicationToken, 1));
    expect(res.status).toBe(401);
    expect(await h.store.stats()).toEqual(before);

    expect((await h.post('/events', messageOf(a, a.applicationToken, 2))).status).toBe(200);
    await h.runtime.idle();
    expect(a.callsOf('imopenlines.bot.session.message.send')).toHaveLength(1);
    expect(b.callsOf('imopenlines.bot.session.message.send')).toHaveLength(0);
  });

  it("forgets a portal's credentials on a verified ONAPPUNINSTALL, and only then", async () => {
    await h.post('/install', installBody(a));
    await h.post('/install', installBody(b));
    expect(
      (
        await h.post(
          '/events',
          appUninstallBody({ memberId: a.memberId, applicationToken: b.applicationToken }),
        )
      ).status,
    ).toBe(401);
    expect(await h.store.getPortal(a.memberId)).toBeDefined();

    expect(
      (
        await h.post(
          '/events',
          appUninstallBody({ memberId: a.memberId, applicationToken: a.applicationToken }),
        )
      ).status,
    ).toBe(200);
    expect(await h.store.getPortal(a.memberId)).toBeUndefined();
    expect(await h.store.getPortal(b.memberId)).toBeDefined();
    // Nothing of portal A is accepted any more.
    expect((await h.post('/events', messageOf(a, a.applicationToken, 3))).status).toBe(401);
  });

  it('refuses a forged re-install of a known portal and keeps its credentials', async () => {
    await h.post('/install', installBody(a));
    // The attacker owns portal B: its tokens really work, but only on B's endpoint.
    const forged = installBody(a, {
      access_token: b.tokens.accessToken,
      refresh_token: b.tokens.refreshToken,
      application_token: 'attacker_token',
      client_endpoint: b.clientEndpoint,
    });
    const res = await fetch(`${h.url}/install`, {
      method: 'POST',
      body: forged,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Installation refused');
    expect(await h.store.getPortal(a.memberId)).toMatchObject({
      applicationToken: a.applicationToken,
      clientEndpoint: a.clientEndpoint,
    });
    expect((await h.post('/events', messageOf(a, 'attacker_token', 4))).status).toBe(401);
  });

  it('completes a UI installation: the page calls installFinish, the token arrives with ONAPPINSTALL', async () => {
    const t = a.tokens;
    const frame = new URLSearchParams({
      AUTH_ID: t.accessToken,
      AUTH_EXPIRES: '3600',
      REFRESH_ID: t.refreshToken,
      SERVER_ENDPOINT: a.oauthServerEndpoint,
      member_id: a.memberId,
      status: 'L',
    });
    const res = await fetch(
      `${h.url}/install?DOMAIN=${encodeURIComponent(a.domain)}&PROTOCOL=0&LANG=en`,
      {
        method: 'POST',
        body: frame.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('BX24.installFinish()');
    expect(await h.store.getPortal(a.memberId)).toMatchObject({ clientEndpoint: a.clientEndpoint });
    expect((await h.store.getPortal(a.memberId))?.applicationToken).toBeUndefined();
    // No application token yet: nothing is accepted.
    expect((await h.post('/events', messageOf(a, a.applicationToken, 5))).status).toBe(401);

    expect((await h.post('/events', installBody(a))).status).toBe(200);
    expect((await h.store.getPortal(a.memberId))?.applicationToken).toBe(a.applicationToken);
    expect((await h.post('/events', messageOf(a, a.applicationToken, 6))).status).toBe(200);
  });

  it('answers 400 with issues to an install request it cannot read', async () => {
    const res = await h.post('/install', 'AUTH_ID=x');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'EVENT_VALIDATION' });
    expect(Array.isArray(res.json.issues)).toBe(true);
    expect(await h.store.listPortals()).toEqual([]);
  });
});
