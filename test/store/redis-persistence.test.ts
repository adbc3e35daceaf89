/**
 * What `serve` says about the persistence of the Redis it uses: read from the server's own
 * settings (private redis-server children, never the shared Redis), and no crash when CONFIG is
 * disabled, as on managed Redis services.
 */
import { checkRedisPersistenceAt } from '../../src/store/redis-persistence';
import { cleanEnv, startCliProcess, waitForOutput } from '../cli/run-cli-process';
import { startRedisServer, type RedisServerProcess } from '../helpers/redis-server-process';

describe('Redis persistence check', () => {
  const servers: RedisServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.dispose()));
  });
  const redis = async (args: string[]): Promise<RedisServerProcess> => {
    const server = await startRedisServer({ args });
    servers.push(server);
    return server;
  };

  it('tells AOF with fsync, snapshots only, nothing on disk, and a server that hides CONFIG apart', async () => {
    const aof = await redis(['--appendonly', 'yes', '--appendfsync', 'everysec']);
    const none = await redis(['--appendonly', 'no']);
    const snapshots = await redis(['--appendonly', 'no', '--save', '900 1']);
    const hidden = await redis(['--rename-command', 'CONFIG', '']);
    expect(await checkRedisPersistenceAt(aof.url)).toMatchObject({
      status: 'aof',
      appendfsync: 'everysec',
    });
    expect(await checkRedisPersistenceAt(none.url)).toMatchObject({
      status: 'none',
      message: expect.stringContaining('keeps nothing on disk') as unknown,
    });
    expect(await checkRedisPersistenceAt(snapshots.url)).toMatchObject({
      status: 'snapshots-only',
    });
    expect(await checkRedisPersistenceAt(hidden.url)).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('Could not read the Redis persistence settings') as unknown,
    });
  }, 60_000);

  it('`serve` on a Redis that keeps nothing on disk warns at start, and keeps serving', async () => {
    const none = await redis(['--appendonly', 'no']);
    const child = startCliProcess(
      ['serve', 'bots/support'],
      cleanEnv({ PORT: '0', OPENLINES_STORE: `${none.url}?prefix=persistence-test%3A` }),
    );
    try {
      const [, url] = await waitForOutput(
        child,
        /is serving "support" at (http:\/\/127\.0\.0\.1:\d+)/,
      );
      const deadline = Date.now() + 10_000;
      while (!child.errors().includes('keeps nothing on disk') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(child.errors()).toContain('openlines-bot: warning: Redis keeps nothing on disk');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
