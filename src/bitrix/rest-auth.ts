/** The seam between the REST client and its auth modes (webhook, OAuth). */
import type { RestParams } from './types';

export interface PreparedRequest {
  url: string;
  body: RestParams;
  /** The access token the request carries (OAuth), to tell a stale 401 from a fresh one. */
  credential: string | undefined;
}

export interface RestAuth {
  readonly mode: 'webhook' | 'oauth';
  readonly portalId: string;
  /** Adds what a method needs to identify the bot (also applied to `batch` sub-calls). */
  decorate(method: string, params: RestParams, botApiVersion?: 1 | 2): RestParams;
  /** Builds the URL and body of one request with the current credentials. */
  prepare(method: string, params: RestParams): Promise<PreparedRequest>;
  /**
   * Handles `401 expired_token` for a request made with `usedCredential`; resolves once fresh
   * credentials are in place (and persisted). Absent when the mode cannot refresh.
   */
  refresh?(usedCredential: string | undefined): Promise<void>;
}
