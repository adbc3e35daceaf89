/**
 * The real server on 127.0.0.1 with `OPENLINES_STORE=redis://…`: the store is opened from the
 * configuration (nothing injected), an event is acknowledged only once it is in Redis, and the
 * dialog lives there, not in the process. Needs the Redis on 127.0.0.1:6379 (`.ci/run` starts it);
 * without it these tests fail with "Redis not reachable".
 */
import { loadConfig, type OpenlinesConfig } from '../../src/config/load-config';
import { isOpenlinesError } from '../../src/errors';
import { createServer, type OpenlinesServer } from '../../src/http/create-server';
import { silentLogger } from '../../src/logger';
import { redisStore } from '../../src/store/redis-store';
import { dialogKeyOf } from '../../src/store/store';
import { createEventBuilders } from '../../src/testing/event-builders';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { echoBot } from '../helpers/test-bots';
import {
  REDIS_URL,
  cleanUpRedis,
  freshPrefix,
  keysUnder,
  requireRedis,
} from '../store/redis-test-env';

const BOT_TOKEN = 'redis_server_bot_token';
const BOT_ID = 7;
const CHAT_ID = 4242;

let portal: FakePortal;
const servers: OpenlinesServer[] = [];

beforeAll(async () => {
  await requireRedis();
});
beforeEach(async () => {
  portal = await createFakePortal({ rateLimit: false });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close({ deadlineMs: 5000 })));
  await portal.close();
});
afterAll(cleanUpRedis);

function configFor(store: string): OpenlinesConfig {
  return loadConfig({
    env: {
      B24_WEBHOOK_URL: portal.webhookUrl,
      B24_BOT_TOKEN: BOT_TOKEN,
      OPENLINES_STORE: store,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      OPENLINES_JOIN_WINDOW_MS: '0',
    },
  });
}

async function start(config: OpenlinesConfig): Promise<{ server: OpenlinesServer; url: string }> {
  const server = createServer({ bots: [echoBot], config, logger: silentLogger() });
  servers.push(server);
  const { url } = await server.listen(0, '127.0.0.1');
  return { server, url };
}

async function postEvent(url: string, wire: { body: string; contentType: string }) {
  const res = await fetch(`${url}/events`, {
    method: 'POST',
    body: wire.body,
    headers: { 'content-type': wire.contentType },
  });
  return { status: res.status, json: await res.json() };
}

describe('createServer', () => {
  it('opens the Redis store of OPENLINES_STORE, commits the turn there and keeps it across a restart', async () => {
    const redis = await requireRedis();
    const prefix = freshPrefix();
    const config = configFor(`${REDIS_URL}/?prefix=${encodeURIComponent(prefix)}`);
    expect(config.store).toEqual({ kind: 'redis', url: `${REDIS_URL}/`, prefix });
    const events = createEventBuilders({
      memberId: portal.memberId,
      domain: portal.domain,
      applicationToken: `custom${BOT_TOKEN}`,
      botId: BOT_ID,
      botCode: echoBot.code,
      chatId: CHAT_ID,
    });
    const message = events.v2.message({ text: 'hello', messageId: 501 });

    const first = await start(config);
    expect(first.server.store.kind).toBe('redis');
    const health = await fetch(`${first.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'redis' });

    expect(await postEvent(first.url, message)).toEqual({
      status: 200,
      json: { status: 'accepted' },
    });
    await first.server.runtime.idle?.();
    expect(portal.callsOf('imopenlines.bot.session.message.send').map((c) => c.params)).toEqual([
      { CHAT_ID, NAME: 'DEFAULT', MESSAGE: `${CHAT_ID}:501` },
    ]);

    // Read back through a connection of our own: the turn is in Redis, under the prefix.
    const reader = redisStore({ url: REDIS_URL, prefix });
    try {
      const dialog = await reader.loadDialog(dialogKeyOf(portal.memberId, BOT_ID, CHAT_ID));
      expect(dialog?.revision).toBeGreaterThanOrEqual(1);
      expect((dialog?.snapshot as { context: { seen: number[] } }).context.seen).toEqual([501]);
      expect(await reader.stats()).toMatchObject({ dialogs: 1, inboxDepth: 0, outboxDepth: 0 });
    } finally {
      await reader.close();
    }
    expect((await keysUnder(redis, prefix)).length).toBeGreaterThan(0);

    // A restarted process finds the redelivered event already recorded: the dedupe key lives in
    // Redis too, so the client gets no second reply.
    await first.server.close({ deadlineMs: 5000 });
    const second = await start(config);
    expect(await postEvent(second.url, message)).toEqual({
      status: 200,
      json: { status: 'duplicate' },
    });
    await second.server.runtime.idle?.();
    expect(portal.callsOf('imopenlines.bot.session.message.send')).toHaveLength(1);
  });

  it('rejects listen with a StoreError naming host and port, never the password, when Redis is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const config = configFor('redis://bot:unreachable-s3cret@127.0.0.1:1/0');
    const server = createServer({ bots: [echoBot], config, logger: silentLogger() });
    servers.push(server);
    const error: unknown = await server.listen(0, '127.0.0.1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOpenlinesError(error) && error.code).toBe('STORE_ERROR');
    const { message } = error as Error;
    expect(message).toContain('127.0.0.1:1');
    expect(message).not.toContain('unreachable-s3cret');
    expect(JSON.stringify(error)).not.toContain('unreachable-s3cret');
    // Nothing was left listening, and closing the half-started server is clean.
    expect(server.httpServer).toBeUndefined();
    await expect(server.close({ deadlineMs: 1000 })).resolves.toBeUndefined();
    expect(portal.calls).toHaveLength(0);
  });
});
