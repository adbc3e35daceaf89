import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOpenlinesError, type ConfigError } from '../../src/errors';
import { DEFAULT_STORE_SPEC, openStore } from '../../src/store/open-store';
import { T0 } from './contract-helpers';

const dir = mkdtempSync(join(tmpdir(), 'openlines-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function configErrorOf(spec: string): Promise<ConfigError> {
  const error: unknown = await openStore(spec).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOpenlinesError(error) || error.code !== 'CONFIG')
    throw new Error(`expected a ConfigError for ${spec}, got ${String(error)}`);
  return error as ConfigError;
}

describe('openStore', () => {
  it('opens a memory store for "memory:"', async () => {
    const store = await openStore('memory:');
    expect(store.kind).toBe('memory');
    await store.close();
    expect((await openStore(' memory ')).kind).toBe('memory');
  });

  it('opens a SQLite store at the path of "sqlite:<path>" and "sqlite://<path>"', async () => {
    for (const spec of [
      `sqlite:${join(dir, 'a', 'one.db')}`,
      `sqlite://${join(dir, 'b', 'two.db')}`,
    ]) {
      const store = await openStore(spec);
      expect(store.kind).toBe('sqlite');
      await store.appendInbox([{ dialogKey: 'a', payload: 1 }], { now: T0 });
      await store.close();
    }
    expect(existsSync(join(dir, 'a', 'one.db'))).toBe(true);
    expect(existsSync(join(dir, 'b', 'two.db'))).toBe(true);
  });

  it('defaults to the SQLite file under ./.openlines-bot/', () => {
    expect(DEFAULT_STORE_SPEC).toBe('sqlite:./.openlines-bot/state.db');
  });

  it('refuses a Redis URL with a ConfigError that does not echo its password', async () => {
    const error = await configErrorOf('redis://user:s3cret-pass@cache.internal:6379/0');
    expect(error.problems.join('\n')).toMatch(/Redis adapter is not available yet/);
    expect(JSON.stringify(error.toJSON())).not.toContain('s3cret-pass');
    expect(error.message).not.toContain('s3cret-pass');
    expect((await configErrorOf('rediss://cache:6380')).problems[0]).toMatch(/Redis/);
  });

  it('refuses an unknown or missing scheme with a ConfigError listing the accepted forms', async () => {
    expect((await configErrorOf('postgres://db/x')).problems[0]).toMatch(
      /unknown store scheme "postgres".*memory:.*sqlite:<path>/,
    );
    const noScheme = await configErrorOf('/var/lib/bot/state.db');
    expect(noScheme.problems[0]).toMatch(/no known scheme/);
    expect(noScheme.message).not.toContain('/var/lib/bot');
    expect((await configErrorOf('memory:extra')).problems[0]).toMatch(/takes no argument/);
  });
});
