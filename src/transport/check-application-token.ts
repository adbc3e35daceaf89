/**
 * Which `auth[application_token]` an event must carry. Only the TOP-LEVEL token counts (the one
 * inside `data[BOT][id]` / `data.bot.auth` is not proof of anything, README trap 2).
 */
import { registerSecret } from '../errors';
import type { InboundEvent } from '../events/inbound-event';
import { expectedDigest, sameTokenDigest, tokenDigest } from '../events/verify-application-token';
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
  return createTokenMatcher(options.policy)(options.event, options.store);
}

/** A policy's matcher: see {@link createTokenMatcher}. */
export type TokenMatcher = (
  event: Pick<InboundEvent, 'applicationToken' | 'portal'>,
  store: Pick<Store, 'getPortal'>,
) => string | undefined | Promise<string | undefined>;

interface Candidate {
  form: string;
  token: string;
  /** Its digest, when known in advance (static tokens). */
  digest?: Buffer;
}

/** Every candidate is compared, whatever matched first; the received token is hashed once. */
function firstMatch(candidates: readonly Candidate[], actual: string): string | undefined {
  const given = tokenDigest(actual);
  let matched: string | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as Candidate;
    const match = candidate.token !== '' && sameTokenDigest(expectedDigest(candidate.token), given);
    if (match && matched === undefined) matched = candidate.form;
  }
  return matched;
}

/**
 * {@link matchApplicationToken} with the policy's candidates prepared once: a `static` policy
 * answers synchronously (no store read), a `stored` one reads the portal record.
 *
 * @example
 * const match = createTokenMatcher({ kind: 'static', tokens: ['t0k3n'] });
 * const form = await match(event, store); // 'token', or undefined
 */
export function createTokenMatcher(policy: TokenPolicy): TokenMatcher {
  if (policy.kind === 'static') {
    const candidates: readonly Candidate[] = [
      ...(policy.forms ?? []),
      ...policy.tokens
        .filter((t) => !policy.forms?.some((f) => f.token === t))
        .map((token) => ({ form: 'token', token })),
    ].map((c) => ({ ...c, digest: tokenDigest(c.token) }));
    return (event) => {
      const actual = event.applicationToken;
      if (typeof actual !== 'string' || actual === '') return undefined;
      return firstMatch(candidates, actual);
    };
  }
  return async (event, store) => {
    const actual = event.applicationToken;
    if (typeof actual !== 'string' || actual === '') return undefined;
    const record = await store.getPortal(event.portal.memberId);
    // Tokens loaded from the store after a restart must be redacted from logs too.
    registerSecret(record?.applicationToken);
    return firstMatch(
      record?.applicationToken ? [{ form: 'stored', token: record.applicationToken }] : [],
      actual,
    );
  };
}
