/**
 * One look at the incoming webhook when `serve` starts: a wrong secret or a webhook without the
 * `imbot` / `imopenlines` scopes otherwise shows only later, as refused calls in the middle of a
 * client's dialog.
 */
import { createRestClient } from '../bitrix/create-rest-client';
import { isApiError, isHttpError } from '../bitrix/rest-errors';
import type { WebhookModeConfig } from '../config/load-config';

/** What {@link checkWebhook} found; `message` says it in one sentence for the operator. */
export type CheckWebhookResult =
  | { status: 'ok'; scopes: string[]; message: string }
  | { status: 'wrong-secret'; message: string }
  | { status: 'missing-scopes'; missing: string[]; scopes: string[]; message: string }
  | { status: 'unreachable'; message: string };

/** Options of {@link checkWebhook}. */
export interface CheckWebhookOptions {
  webhook: WebhookModeConfig;
  /** Scopes the bots need; default `imbot` and `imopenlines`. */
  required?: readonly string[];
  /** One request, no retries; default 10 s. */
  timeoutMs?: number;
}

const AUTH_ERRORS = new Set([
  'NO_AUTH_FOUND',
  'INVALID_CREDENTIALS',
  'invalid_token',
  'WRONG_AUTH_TYPE',
  'ACCESS_DENIED',
]);

/**
 * Calls `scope` once through the webhook and says whether the secret and the scopes are right.
 * Never throws.
 *
 * @example
 * const result = await checkWebhook({ webhook: config.webhook });
 * if (result.status !== 'ok') console.error(result.message);
 */
export async function checkWebhook(options: CheckWebhookOptions): Promise<CheckWebhookResult> {
  const required = options.required ?? ['imbot', 'imopenlines'];
  const { webhook } = options;
  const client = createRestClient({
    auth: { type: 'webhook', url: webhook.url },
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: { retries: 0 },
  });
  let answer: unknown;
  try {
    answer = await client.call('scope');
  } catch (e) {
    if (isApiError(e) && (e.status === 401 || AUTH_ERRORS.has(e.error))) {
      return {
        status: 'wrong-secret',
        message: `the portal ${webhook.domain} refused the incoming webhook (${e.error}): check the user id and secret in B24_WEBHOOK_URL, and that the webhook still exists`,
      };
    }
    const why = isApiError(e) ? e.error : isHttpError(e) ? e.message : String(e);
    return {
      status: 'unreachable',
      message: `could not check the incoming webhook on ${webhook.domain} (${why}); the server keeps running and will retry its calls`,
    };
  }
  const scopes = Array.isArray(answer)
    ? answer.filter((s): s is string => typeof s === 'string')
    : [];
  const missing = required.filter((s) => !scopes.includes(s));
  if (missing.length > 0) {
    return {
      status: 'missing-scopes',
      missing,
      scopes,
      message: `the incoming webhook on ${webhook.domain} lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has: ${scopes.join(', ') || 'none'}): edit the webhook in Bitrix24 and add ${missing.join(' and ')}, or its bot calls will be refused`,
    };
  }
  return { status: 'ok', scopes, message: `incoming webhook checked: scopes ${scopes.join(', ')}` };
}
