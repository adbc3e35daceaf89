/**
 * Which `auth[application_token]` an event must carry. Only the TOP-LEVEL token counts (the one
 * inside `data[BOT][id]` / `data.bot.auth` is not proof of anything, README trap 2).
 */
import { registerSecret } from '../errors';
import type { InboundEvent } from '../events/inbound-event';
import { verifyApplicationToken } from '../events/verify-application-token';
import type { Store } from '../store/store';

/**
 * `static`: webhook mode, a fixed set of accepted tokens (`B24_APPLICATION_TOKEN`, `custom` + bot
 * token). `stored`: app mode, the token saved for the event's `member_id` at installation.
 */
export type TokenPolicy = { kind: 'static'; tokens: readonly string[] } | { kind: 'stored' };

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
  const { event, policy } = options;
  const actual = event.applicationToken;
  if (typeof actual !== 'string' || actual === '') return false;
  let expected: readonly string[];
  if (policy.kind === 'static') {
    expected = policy.tokens;
  } else {
    const record = await options.store.getPortal(event.portal.memberId);
    expected = record?.applicationToken ? [record.applicationToken] : [];
    // Tokens loaded from the store after a restart must be redacted from logs too.
    registerSecret(record?.applicationToken);
  }
  let ok = false;
  for (const candidate of expected) {
    const match = verifyApplicationToken(candidate, actual);
    ok = ok || match;
  }
  return ok;
}
