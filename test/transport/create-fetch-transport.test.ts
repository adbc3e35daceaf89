import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { createServer, type OpenlinesServer } from '../../src/http/create-server';
import { silentLogger } from '../../src/logger';
import { createPortalRegistry } from '../../src/portals/create-portal-registry';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { sqliteStore } from '../../src/store/sqlite-store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { echoBot } from '../helpers/test-bots';
import { v2FetchItem } from '../http/wire';

const logger = silentLogger();

describe('createFetchTransport', () => {
  let portal: FakePortal;
  let dir: string;
  /** The servers' and the portal's clock (the portal paces Event.get on it). */
  let clock: FakeClock;
  beforeEach(async () => {
    clock = fakeClock();
    portal = await createFakePortal({ rateLimit: false, clock });
    dir = mkdtempSync(join(tmpdir(), 'openlines-fetchmode-'));
  });
  afterEach(async () => {
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A server in fetch mode: no PUBLIC_URL anywhere. */
  async function serve(clock: FakeClock): Promise<{ server: OpenlinesServer; runtime: Runtime }> {
    const config = loadConfig({
      env: {
        B24_WEBHOOK_URL: portal.webhookUrl,
        B24_BOT_TOKEN: 'fetch_token_1',
        B24_EVENT_MODE: 'fetch',
        HOST: '127.0.0.1',
      },
    });
    expect(config.publicUrl).toBeUndefined();
    const store = sqliteStore({ path: join(dir, 'state.db') });
    const portals = createPortalRegistry({ config, store, logger });
    const runtime = createRuntime({
      // A first message is answered at once: these tests are not about the join race (#8).
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: (id) => portals.clients(id),
      logger,
      clock,
    });
    const server = createServer({
      bots: [echoBot],
      config,
      store,
      closeStore: true,
      runtime,
      portals,
      logger,
      clock,
    });
    await server.listen(0);
    return { server, runtime };
  }

  async function pollNow(server: OpenlinesServer, clock: FakeClock): Promise<void> {
    clock.advance(0);
    await Promise.all((server.fetchTransport?.pollers() ?? []).map((p) => p.settled()));
  }

  it('registers the bot in fetch mode once, without a public URL, and serves its queue end to end', async () => {
    const first = await serve(clock);
    const bot = portal.bots.find((b) => b.code === 'echo_bot');
    expect(bot).toMatchObject({ apiVersion: 2, eventMode: 'fetch' });
    expect(bot?.webhookUrl).toBeUndefined();
    expect(first.server.fetchTransport?.pollers().map((p) => p.botId)).toEqual([bot?.id]);

    portal.queueEvent(
      bot!.id,
      v2FetchItem({ botId: bot!.id, chatId: 1777, messageId: 1, text: 'hi' }),
    );
    await pollNow(first.server, clock);
    await first.runtime.idle();
    expect(
      portal.callsOf('imopenlines.bot.session.message.send').map((c) => c.params.MESSAGE),
    ).toEqual(['1777:1']);
    await first.server.close();

    // A restart finds the bot id in the store: nothing is registered again. It takes a few
    // seconds, so its first poll keeps the pace the portal asks for.
    clock.advance(5_000);
    const second = await serve(clock);
    expect(portal.callsOf('imbot.v2.Bot.register')).toHaveLength(1);
    portal.queueEvent(
      bot!.id,
      v2FetchItem({ botId: bot!.id, chatId: 1777, messageId: 2, text: 'again' }),
    );
    await pollNow(second.server, clock);
    await second.runtime.idle();
    expect(
      portal.callsOf('imopenlines.bot.session.message.send').map((c) => c.params.MESSAGE),
    ).toEqual(['1777:1', '1777:2']);
    await second.server.close();
  });

  it('stops polling for a bot the portal reports as deleted', async () => {
    const { server } = await serve(clock);
    const bot = portal.bots.find((b) => b.code === 'echo_bot')!;
    portal.queueEvent(bot.id, {
      type: 'ONIMBOTV2DELETE',
      data: { bot: { id: bot.id, code: 'echo_bot' } },
    });
    await pollNow(server, clock);
    for (let i = 0; i < 20 && (server.fetchTransport?.pollers().length ?? 0) > 0; i++)
      await new Promise((r) => setImmediate(r));
    expect(server.fetchTransport?.pollers()).toEqual([]);
    expect((await server.store.getPortal(server.config.webhook!.memberId))?.bots).toEqual({});
    const calls = portal.callsOf('imbot.v2.Event.get').length;
    clock.advance(60_000);
    expect(portal.callsOf('imbot.v2.Event.get')).toHaveLength(calls);
    await server.close();
  });
});
