/** Reading the wire fixtures of `test/fixtures/` (raw bytes: no trailing newline is added or removed). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

/** Every fixture file, as `folder/name`. */
export function listFixtures(): string[] {
  return ['v1', 'v2-webhook', 'v2-fetch'].flatMap((dir) =>
    readdirSync(join(FIXTURES, dir))
      .filter((f) => !f.startsWith('.'))
      .map((f) => `${dir}/${f}`)
      .sort(),
  );
}

export function readFixture(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

/** The body and content type a webhook fixture is posted with. */
export function wireFixture(rel: string): { body: string; contentType: string } {
  const contentType = rel.endsWith('.json')
    ? 'application/json'
    : 'application/x-www-form-urlencoded';
  return { body: readFixture(rel), contentType };
}
