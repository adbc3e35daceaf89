/**
 * OAuth auth of an app installed on a portal: `<client_endpoint><method>` with `auth=<token>` in
 * the body. Tokens are refreshed only after `401 expired_token` (README trap 9), once per portal
 * however many calls hit the 401 together, and the new pair reaches `onTokens` before any request
 * uses it, because the refresh token rotates and a lost one means reinstalling the app.
 *
 * With `shared` (the portal registry passes it for tokens kept in the store), several processes
 * serving one portal act as one: after a 401 a process first takes the newest stored tokens
 * (another process may have refreshed already), refreshes only while holding the portal's refresh
 * lock in the store, re-reads the store under the lock before refreshing (so it never sends a
 * rotated-out refresh token), and re-reads it again when a refresh fails before giving up.
 */
import type { Clock } from '../clock';
import { ConfigError, registerSecret } from '../errors';
import { checkEndpoint, withTrailingSlash } from './endpoint-url';
import { sendHttp } from './http-send';
import type { HttpTransport } from './http-transport';
import type { RestAuth } from './rest-auth';
import { AuthRefreshError, isHttpError } from './rest-errors';

/** The token set of one portal, as persisted by the app. */
export interface OAuthTokens {
  memberId: string;
  /** Portal host, e.g. `example.bitrix24.com`. */
  domain?: string;
  /** Portal REST base, e.g. `https://example.bitrix24.com/rest/`. */
  clientEndpoint: string;
  /** OAuth server REST base, e.g. `https://oauth.bitrix.info/rest/` (its `/oauth/token/` refreshes). */
  serverEndpoint?: string;
  accessToken: string;
  refreshToken: string;
  /** Expiry of the access token (ms since epoch); informative only, refresh waits for the 401. */
  expiresAt?: number;
}

/** How several processes share one portal's tokens (see the module comment). */
export interface SharedOAuthTokens {
  /** The newest tokens stored for the portal (by any process); undefined when there are none. */
  load(): Promise<OAuthTokens | undefined>;
  /**
   * Runs `work` while holding the portal's refresh lock across processes (waiting for it when
   * another process holds it); rejects when the lock cannot be had in reasonable time.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export interface OAuthAuthOptions {
  type: 'oauth';
  /** The app's OAuth `client_id`. */
  clientId: string;
  /** The app's OAuth `client_secret`; sent to the OAuth server only. */
  clientSecret: string;
  tokens: OAuthTokens;
  /** Persists a refreshed token set; awaited before the new tokens are used. */
  onTokens(tokens: OAuthTokens): Promise<void>;
  /** Tokens shared with other processes through the store; without it the refresh is per process. */
  shared?: SharedOAuthTokens;
}

export interface OAuthHttp {
  transport: HttpTransport;
  clock: Clock;
  timeoutMs: number;
  userAgent?: string;
}

const DEFAULT_OAUTH_SERVER = 'https://oauth.bitrix.info/rest/';

/**
 * Builds the OAuth auth strategy; throws `ConfigError` for bad endpoints or missing fields.
 *
 * @example
 * const auth = createOAuthAuth({ type: 'oauth', clientId, clientSecret, tokens, onTokens }, { transport, clock, timeoutMs: 30_000 });
 */
export function createOAuthAuth(options: OAuthAuthOptions, http: OAuthHttp): RestAuth {
  const t = options.tokens;
  for (const s of [options.clientId, options.clientSecret, t.accessToken, t.refreshToken])
    registerSecret(s);
  const problems = [
    ...(['clientId', 'clientSecret'] as const)
      .filter((k) => !options[k])
      .map((k) => `${k} is required`),
    ...(['memberId', 'accessToken', 'refreshToken'] as const)
      .filter((k) => !t[k])
      .map((k) => `tokens.${k} is required`),
    ...endpointProblems(t),
  ];
  if (typeof options.onTokens !== 'function')
    problems.push('onTokens(tokens) is required: refreshed tokens must be persisted');
  if (problems.length) throw new ConfigError(problems, 'Invalid OAuth auth');

  let tokens: OAuthTokens = { ...t, clientEndpoint: withTrailingSlash(t.clientEndpoint) };
  let persisted = true;
  // One promise per portal for "refresh and persist"; concurrent 401s all wait on it.
  let pending: Promise<void> | undefined;

  const persist = async (): Promise<void> => {
    try {
      await options.onTokens({ ...tokens });
      persisted = true;
    } catch (e) {
      throw new AuthRefreshError({
        error: 'persist_failed',
        description: 'onTokens rejected the refreshed tokens',
        cause: e,
      });
    }
  };

  const singleFlight = (work: () => Promise<void>): Promise<void> => {
    pending ??= work().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const ready = async (): Promise<void> => {
    if (pending) await pending;
    // A previous persist failed: the only valid refresh token is in memory, so try again first.
    if (!persisted) await singleFlight(persist);
  };

  const refreshNow = async (): Promise<void> => {
    const next = await requestTokens(options, tokens, http);
    tokens = next;
    persisted = false;
    await persist();
  };

  /**
   * Takes the stored tokens when they are not the ones the failed request carried (another
   * process refreshed them) and not known to be expired. True when they were taken.
   */
  const adoptStored = async (shared: SharedOAuthTokens, used: string | undefined) => {
    const stored = await shared.load();
    if (!stored?.accessToken || !stored.refreshToken || stored.accessToken === used) return false;
    if (stored.expiresAt !== undefined && stored.expiresAt <= http.clock.now()) return false;
    registerSecret(stored.accessToken);
    registerSecret(stored.refreshToken);
    tokens = { ...stored, clientEndpoint: withTrailingSlash(stored.clientEndpoint) };
    persisted = true;
    return true;
  };

  const refreshShared = async (
    shared: SharedOAuthTokens,
    used: string | undefined,
  ): Promise<void> => {
    if (await adoptStored(shared, used)) return;
    await shared.exclusive(async () => {
      // Whoever held the lock before us may have refreshed meanwhile.
      if (await adoptStored(shared, used)) return;
      // Refresh with the newest stored refresh token, never an older one kept in memory.
      const stored = await shared.load();
      if (stored?.refreshToken && stored.refreshToken !== tokens.refreshToken) {
        registerSecret(stored.refreshToken);
        registerSecret(stored.accessToken);
        tokens = { ...stored, clientEndpoint: withTrailingSlash(stored.clientEndpoint) };
      }
      try {
        await refreshNow();
      } catch (e) {
        // A process that does not take the lock (an older version, a reinstall) may have
        // rotated the tokens: take its tokens rather than fail.
        if (persisted && (await adoptStored(shared, used))) return;
        throw e;
      }
    });
  };

  return {
    mode: 'oauth',
    portalId: t.memberId,
    decorate: (_method, params) => params,
    async prepare(method, params) {
      await ready();
      return {
        url: tokens.clientEndpoint + method,
        body: { ...params, auth: tokens.accessToken },
        credential: tokens.accessToken,
      };
    },
    async refresh(usedCredential) {
      if (pending) return pending;
      // Someone else already refreshed after our request left: just retry with the new token.
      if (usedCredential !== tokens.accessToken) return ready();
      const { shared } = options;
      return singleFlight(shared ? () => refreshShared(shared, usedCredential) : refreshNow);
    },
  };
}

function endpointProblems(t: OAuthTokens): string[] {
  const out: string[] = [];
  const client = t.clientEndpoint
    ? checkEndpoint(t.clientEndpoint, 'tokens.clientEndpoint')
    : 'tokens.clientEndpoint is required';
  if (typeof client === 'string') out.push(client);
  const server = checkEndpoint(t.serverEndpoint ?? DEFAULT_OAUTH_SERVER, 'tokens.serverEndpoint');
  if (typeof server === 'string') out.push(server);
  return out;
}

/**
 * `https://oauth.bitrix.info/rest/` → `https://oauth.bitrix.info/oauth/token/` (region-specific host kept).
 *
 * @example
 * tokenUrlOf('https://oauth.bitrix.info/rest/'); // 'https://oauth.bitrix.info/oauth/token/'
 */
export function tokenUrlOf(serverEndpoint: string | undefined): string {
  const url = new URL(serverEndpoint ?? DEFAULT_OAUTH_SERVER);
  const path = url.pathname.replace(/\/rest\/?$/, '/').replace(/\/?$/, '/');
  return `${url.origin}${path}oauth/token/`;
}

async function requestTokens(
  options: OAuthAuthOptions,
  current: OAuthTokens,
  http: OAuthHttp,
): Promise<OAuthTokens> {
  const query = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: options.clientId,
    client_secret: options.clientSecret,
    refresh_token: current.refreshToken,
  });
  let answer;
  try {
    answer = await sendHttp({
      ...http,
      verb: 'GET',
      url: `${tokenUrlOf(current.serverEndpoint)}?${query.toString()}`,
      method: 'oauth.token',
    });
  } catch (e) {
    const reason = isHttpError(e) ? e.reason : 'network error';
    throw new AuthRefreshError({
      error: isHttpError(e) && e.code === 'TIMEOUT' ? 'timeout' : 'network',
      description: reason,
      cause: e,
    });
  }
  const body = (answer.json ?? {}) as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = body[k];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  if (answer.status !== 200 || str('error') || !str('access_token') || !str('refresh_token')) {
    throw new AuthRefreshError({
      error: str('error') ?? 'invalid_response',
      description: str('error_description'),
      status: answer.status,
    });
  }
  const accessToken = str('access_token')!;
  const refreshToken = str('refresh_token')!;
  registerSecret(accessToken);
  registerSecret(refreshToken);
  const memberId = str('member_id') ?? current.memberId;
  if (memberId !== current.memberId) {
    throw new AuthRefreshError({
      error: 'member_mismatch',
      description: 'the OAuth server answered for another portal',
    });
  }
  const clientEndpoint = withTrailingSlash(str('client_endpoint') ?? current.clientEndpoint);
  const serverEndpoint = str('server_endpoint') ?? current.serverEndpoint;
  for (const [what, url] of [
    ['client_endpoint', clientEndpoint],
    ['server_endpoint', serverEndpoint ?? DEFAULT_OAUTH_SERVER],
  ] as const) {
    const checked = checkEndpoint(url, what);
    if (typeof checked === 'string')
      throw new AuthRefreshError({ error: 'invalid_response', description: checked });
  }
  const expires = Number(body.expires);
  const expiresIn = Number(body.expires_in);
  const expiresAt =
    Number.isFinite(expires) && expires > 0
      ? expires * 1000
      : Number.isFinite(expiresIn)
        ? http.clock.now() + expiresIn * 1000
        : undefined;
  return {
    memberId,
    // `domain` in the token answer is the OAuth server's; the portal host comes from client_endpoint.
    domain: new URL(clientEndpoint).host,
    clientEndpoint,
    ...(serverEndpoint === undefined ? {} : { serverEndpoint }),
    accessToken,
    refreshToken,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}
