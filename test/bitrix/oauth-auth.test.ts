import { createRestClient } from '../../src/bitrix/create-rest-client';
import { tokenUrlOf, type OAuthTokens } from '../../src/bitrix/oauth-auth';
import { isApiError, isAuthRefreshError } from '../../src/bitrix/rest-errors';
import { flushIO } from './helpers/fake-clock';
import { bodyOf, useNock } from './helpers/use-nock';

const nock = useNock();

const PORTAL = 'https://acme.bitrix24.com';
const OAUTH = 'https://oauth.bitrix.info';
const OLD: OAuthTokens = {
  memberId: 'member-acme',
  domain: 'acme.bitrix24.com',
  clientEndpoint: `${PORTAL}/rest/`,
  serverEndpoint: `${OAUTH}/rest/`,
  accessToken: 'access-old-1111',
  refreshToken: 'refresh-old-1111',
};

function tokenAnswer(n: number): Record<string, unknown> {
  return {
    access_token: `access-new-${n}${n}${n}${n}`,
    refresh_token: `refresh-new-${n}${n}${n}${n}`,
    expires: 1_767_229_200 + n,
    expires_in: 3600,
    client_endpoint: `${PORTAL}/rest/`,
    server_endpoint: `${OAUTH}/rest/`,
    domain: 'oauth.bitrix.info',
    member_id: 'member-acme',
    scope: 'imbot,imopenlines',
    status: 'L',
  };
}

/** A portal that accepts exactly one access token at a time and logs what it saw. */
function portal(log: string[], valid: () => string): void {
  nock(PORTAL)
    .persist()
    .post('/rest/imopenlines.bot.session.operator')
    .reply((_uri, body) => {
      const auth = bodyOf(body).auth as string;
      if (auth !== valid()) {
        log.push(`401:${auth}`);
        return [
          401,
          { error: 'expired_token', error_description: 'The access token provided has expired.' },
        ];
      }
      log.push(`ok:${auth}`);
      return [200, { result: true, time: {} }];
    });
}

function oauthClient(onTokens: (t: OAuthTokens) => Promise<void>, tokens: OAuthTokens = OLD) {
  return createRestClient({
    auth: {
      type: 'oauth',
      clientId: 'local.app-id-42',
      clientSecret: 'client-secret-42',
      tokens,
      onTokens,
    },
  });
}

describe('createRestClient (OAuth)', () => {
  it('refreshes once for 20 concurrent expired_token answers and persists before using the new token', async () => {
    const log: string[] = [];
    let validToken = 'access-new-1111';
    portal(log, () => validToken);
    const refreshQueries: Record<string, string>[] = [];
    nock(OAUTH)
      .persist()
      .get('/oauth/token/')
      .query(true)
      .reply(function () {
        const q = Object.fromEntries(new URL(this.req.path, OAUTH).searchParams);
        refreshQueries.push(q);
        return [200, tokenAnswer(refreshQueries.length)];
      });
    const persisted: OAuthTokens[] = [];
    const client = oauthClient(async (t) => {
      await flushIO(3); // a persistence hook takes a while; nobody may use the tokens meanwhile
      persisted.push(t);
      log.push(`persisted:${t.accessToken}`);
    });

    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.api.imopenlines.bot.session.operator({ CHAT_ID: 1777 }),
      ),
    );

    expect(results).toEqual(Array(20).fill(true));
    expect(refreshQueries).toEqual([
      {
        grant_type: 'refresh_token',
        client_id: 'local.app-id-42',
        client_secret: 'client-secret-42',
        refresh_token: 'refresh-old-1111',
      },
    ]);
    expect(persisted).toEqual([
      {
        memberId: 'member-acme',
        domain: 'acme.bitrix24.com',
        clientEndpoint: `${PORTAL}/rest/`,
        serverEndpoint: `${OAUTH}/rest/`,
        accessToken: 'access-new-1111',
        refreshToken: 'refresh-new-1111',
        expiresAt: (1_767_229_200 + 1) * 1000,
      },
    ]);
    expect(log.filter((l) => l.startsWith('401:'))).toHaveLength(20);
    expect(log.filter((l) => l === 'ok:access-new-1111')).toHaveLength(20);
    const firstUse = log.indexOf('ok:access-new-1111');
    expect(log.indexOf('persisted:access-new-1111')).toBeGreaterThanOrEqual(0);
    expect(log.indexOf('persisted:access-new-1111')).toBeLessThan(firstUse);

    // The refresh token rotated: the next expiry refreshes with the new one.
    validToken = 'access-new-2222';
    await client.api.imopenlines.bot.session.operator({ CHAT_ID: 1777 });
    expect(refreshQueries[1]?.refresh_token).toBe('refresh-new-1111');
    expect(persisted[1]?.refreshToken).toBe('refresh-new-2222');
  });

  it('does not refresh on other 401 errors or before any 401', async () => {
    const refresh = nock(OAUTH).get('/oauth/token/').query(true).reply(200, tokenAnswer(1));
    nock(PORTAL)
      .post('/rest/imbot.bot.list')
      .reply(401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
    const client = oauthClient(async () => undefined, { ...OLD, expiresAt: 0 });
    const e: unknown = await client.api.imbot.bot.list().catch((x: unknown) => x);
    expect(isApiError(e) && e.error).toBe('NO_AUTH_FOUND');
    expect(refresh.isDone()).toBe(false);
  });

  it('rejects every waiting call with AuthRefreshError when the refresh token is dead', async () => {
    const log: string[] = [];
    portal(log, () => 'never-valid');
    nock(OAUTH)
      .get('/oauth/token/')
      .query(true)
      .reply(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
    const client = oauthClient(async () => undefined);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.api.imopenlines.bot.session.operator({ CHAT_ID: 1 })),
    );
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      const reason = (o as PromiseRejectedResult).reason as unknown;
      expect(isAuthRefreshError(reason) && [reason.error, reason.status]).toEqual([
        'invalid_grant',
        400,
      ]);
    }
  });

  it('keeps unpersisted tokens and retries the persistence hook before using them', async () => {
    const log: string[] = [];
    portal(log, () => 'access-new-1111');
    const refresh = nock(OAUTH).get('/oauth/token/').query(true).once().reply(200, tokenAnswer(1));
    let fail = true;
    const saved: string[] = [];
    const client = oauthClient(async (t) => {
      if (fail) throw new Error('disk full');
      saved.push(t.refreshToken);
    });
    const first: unknown = await client.api.imopenlines.bot.session
      .operator({ CHAT_ID: 1 })
      .catch((x: unknown) => x);
    expect(isAuthRefreshError(first) && first.error).toBe('persist_failed');
    expect(log).toEqual(['401:access-old-1111']);

    fail = false;
    await expect(client.api.imopenlines.bot.session.operator({ CHAT_ID: 1 })).resolves.toBe(true);
    expect(saved).toEqual(['refresh-new-1111']);
    expect(log).toEqual(['401:access-old-1111', 'ok:access-new-1111']);
    expect(refresh.isDone()).toBe(true);
  });

  it('refuses a refresh answer for another portal', async () => {
    portal([], () => 'x');
    nock(OAUTH)
      .get('/oauth/token/')
      .query(true)
      .reply(200, { ...tokenAnswer(1), member_id: 'someone-else' });
    const client = oauthClient(async () => undefined);
    const e: unknown = await client.api.imopenlines.bot.session
      .operator({ CHAT_ID: 1 })
      .catch((x: unknown) => x);
    expect(isAuthRefreshError(e) && e.error).toBe('member_mismatch');
  });
});

describe('tokenUrlOf', () => {
  it('derives the token endpoint from server_endpoint, keeping the regional host', () => {
    expect(tokenUrlOf('https://oauth.bitrix.info/rest/')).toBe(
      'https://oauth.bitrix.info/oauth/token/',
    );
    expect(tokenUrlOf('https://oauth.bitrix24.tech/rest/')).toBe(
      'https://oauth.bitrix24.tech/oauth/token/',
    );
    expect(tokenUrlOf('http://127.0.0.1:4010/rest')).toBe('http://127.0.0.1:4010/oauth/token/');
    expect(tokenUrlOf(undefined)).toBe('https://oauth.bitrix.info/oauth/token/');
  });
});
