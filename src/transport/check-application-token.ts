/**
 * Which `auth[application_token]` an event must carry. Only the TOP-LEVEL token counts (the one
 * inside `data[BOT][id]` / `data.bot.auth` is not proof of anything, README trap 2).
 */
import { registerSecret } from '../errors';
import type { InboundEvent } from '../events/inbound-event';
import { verifyApplicationToken } from '../events/verify-application-token';
import type { Store } from '../store/store';

/**
 * `static`: webhook mode, a fixed set of accepted tokens (every form of README trap 15; `forms`
 * names each one for the logs). `stored`: app mode, the token saved for the event's `member_id`
 * at installation.
 */
export type TokenPolicy =
  | {
      kind: 'static';
      tokens: readonly string[];
      forms?: readonly { form: string; token: string }[];
    }
  | { kind: 'stored' };

/** Options of {@link checkApplicationToken}. */
export interface CheckApplicationTokenOptions {
  event: Pick<InboundEvent, 'applicationToken' | 'portal'>;
  policy: TokenPolicy;
  store: Pick<Store, 'getPortal'>;
}

/**
 * True when the event's top-level application token is one this portal may send. Compares in
 * constant time against every candidate (no early exit that would tell which one was close).
 *
 * @example
 * if (!(await checkApplicationToken({ event, policy: { kind: 'stored' }, store }))) return res.status(401).end();
 */
export async function checkApplicationToken(
  options: CheckApplicationTokenOptions,
): Promise<boolean> {
  return (await matchApplicationToken(options)) !== undefined;
}

/**
 * Which form the event's application token matched (`CLIENT_ID`, `custom+bot token`...; `stored`
 * in app mode, `token` for an unnamed static token), or undefined when none did. Every candidate
 * is compared, in constant time, whatever matched first. Never returns the token itself.
 *
 * @example
 * const form = await matchApplicationToken({ event, policy, store });
 * if (form === undefined) return res.status(401).end();
 */
export async function matchApplicationToken(
  options: CheckApplicationTokenOptions,
): Promise<string | undefined> {
  const { event, policy } = options;
  const actual = event.applicationToken;
  if (typeof actual !== 'string' || actual === '') return undefined;
  let expected: readonly { form: string; token: string }[];
  if (policy.kind === 'static') {
    expected = [
      ...(policy.forms ?? []),
      ...policy.tokens
        .filter((t) => !policy.forms?.some((f) => f.token === t))
        .map((token) => ({ form: 'token', token })),
    ];
  } else {
    const record = await options.store.getPortal(event.portal.memberId);
    expected = record?.applicationToken ? [{ form: 'stored', token: record.applicationToken }] : [];
    // Tokens loaded from the store after a restart must be redacted from logs too.
    registerSecret(record?.applicationToken);
  }
  let matched: string | undefined;
  for (const candidate of expected) {
    const match = verifyApplicationToken(candidate.token, actual);
    if (match && matched === undefined) matched = candidate.form;
  }
  return matched;
}
