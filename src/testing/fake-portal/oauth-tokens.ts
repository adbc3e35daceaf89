/**
 * OAuth side of the fake portal: access tokens with a lifetime on the portal clock, a refresh
 * token that rotates on every refresh, and the `/oauth/token/` endpoint's answers.
 */
import { randomBytes } from 'node:crypto';
import { Fault, strval, type Params } from './fault';

export interface OAuthTokens {
  /** Current pair. */
  accessToken(): string;
  refreshToken(): string;
  expiresAt(): number;
  /** Fails with 401 `NO_AUTH_FOUND` (unknown / missing) or `expired_token`. */
  check(token: string | undefined): void;
  /** Makes every access token issued so far answer `expired_token`. */
  expireAll(): void;
  /** Handles `grant_type=refresh_token`; returns the token response (without endpoints). */
  refresh(params: Params): Params;
  refreshes(): number;
  /** Refresh requests refused (rotated-out or unknown refresh token, wrong client...). */
  refusedRefreshes(): number;
}

const token = (): string => randomBytes(16).toString('hex');

/**
 * Creates the token store of one portal with an initial pair.
 *
 * @example
 * const tokens = createOAuthTokens({ clientId, clientSecret, ttlSeconds: 3600, clock });
 * tokens.check(params.auth);
 */
export function createOAuthTokens(options: {
  clientId: string;
  clientSecret: string;
  ttlSeconds: number;
  clock: { now(): number };
}): OAuthTokens {
  // Older access tokens stay valid until they expire, as on a real portal.
  const access = new Map<string, number>();
  let current = token();
  let refresh = token();
  let count = 0;
  let refused = 0;
  access.set(current, options.clock.now() + options.ttlSeconds * 1000);

  return {
    accessToken: () => current,
    refreshToken: () => refresh,
    expiresAt: () => access.get(current) ?? 0,
    check(value) {
      const expiresAt = value ? access.get(value) : undefined;
      if (expiresAt === undefined) throw new Fault('NO_AUTH_FOUND', 'Wrong authorization data', 401);
      if (options.clock.now() >= expiresAt) {
        throw new Fault('expired_token', 'The access token provided has expired.', 401);
      }
    },
    expireAll() {
      for (const key of access.keys()) access.set(key, Number.NEGATIVE_INFINITY);
    },
    refresh(params) {
      // Bitrix24 refuses a rotated-out refresh token: counted, so tests can assert none was sent.
      const refuse = (fault: Fault): never => {
        refused += 1;
        throw fault;
      };
      if (strval(params.grant_type) !== 'refresh_token') {
        refuse(new Fault('invalid_request', 'Unsupported grant_type', 400));
      }
      if (strval(params.client_id) !== options.clientId || strval(params.client_secret) !== options.clientSecret) {
        refuse(new Fault('invalid_client', 'Invalid client credentials', 401));
      }
      if (strval(params.refresh_token) !== refresh) {
        refuse(new Fault('invalid_grant', 'Invalid refresh token', 400));
      }
      current = token();
      refresh = token();
      count += 1;
      const expiresAt = options.clock.now() + options.ttlSeconds * 1000;
      access.set(current, expiresAt);
      return {
        access_token: current,
        refresh_token: refresh,
        expires: Math.floor(expiresAt / 1000),
        expires_in: options.ttlSeconds,
        scope: 'imbot,imopenlines,im,crm',
        status: 'L',
        user_id: 1,
      };
    },
    refreshes: () => count,
    refusedRefreshes: () => refused,
  };
}
