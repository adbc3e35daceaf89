/**
 * Authenticity of Bitrix24 → handler calls: the top-level `auth[application_token]` against the
 * value stored at install (or `custom<botToken>` for a v2 bot registered through a webhook).
 */
import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'buffer') => Buffer;
/** `crypto.hash` (Node 20.12+): one call, no Hash object per digest; `createHash` before it. */
const oneShot = (crypto as { hash?: OneShotHash }).hash;

/**
 * The SHA-256 digest of a token's UTF-8 bytes: what {@link verifyApplicationToken} compares.
 * Hash a received token once and compare it with each candidate through {@link sameTokenDigest}.
 */
export function tokenDigest(text: string): Buffer {
  return oneShot
    ? oneShot('sha256', text, 'buffer')
    : crypto.createHash('sha256').update(text, 'utf8').digest();
}

const digest = tokenDigest;

/** Constant-time comparison of two {@link tokenDigest}s. */
export function sameTokenDigest(expected: Buffer, actual: Buffer): boolean {
  return crypto.timingSafeEqual(expected, actual);
}

/**
 * Digests of expected tokens: the same few are compared on every event, so each is hashed once.
 * Bounded (app mode has one token per portal); only the expected side is ever cached.
 */
const expectedDigests = new Map<string, Buffer>();
const MAX_CACHED = 1024;

/** The digest of an expected token, hashed once per process (bounded cache). */
export function expectedDigest(text: string): Buffer {
  let d = expectedDigests.get(text);
  if (d === undefined) {
    if (expectedDigests.size >= MAX_CACHED) expectedDigests.clear();
    d = digest(text);
    expectedDigests.set(text, d);
  }
  return d;
}

/**
 * Compares two tokens in constant time. Both sides are hashed first, so the comparison runs
 * over two equal-length digests: neither content nor length of the expected token leaks
 * through timing (only the unavoidable time to hash the given one). False when either is
 * missing, empty or not a string.
 *
 * @example
 * if (!verifyApplicationToken(portal.applicationToken, event.applicationToken)) res.sendStatus(401);
 */
export function verifyApplicationToken(expected: unknown, actual: unknown): boolean {
  if (typeof expected !== 'string' || typeof actual !== 'string') return false;
  if (expected === '' || actual === '') return false;
  return sameTokenDigest(expectedDigest(expected), digest(actual));
}
