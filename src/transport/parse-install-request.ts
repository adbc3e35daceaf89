/**
 * The two shapes an OAuth application's installation reaches us in:
 * - the installation callback / `ONAPPINSTALL` POST of a script-only app: `auth[access_token]`,
 *   `auth[refresh_token]`, `auth[application_token]`, `auth[member_id]`, ... (PHP form or JSON);
 * - the installer page of an app with a UI, opened by Bitrix24 in a frame: `AUTH_ID`,
 *   `REFRESH_ID`, `AUTH_EXPIRES`, `member_id`, `SERVER_ENDPOINT` in the POST body and `DOMAIN`,
 *   `PROTOCOL` in the query. It carries no application token; that comes with `ONAPPINSTALL`.
 */
import { z } from 'zod';
import { EventValidationError, eventIssue } from '../events/event-validation-error';
import { decodePhpForm, type PhpFormObject } from '../events/php-form';
import { registerSecret } from '../errors';

/** Credentials of one installation, whatever shape they arrived in. */
export interface InstallInput {
  memberId: string;
  domain: string;
  clientEndpoint: string;
  serverEndpoint?: string;
  accessToken: string;
  refreshToken: string;
  /** ms since epoch. */
  expiresAt?: number;
  scope?: string;
  applicationToken?: string;
}

/** A parsed install request; `ui` when it came from the installer frame (the page must call `installFinish`). */
export interface InstallRequest {
  input: InstallInput;
  ui: boolean;
}

const token = z.string().min(8).max(1024);
const installSchema = z.object({
  memberId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'member_id: letters, digits, "_", "-", "." only' }),
  domain: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/, { error: 'domain: not a host name' }),
  clientEndpoint: z.url({ protocol: /^https?$/ }),
  serverEndpoint: z.url({ protocol: /^https?$/ }).optional(),
  accessToken: token,
  refreshToken: token,
  expiresAt: z.number().int().positive().optional(),
  scope: z.string().max(2000).optional(),
  applicationToken: token.optional(),
});

function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined || !/^\d{1,12}$/.test(s)) return undefined;
  return Number(s);
}

function decode(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = body.toString('utf8');
  if (contentType?.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new EventValidationError([eventIssue('body is not valid JSON')]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new EventValidationError([eventIssue('body must be a JSON object')]);
    return parsed as Record<string, unknown>;
  }
  return decodePhpForm(text);
}

/**
 * Parses an installation request. Throws `EventValidationError` (with issues) when it is neither shape.
 *
 * @example
 * const { input, ui } = parseInstallRequest({ body, contentType: req.headers['content-type'], query: req.query });
 */
export function parseInstallRequest(options: {
  body: Buffer;
  contentType?: string;
  query?: Record<string, unknown>;
  now: number;
}): InstallRequest {
  const form = decode(options.body, options.contentType);
  const query = options.query ?? {};
  const auth = form.auth;
  let candidate: Record<string, unknown>;
  let ui = false;
  if (auth && typeof auth === 'object' && !Array.isArray(auth)) {
    const a = auth as PhpFormObject;
    const expires = num(a.expires);
    const expiresIn = num(a.expires_in);
    candidate = {
      memberId: str(a.member_id),
      domain: str(a.domain),
      clientEndpoint:
        str(a.client_endpoint) ?? (str(a.domain) ? `https://${str(a.domain)}/rest/` : undefined),
      serverEndpoint: str(a.server_endpoint),
      accessToken: str(a.access_token),
      refreshToken: str(a.refresh_token),
      expiresAt:
        expires !== undefined
          ? expires * 1000
          : expiresIn !== undefined
            ? options.now + expiresIn * 1000
            : undefined,
      scope: str(a.scope),
      applicationToken: str(a.application_token),
    };
  } else {
    ui = true;
    const domain = str(form.DOMAIN) ?? str(query.DOMAIN);
    const protocol = str(form.PROTOCOL) ?? str(query.PROTOCOL);
    const expiresIn = num(form.AUTH_EXPIRES);
    candidate = {
      memberId: str(form.member_id),
      domain,
      clientEndpoint: domain
        ? `${protocol === '0' ? 'http' : 'https'}://${domain}/rest/`
        : undefined,
      serverEndpoint: str(form.SERVER_ENDPOINT),
      accessToken: str(form.AUTH_ID),
      refreshToken: str(form.REFRESH_ID),
      expiresAt: expiresIn !== undefined ? options.now + expiresIn * 1000 : undefined,
    };
  }
  for (const k of ['accessToken', 'refreshToken', 'applicationToken'] as const)
    registerSecret(candidate[k] as string | undefined);
  for (const k of Object.keys(candidate)) if (candidate[k] === undefined) delete candidate[k];
  const parsed = installSchema.safeParse(candidate);
  if (!parsed.success)
    throw new EventValidationError(parsed.error.issues, { eventType: 'install' });
  return { input: parsed.data, ui };
}
