/**
 * Issue 5: the example bots' tests use only the public API (`openlines-bot`,
 * `openlines-bot/testing`), their own bot folder, and ordinary packages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const bots = join(__dirname, '..', '..', 'bots');
const testFiles = readdirSync(bots, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(bots, d.name))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(d.name, f)),
  );

function specifiers(source: string): string[] {
  const found = [
    ...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g),
  ];
  return found.map((m) => m[1] as string);
}

describe('example bot tests', () => {
  it('exist for every example bot', () => {
    expect(testFiles.map((f) => f.split('/')[0])).toEqual(
      expect.arrayContaining(['faq', 'lead-form', 'support']),
    );
  });

  it.each(testFiles)('%s imports only the public API, its own bot and packages', (file) => {
    const deep = specifiers(readFileSync(join(bots, file), 'utf8')).filter(
      (s) =>
        s.startsWith('..') ||
        s.includes('/src/') ||
        (s.startsWith('openlines-bot/') && s !== 'openlines-bot/testing'),
    );
    expect(deep).toEqual([]);
  });
});
