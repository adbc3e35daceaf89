import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOpenlinesError, type ConfigError } from '../../src/errors';
import { DEFAULT_STORE_SPEC, openStore } from '../../src/store/open-store';
import { isStoreError, type StoreError } from '../../src/store/store-error';
import { T0 } from './contract-helpers';
import { REDIS_URL, cleanUpRedis, freshPrefix, keysUnder, requireRedis } from './redis-test-env';

const dir = mkdtempSync(join(tmpdir(), 'openlines-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterAll(cleanUpRedis);

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

  it('opens a Redis store for "redis://" with the key prefix given by "?prefix="', async () => {
    const redis = await requireRedis();
    const prefix = freshPrefix();
    const store = await openStore(`${REDIS_URL}/0?prefix=${encodeURIComponent(prefix)}`);
    expect(store.kind).toBe('redis');
    await store.appendInbox([{ dialogKey: 'a', payload: 1 }], { now: T0 });
    await store.close();
    expect(await keysUnder(redis, prefix)).toContain(`${prefix}q:a`);
    const again = await openStore(REDIS_URL, { redis: { prefix } });
    expect((await again.nextInbox('a'))?.payload).toBe(1);
    await again.close();
  });

  it('fails with a StoreError naming host and port, never the password, when Redis is unreachable', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    for (const spec of [
      'redis://bot:s3cret-pass@127.0.0.1:1/0',
      'rediss://:s3cret-pass@127.0.0.1:1',
    ]) {
      const error: unknown = await openStore(spec).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isStoreError(error)).toBe(true);
      const { message } = error as StoreError;
      expect(message).toContain('127.0.0.1:1');
      expect(message).not.toContain('s3cret-pass');
      expect(JSON.stringify((error as StoreError).toJSON())).not.toContain('s3cret-pass');
    }
  });

  it('refuses a Redis URL without a host with a ConfigError that does not echo its password', async () => {
    const error = await configErrorOf('redis://:s3cret-pass@');
    expect(error.problems[0]).toMatch(/Redis URL is not a valid URL/);
    expect(error.message).not.toContain('s3cret-pass');
    expect(JSON.stringify(error.toJSON())).not.toContain('s3cret-pass');
  });

  it('refuses an unknown or missing scheme with a ConfigError listing the accepted forms', async () => {
    expect((await configErrorOf('postgres://db/x')).problems[0]).toMatch(
      /unknown store scheme "postgres".*memory:.*sqlite:<path>.*redis:\/\//,
    );
    const noScheme = await configErrorOf('/var/lib/bot/state.db');
    expect(noScheme.problems[0]).toMatch(/no known scheme/);
    expect(noScheme.message).not.toContain('/var/lib/bot');
    expect((await configErrorOf('memory:extra')).problems[0]).toMatch(/takes no argument/);
  });
});
