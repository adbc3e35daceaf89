import axios from 'axios';
import nock from 'nock';
import { createFakePortal, mockPortal, type FakePortalApi } from '../../src/testing/fake-portal';

const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });

function fakeClock(start = 1_790_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** One scenario written with plain axios calls; only the portal's addresses differ per run. */
async function scenario(portal: FakePortalApi, clock: ReturnType<typeof fakeClock>): Promise<number[]> {
  const statuses: number[] = [];
  const hook = async (method: string, body: unknown, headers: Record<string, string> = {}) => {
    statuses.push((await http.post(`${portal.webhookUrl}${method}`, body, { headers })).status);
  };
  await hook('imbot.v2.Bot.register', { fields: { code: 'ol', botToken: 't', type: 'openline', properties: { name: 'Bot' } } });
  await hook('imbot.v2.Chat.Message.send', { botId: 7, botToken: 't', dialogId: 'chat1777', fields: { message: 'Hi', keyboard: [{ TEXT: 'Op', COMMAND: 'op' }] } });
  clock.advance(250);
  await hook('imopenlines.bot.session.message.send', 'CHAT_ID=1777&NAME=DEFAULT&MESSAGE=Form+body', { 'content-type': 'application/x-www-form-urlencoded' });
  portal.failNext('imopenlines.bot.session.operator', 'QUERY_LIMIT_EXCEEDED');
  await hook('imopenlines.bot.session.operator', { CHAT_ID: 1777 });
  clock.advance(1000);
  await hook('batch', { halt: 0, cmd: { op: 'imopenlines.bot.session.operator?CHAT_ID=1777', again: 'imopenlines.bot.session.operator?CHAT_ID=1777' } });
  portal.queueEvent(7, { type: 'ONIMBOTV2JOINCHAT', data: { chat: { id: 1777 } }, date: '2026-01-01T00:00:00+00:00' });
  await hook('imbot.v2.Event.get', { botId: 7, botToken: 't' });
  statuses.push((await http.get(`${portal.clientEndpoint}imbot.bot.list?auth=${portal.tokens.accessToken}`)).status);
  await hook('imopenlines.bot.session.transfer', { CHAT_ID: 5, QUEUE_ID: 1, CLIENT_ID: 't' });
  await hook('no.such.method', {});
  return statuses;
}

describe('mockPortal', () => {
  afterEach(() => {
    nock.cleanAll();
  });
  // Leave no interceptor of this file's nock copy behind for the next file in this worker.
  afterAll(() => {
    nock.restore();
  });

  it('records the same calls as the loopback fake portal for the same scenario', async () => {
    const realClock = fakeClock();
    const real = await createFakePortal({ clock: realClock, webhookSecret: 'secret1' });
    const mockClock = fakeClock();
    const mocked = mockPortal(nock, { host: 'https://fake.bitrix24.test', clock: mockClock, webhookSecret: 'secret2' });
    try {
      const realStatuses = await scenario(real, realClock);
      const mockStatuses = await scenario(mocked, mockClock);
      expect(realStatuses).toEqual([200, 200, 200, 503, 200, 200, 200, 200, 404]);
      expect(mockStatuses).toEqual(realStatuses);
      expect(mocked.calls).toEqual(real.calls);
      expect(real.calls).toHaveLength(11);
      expect(mocked.chat(1777).messages.map((m) => m.text)).toEqual(['Hi', 'Form body']);
      expect(mocked.chat(1777).session).toBe('operator');
      expect(mocked.chat(5).session).toBe('transferred');
    } finally {
      await real.close();
      mocked.close();
    }
  });

  it('serves the webhook URL on the https host and removes its interceptors on close', async () => {
    const portal = mockPortal(nock);
    expect(portal.webhookUrl).toBe(`https://fake.bitrix24.test/rest/1/${portal.webhookSecret}/`);
    expect(portal.domain).toBe('fake.bitrix24.test');
    expect((await http.post(`${portal.webhookUrl}imbot.bot.list`, {})).data.result).toEqual([]);
    expect(nock.activeMocks()).toHaveLength(2);
    portal.close();
    expect(nock.activeMocks()).toEqual([]);
  });

  it('refuses a missing nock or a bad host with a ConfigError', () => {
    expect(() => mockPortal({} as never)).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    expect(() => mockPortal(nock, { host: 'fake.bitrix24.test/rest' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });

  it('simulates network failures, the rate limit, refresh and 302 like the fake portal', async () => {
    const clock = fakeClock();
    const portal = mockPortal(nock, { clock, rateLimit: { burst: 1, drainPerSecond: 1 } });
    try {
      portal.failNext('imbot.bot.list', 'NETWORK', { network: true });
      await expect(http.post(`${portal.webhookUrl}imbot.bot.list`, {})).rejects.toMatchObject({ code: 'ECONNRESET' });
      clock.advance(1000);
      expect((await http.post(`${portal.webhookUrl}imbot.bot.list`, {})).status).toBe(200);
      expect((await http.post(`${portal.webhookUrl}imbot.bot.list`, {})).status).toBe(503);
      const q = `grant_type=refresh_token&client_id=${portal.clientId}&client_secret=${portal.clientSecret}&refresh_token=${portal.tokens.refreshToken}`;
      const refreshed = await http.get(`${portal.tokenUrl}?${q}`);
      expect(refreshed.data.client_endpoint).toBe('https://fake.bitrix24.test/rest/');
      const oldHook = portal.webhookUrl;
      const next = portal.rename();
      clock.advance(1000);
      const moved = await http.post(`${oldHook}imbot.bot.list`, {});
      expect(moved.status).toBe(302);
      expect(moved.headers.location).toBe(`${next}/rest/1/${portal.webhookSecret}/imbot.bot.list`);
      expect((await http.post(moved.headers.location as string, {})).status).toBe(200);
    } finally {
      portal.close();
    }
  });
});
