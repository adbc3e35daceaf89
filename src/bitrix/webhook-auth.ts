/**
 * Incoming-webhook auth: `https://<portal>/rest/<user>/<secret>/<method>`. The secret path
 * segment is the credential; it never expires, so there is nothing to refresh.
 */
import { ConfigError, registerSecret } from '../errors';
import { withBotCredentials } from './bot-credentials';
import { checkEndpoint, withTrailingSlash } from './endpoint-url';
import type { RestAuth } from './rest-auth';

export interface WebhookAuthOptions {
  type: 'webhook';
  /** The webhook URL as Bitrix24 shows it: `https://<portal>/rest/<user>/<secret>/`. */
  url: string;
  /** v1 bot `CLIENT_ID`, added to `imbot.*` and session transfer/finish calls. */
  clientId?: string;
  /** v2 bot token, added to `imbot.v2.*` calls (and as `CLIENT_ID` of transfer/finish without `clientId`). */
  botToken?: string;
  /** The portal's member id, when known; otherwise the portal is identified by its host. */
  memberId?: string;
}

const WEBHOOK_PATH = /^(.*\/rest\/)(\d+)\/([^/]+)\/?$/;

/**
 * Builds the auth strategy for an incoming webhook; throws `ConfigError` for a malformed URL.
 *
 * @example
 * const auth = createWebhookAuth({ type: 'webhook', url: 'https://acme.bitrix24.com/rest/1/secret/' });
 */
export function createWebhookAuth(options: WebhookAuthOptions): RestAuth {
  const problems: string[] = [];
  const checked = checkEndpoint(options.url, 'webhook url');
  let base = '';
  let host = '';
  if (typeof checked === 'string') problems.push(checked);
  else {
    const m = WEBHOOK_PATH.exec(checked.pathname);
    if (!m || checked.search || checked.hash)
      problems.push('webhook url must look like https://<portal>/rest/<user id>/<secret>/');
    else {
      registerSecret(m[3]);
      registerSecret(decodeURIComponent(m[3] ?? ''));
      base = withTrailingSlash(`${checked.origin}${checked.pathname}`);
      host = checked.host;
    }
  }
  if (
    options.botToken !== undefined &&
    (options.botToken.length === 0 || options.botToken.length > 40)
  ) {
    problems.push('botToken must have 1 to 40 characters');
  }
  registerSecret(options.clientId);
  registerSecret(options.botToken);
  if (problems.length) throw new ConfigError(problems, 'Invalid webhook auth');

  const creds = { clientId: options.clientId, botToken: options.botToken };
  return {
    mode: 'webhook',
    portalId: options.memberId ?? host,
    decorate: (method, params, botApiVersion) =>
      withBotCredentials(method, params, creds, botApiVersion),
    prepare: async (method, params) => ({
      url: base + method,
      body: params,
      credential: undefined,
    }),
  };
}
