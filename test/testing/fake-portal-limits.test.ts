import axios from 'axios';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';

const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });

function fakeClock(start = 1_790_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('createFakePortal (batch, limits, failures, OAuth, 302)', () => {
  let portal: FakePortal;
  let clock: ReturnType<typeof fakeClock>;
  const hook = (method: string, body: object = {}) => http.post(`${portal.webhookUrl}${method}`, body);

  beforeEach(async () => {
    clock = fakeClock();
    portal = await createFakePortal({ clock });
  });
  afterEach(async () => {
    await portal.close();
  });

  describe('batch', () => {
    it('runs a cmd map with PHP-bracket queries and logs each sub-call with the batch marker', async () => {
      await hook('imbot.register', { CODE: 'b', CLIENT_ID: 'c', EVENT_HANDLER: 'https://bot.example/e', PROPERTIES: { NAME: 'B' } });
      const res = await hook('batch', {
        halt: 0,
        cmd: {
          say: 'imbot.message.add?BOT_ID=7&CLIENT_ID=c&DIALOG_ID=chat1777&MESSAGE=Hi%20there&KEYBOARD%5BBUTTONS%5D%5B0%5D%5BTEXT%5D=Ok&KEYBOARD%5BBUTTONS%5D%5B0%5D%5BCOMMAND%5D=ok',
          op: 'imopenlines.bot.session.operator?CHAT_ID=1777',
          again: 'imopenlines.bot.session.operator?CHAT_ID=1777',
          nope: 'no.such.method',
        },
      });
      expect(res.status).toBe(200);
      const { result, result_error } = res.data.result;
      expect(result).toEqual({ say: expect.any(Number), op: true });
      expect(result_error).toEqual({
        again: { error: 'WRONG_CHAT', error_description: 'Operator is not a bot' },
        nope: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
      });
      expect(portal.chat(1777).messages[0]?.keyboard).toEqual({ BUTTONS: [{ TEXT: 'Ok', COMMAND: 'ok' }] });
      const sub = portal.calls.filter((c) => c.viaBatch);
      expect(sub.map((c) => [c.method, c.batchKey, c.httpRequest, c.error])).toEqual([
        ['imbot.message.add', 'say', 2, undefined],
        ['imopenlines.bot.session.operator', 'op', 2, undefined],
        ['imopenlines.bot.session.operator', 'again', 2, 'WRONG_CHAT'],
        ['no.such.method', 'nope', 2, 'ERROR_METHOD_NOT_FOUND'],
      ]);
      expect(sub[0]?.params).toEqual({ BOT_ID: '7', CLIENT_ID: 'c', DIALOG_ID: 'chat1777', MESSAGE: 'Hi there', KEYBOARD: { BUTTONS: [{ TEXT: 'Ok', COMMAND: 'ok' }] } });
      expect(portal.calls.filter((c) => c.method === 'batch')).toHaveLength(1);
    });

    it('answers an array cmd with lists, stops at the first failure with halt, and forbids nested batch', async () => {
      const list = await hook('batch', { cmd: ['imopenlines.bot.session.operator?CHAT_ID=1', 'imopenlines.bot.session.operator?CHAT_ID=2'] });
      expect(list.data.result.result).toEqual([true, true]);
      expect(list.data.result.result_error).toEqual([]);
      const halted = await hook('batch', {
        halt: 1,
        cmd: { a: 'imopenlines.bot.session.operator?CHAT_ID=1', b: 'imopenlines.bot.session.operator?CHAT_ID=3', c: 'batch?cmd[x]=y' },
      });
      expect(halted.data.result.result).toEqual([]);
      expect(Object.keys(halted.data.result.result_error)).toEqual(['a']);
      expect(portal.chat(3).session).toBe('bot');
      const nested = await hook('batch', { cmd: { c: 'batch?cmd[x]=y' } });
      expect(nested.data.result.result_error.c.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
    });

    it('accepts a form-encoded batch body', async () => {
      const body = `halt=0&cmd%5Bone%5D=${encodeURIComponent('imopenlines.bot.session.message.send?CHAT_ID=9&MESSAGE=a%26b')}`;
      const res = await http.post(`${portal.webhookUrl}batch`, body, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.data.result.result).toEqual({ one: true });
      expect(portal.chat(9).messages[0]?.text).toBe('a&b');
    });

    it('refuses more than 50 sub-calls with ERROR_BATCH_LENGTH_EXCEEDED', async () => {
      const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'imbot.bot.list']));
      const res = await hook('batch', { cmd });
      expect(res.status).toBe(400);
      expect(res.data.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
      expect(portal.calls.filter((c) => c.viaBatch)).toHaveLength(0);
    });
  });

  describe('leaky bucket', () => {
    it('refuses the 51st request of one instant with 503 and lets two more through a second later', async () => {
      for (let i = 0; i < 50; i++) expect((await hook('imbot.bot.list')).status).toBe(200);
      const over = await hook('imbot.bot.list');
      expect(over.status).toBe(503);
      expect(over.data.error).toBe('QUERY_LIMIT_EXCEEDED');
      expect(portal.rejected503).toBe(1);
      clock.advance(1000);
      expect((await hook('imbot.bot.list')).status).toBe(200);
      expect((await hook('imbot.bot.list')).status).toBe(200);
      expect((await hook('imbot.bot.list')).status).toBe(503);
      expect(portal.rejected503).toBe(2);
      expect(portal.requests).toBe(54);
    });

    it('counts a batch of 50 calls as one request', async () => {
      const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'imbot.bot.list']));
      for (let i = 0; i < 50; i++) expect((await hook('batch', { cmd })).status).toBe(200);
      expect((await hook('batch', { cmd })).status).toBe(503);
    });

    it('is configurable and can be switched off', async () => {
      const small = await createFakePortal({ clock, rateLimit: { burst: 2, drainPerSecond: 1 } });
      const free = await createFakePortal({ clock, rateLimit: false });
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await http.post(`${small.webhookUrl}imbot.bot.list`, {})).status);
        expect(statuses).toEqual([200, 200, 503]);
        for (let i = 0; i < 60; i++) expect((await http.post(`${free.webhookUrl}imbot.bot.list`, {})).status).toBe(200);
      } finally {
        await small.close();
        await free.close();
      }
    });
  });

  describe('failNext', () => {
    it('fails the next call of a method once, then lets it through', async () => {
      portal.failNext('imopenlines.bot.session.operator', 'QUERY_LIMIT_EXCEEDED');
      const first = await hook('imopenlines.bot.session.operator', { CHAT_ID: 1 });
      expect(first.status).toBe(503);
      expect(first.data.error).toBe('QUERY_LIMIT_EXCEEDED');
      expect(portal.chat(1).session).toBe('bot');
      expect((await hook('imopenlines.bot.session.operator', { CHAT_ID: 1 })).status).toBe(200);
      expect(portal.callsOf('imopenlines.bot.session.operator').map((c) => c.error)).toEqual(['QUERY_LIMIT_EXCEEDED', undefined]);
    });

    it('fails the n-th call, several times, with a chosen status, only for that method', async () => {
      portal.failNext('imopenlines.bot.session.message.send', 'INTERNAL_SERVER_ERROR', { nth: 2, times: 2 });
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        await hook('imbot.bot.list');
        statuses.push((await hook('imopenlines.bot.session.message.send', { CHAT_ID: 1, MESSAGE: 'x' })).status);
      }
      expect(statuses).toEqual([200, 500, 500, 200]);
      portal.failNext('imopenlines.bot.session.operator', 'OPERATOR_WRONG', { status: 400, description: 'No' });
      expect((await hook('imopenlines.bot.session.operator', { CHAT_ID: 2 })).data).toEqual({ error: 'OPERATOR_WRONG', error_description: 'No' });
    });

    it('matches every method with *', async () => {
      portal.failNext('*', 'OVERLOAD_LIMIT', { times: 2 });
      expect((await hook('imbot.bot.list')).status).toBe(503);
      expect((await hook('imopenlines.config.list.get')).data.error).toBe('OVERLOAD_LIMIT');
      expect((await hook('imbot.bot.list')).status).toBe(200);
      expect(portal.rejected503).toBe(2);
    });

    it('fails a sub-call inside a batch', async () => {
      portal.failNext('imopenlines.bot.session.operator', 'WRONG_CHAT');
      const res = await hook('batch', { cmd: { a: 'imopenlines.bot.session.operator?CHAT_ID=1', b: 'imopenlines.bot.session.operator?CHAT_ID=2' } });
      expect(Object.keys(res.data.result.result_error)).toEqual(['a']);
      expect(res.data.result.result).toEqual({ b: true });
    });

    it('destroys the socket for a network failure', async () => {
      portal.failNext('imbot.bot.list', 'NETWORK', { network: true });
      await expect(hook('imbot.bot.list')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|EPIPE/) });
      expect(portal.calls[0]?.error).toBe('NETWORK');
      expect((await hook('imbot.bot.list')).status).toBe(200);
    });

    it('loses the answer after the effect with afterEffect', async () => {
      portal.failNext('imopenlines.bot.session.message.send', 'INTERNAL_SERVER_ERROR', { afterEffect: true });
      expect((await hook('imopenlines.bot.session.message.send', { CHAT_ID: 4, MESSAGE: 'once' })).status).toBe(500);
      expect(portal.chat(4).messages.map((m) => m.text)).toEqual(['once']);
    });
  });

  describe('OAuth', () => {
    const refresh = (refreshToken: string, viaPost = false) => {
      const q = new URLSearchParams({ grant_type: 'refresh_token', client_id: portal.clientId, client_secret: portal.clientSecret, refresh_token: refreshToken });
      return viaPost
        ? http.post(portal.tokenUrl, q.toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } })
        : http.get(`${portal.tokenUrl}?${q.toString()}`);
    };

    it('answers 401 expired_token after expireAccessToken and works with the refreshed token', async () => {
      const before = portal.tokens;
      portal.expireAccessToken();
      const expired = await http.post(`${portal.clientEndpoint}imbot.bot.list`, { auth: before.accessToken });
      expect(expired.status).toBe(401);
      expect(expired.data.error).toBe('expired_token');
      const res = await refresh(before.refreshToken);
      expect(res.status).toBe(200);
      expect(res.data).toEqual(expect.objectContaining({
        access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 3600,
        client_endpoint: portal.clientEndpoint, server_endpoint: portal.oauthServerEndpoint, member_id: portal.memberId,
      }));
      expect(res.data.refresh_token).not.toBe(before.refreshToken);
      expect(portal.refreshes).toBe(1);
      expect((await http.post(`${portal.clientEndpoint}imbot.bot.list`, { auth: res.data.access_token })).status).toBe(200);
    });

    it('rotates the refresh token: the old one is refused with invalid_grant', async () => {
      const first = portal.tokens.refreshToken;
      expect((await refresh(first, true)).status).toBe(200);
      const reused = await refresh(first);
      expect(reused.status).toBe(400);
      expect(reused.data.error).toBe('invalid_grant');
      expect((await refresh(portal.tokens.refreshToken)).status).toBe(200);
      expect(portal.refreshes).toBe(2);
    });

    it('refuses wrong client credentials and expires tokens on the clock', async () => {
      const q = `grant_type=refresh_token&client_id=${portal.clientId}&client_secret=wrong&refresh_token=${portal.tokens.refreshToken}`;
      expect((await http.get(`${portal.tokenUrl}?${q}`)).data.error).toBe('invalid_client');
      clock.advance(3600 * 1000);
      expect((await http.post(`${portal.clientEndpoint}imbot.bot.list`, { auth: portal.tokens.accessToken })).data.error).toBe('expired_token');
    });

    it('injects token endpoint failures', async () => {
      portal.failNext('oauth/token', 'invalid_grant', { status: 400 });
      portal.failNext('oauth.token', 'INTERNAL_SERVER_ERROR', { nth: 2 });
      expect((await refresh(portal.tokens.refreshToken)).data.error).toBe('invalid_grant');
      expect((await refresh(portal.tokens.refreshToken)).status).toBe(500);
      expect((await refresh(portal.tokens.refreshToken)).status).toBe(200);
    });
  });

  describe('rename', () => {
    it('answers 302 from the old address to the same portal on a new one', async () => {
      const oldHook = portal.webhookUrl;
      const next = await portal.rename();
      expect(next).not.toBe(oldHook);
      const moved = await http.post(`${oldHook}imopenlines.bot.session.operator?x=1`, { CHAT_ID: 8 });
      expect(moved.status).toBe(302);
      expect(moved.headers.location).toBe(`${portal.webhookUrl}imopenlines.bot.session.operator?x=1`);
      expect(portal.chat(8).session).toBe('bot');
      const again = await http.post(moved.headers.location as string, { CHAT_ID: 8 });
      expect(again.status).toBe(200);
      expect(portal.chat(8).session).toBe('operator');
    });

    it('redirects to another portal given as target', async () => {
      const target = await createFakePortal({ webhookSecret: portal.webhookSecret });
      try {
        await portal.rename(target);
        const moved = await hook('imbot.bot.list');
        expect(moved.headers.location).toBe(`${target.webhookUrl}imbot.bot.list`);
      } finally {
        await target.close();
      }
    });
  });
});
