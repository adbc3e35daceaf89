import axios from 'axios';
import { inspect } from 'node:util';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import {
  ApiError,
  HttpError,
  isApiError,
  isAuthRefreshError,
  isHttpError,
  isRetryableRestError,
} from '../../src/bitrix/rest-errors';
import { isOpenlinesError } from '../../src/errors';
import { useNock } from './helpers/use-nock';

const nock = useNock();

const PORTAL = 'https://leaky.bitrix24.com';
const WEBHOOK_SECRET = 'whsecretleak8z7y6x';
const CLIENT_ID = 'v1clientleak4242';
const BOT_TOKEN = 'v2botTokenLeak4242';
const APP_ID = 'local.appleak.77';
const APP_SECRET = 'appSecretLeak9999';
const ACCESS = 'accessLeak12345';
const REFRESH = 'refreshLeak67890';

/** Every place an error can show text, including hidden properties and the cause chain. */
function renderings(e: unknown): string[] {
  const err = e as Error & { toJSON(): unknown; cause?: unknown };
  return [
    err.message,
    err.stack ?? '',
    String(err),
    JSON.stringify(err.toJSON()),
    JSON.stringify(err),
    inspect(err),
    inspect(err, { showHidden: true, depth: 10 }),
    inspect(err.cause, { showHidden: true, depth: 10 }),
    JSON.stringify(
      Object.getOwnPropertyNames(err).map((k) => [
        k,
        String((err as unknown as Record<string, unknown>)[k]),
      ]),
    ),
  ];
}

function expectNoSecret(e: unknown, secrets: string[]): void {
  expect(isOpenlinesError(e)).toBe(true);
  for (const text of renderings(e)) for (const s of secrets) expect(text).not.toContain(s);
}

describe('ApiError', () => {
  it('holds no secret from a failed webhook call, even when Bitrix24 echoes it', async () => {
    nock(PORTAL)
      .post(`/rest/1/${WEBHOOK_SECRET}/imbot.message.add`)
      .reply(401, {
        error: 'NO_AUTH_FOUND',
        error_description: `Wrong webhook ${WEBHOOK_SECRET} for client ${CLIENT_ID}`,
      });
    const client = createRestClient({
      auth: {
        type: 'webhook',
        url: `${PORTAL}/rest/1/${WEBHOOK_SECRET}/`,
        clientId: CLIENT_ID,
        botToken: BOT_TOKEN,
      },
    });
    const e: unknown = await client.api.imbot.message
      .add({ DIALOG_ID: 'chat1', MESSAGE: 'x' })
      .catch((x: unknown) => x);
    expect(isApiError(e) && [e.error, e.status, e.method, e.retryable]).toEqual([
      'NO_AUTH_FOUND',
      401,
      'imbot.message.add',
      false,
    ]);
    expect((e as ApiError).description).toContain('***');
    expectNoSecret(e, [WEBHOOK_SECRET, CLIENT_ID, BOT_TOKEN]);
  });

  it('marks rate and time limits and 5xx as retryable', () => {
    expect(
      new ApiError({ error: 'QUERY_LIMIT_EXCEEDED', status: 503, method: 'm' }).retryable,
    ).toBe(true);
    expect(
      new ApiError({ error: 'OPERATION_TIME_LIMIT', status: 429, method: 'm' }).retryable,
    ).toBe(true);
    expect(new ApiError({ error: 'WRONG_CHAT', status: 400, method: 'm' }).retryable).toBe(false);
    expect(
      isRetryableRestError(new HttpError({ method: 'm', reason: 'request failed (ECONNRESET)' })),
    ).toBe(true);
    expect(isRetryableRestError(new Error('plain'))).toBe(false);
  });
});

describe('HttpError', () => {
  it('holds no secret from a network failure whose message carries the URL', async () => {
    // An axios instance whose adapter fails like a reset socket, with the URL in the message
    // (a real socket error does not carry it; some proxies' errors do).
    const failing = axios.create({
      adapter: (config) =>
        Promise.reject(
          Object.assign(
            new Error(`socket hang up ${config.url ?? ''} botToken=${BOT_TOKEN}`),
            { code: 'ECONNRESET', config },
          ),
        ),
    });
    const client = createRestClient({
      auth: { type: 'webhook', url: `${PORTAL}/rest/1/${WEBHOOK_SECRET}/`, botToken: BOT_TOKEN },
      axios: failing,
    });
    const e: unknown = await client.api.imbot.v2.Chat.Message.send(
      { botId: 1, dialogId: 'chat1', fields: { message: 'x' } },
      { noRetry: true },
    ).catch((x: unknown) => x);
    expect(isHttpError(e) && [e.code, e.reason]).toEqual([
      'HTTP_ERROR',
      'request failed (ECONNRESET)',
    ]);
    expectNoSecret(e, [WEBHOOK_SECRET, BOT_TOKEN]);
  });

  it('holds no secret when the host is unreachable (a closed loopback port refuses the connection)', async () => {
    const client = createRestClient({
      auth: { type: 'webhook', url: `http://127.0.0.1:1/rest/1/${WEBHOOK_SECRET}/` },
    });
    const e: unknown = await client
      .call('im.revision.get', {}, { noRetry: true })
      .catch((x: unknown) => x);
    expect(isHttpError(e)).toBe(true);
    expectNoSecret(e, [WEBHOOK_SECRET]);
  });
});

describe('AuthRefreshError', () => {
  const client = (serverEndpoint = 'https://oauth.bitrix.info/rest/') =>
    createRestClient({
      auth: {
        type: 'oauth',
        clientId: APP_ID,
        clientSecret: APP_SECRET,
        onTokens: async () => undefined,
        tokens: {
          memberId: 'leaky',
          clientEndpoint: `${PORTAL}/rest/`,
          serverEndpoint,
          accessToken: ACCESS,
          refreshToken: REFRESH,
        },
      },
    });

  beforeEach(() => {
    nock(PORTAL)
      .post('/rest/imbot.bot.list')
      .reply(401, { error: 'expired_token', error_description: `token ${ACCESS} expired` });
  });

  it('holds no secret from a refused refresh, even when the OAuth server echoes them', async () => {
    nock('https://oauth.bitrix.info')
      .get('/oauth/token/')
      .query(true)
      .reply(401, {
        error: 'invalid_client',
        error_description: `client ${APP_ID} secret ${APP_SECRET} refresh ${REFRESH}`,
      });
    const e: unknown = await client()
      .api.imbot.bot.list()
      .catch((x: unknown) => x);
    expect(isAuthRefreshError(e) && [e.error, e.status]).toEqual(['invalid_client', 401]);
    expectNoSecret(e, [APP_ID, APP_SECRET, ACCESS, REFRESH]);
  });

  it('holds no secret when the OAuth server cannot be reached (the URL carries the client secret)', async () => {
    const e: unknown = await client('http://127.0.0.1:1/rest/')
      .api.imbot.bot.list()
      .catch((x: unknown) => x);
    expect(isAuthRefreshError(e) && e.error).toBe('network');
    expectNoSecret(e, [APP_ID, APP_SECRET, ACCESS, REFRESH]);
  });
});
