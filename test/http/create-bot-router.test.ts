import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { loadConfig } from '../../src/config/load-config';
import { createBotRouter } from '../../src/http/create-bot-router';
import { createServer } from '../../src/http/create-server';
import { createLogger } from '../../src/logger';
import { createPortalRegistry } from '../../src/portals/create-portal-registry';
import { createRuntime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { echoBot } from '../helpers/test-bots';
import { APP_TOKEN, BOT_TOKEN } from './harness';
import { v2MessageBody } from './wire';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('createBotRouter', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
  });
  afterEach(async () => {
    await portal.close();
  });

  it('mounts on an existing express app under a path', async () => {
    const config = loadConfig({
      env: { B24_WEBHOOK_URL: portal.webhookUrl, B24_BOT_TOKEN: BOT_TOKEN },
    });
    const store = memoryStore();
    const portals = createPortalRegistry({ config, store });
    const runtime = createRuntime({
      bots: [echoBot],
      store,
      clients: (id) => portals.clients(id),
      joinWindowMs: 0,
    });
    await runtime.start();
    const app = express();
    app.get('/', (_req, res) => {
      res.send('my own app');
    });
    app.use('/bitrix', createBotRouter({ bots: [echoBot], store, runtime, config, portals }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/`)).text()).toBe('my own app');
      const body = v2MessageBody({
        memberId: 'a1b2c3',
        applicationToken: APP_TOKEN,
        botId: 7,
        chatId: 1777,
        messageId: 1,
        text: 'hi',
      });
      const res = await fetch(`${base}/bitrix/events`, { method: 'POST', body, headers: FORM });
      expect(res.status).toBe(200);
      await runtime.idle();
      expect(portal.callsOf('imopenlines.bot.session.message.send')).toHaveLength(1);
    } finally {
      await new Promise((r) => server.close(r));
      await runtime.stop();
      await store.close();
    }
  });

  it('works from bots and config alone, and logs JSON lines with ids and no secrets', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    const config = loadConfig({
      env: {
        B24_WEBHOOK_URL: portal.webhookUrl,
        B24_BOT_TOKEN: BOT_TOKEN,
        OPENLINES_STORE: 'memory:',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        OPENLINES_JOIN_WINDOW_MS: '0',
      },
    });
    const server = createServer({
      bots: [echoBot],
      config,
      logger: createLogger({ level: 'debug', destination }),
    });
    const { url } = await server.listen(0);
    try {
      const ok = v2MessageBody({
        memberId: 'a1b2c3',
        applicationToken: APP_TOKEN,
        botId: 7,
        chatId: 1777,
        messageId: 2,
        text: 'hi',
      });
      expect(
        (await fetch(`${url}/events`, { method: 'POST', body: ok, headers: FORM })).status,
      ).toBe(200);
      const bad = v2MessageBody({
        memberId: 'a1b2c3',
        applicationToken: `${APP_TOKEN}x`,
        botId: 7,
        chatId: 1777,
        messageId: 3,
        text: 'hi',
      });
      expect(
        (await fetch(`${url}/events`, { method: 'POST', body: bad, headers: FORM })).status,
      ).toBe(401);
      await server.runtime.idle?.();
      expect(portal.callsOf('imopenlines.bot.session.message.send')).toHaveLength(1);
    } finally {
      await server.close();
    }
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.msg === 'event recorded')).toMatchObject({
      portal: 'a1b2c3',
      bot: 7,
      dialog: 'a1b2c3:7:1777',
      type: 'message',
    });
    expect(
      records.find((r) => r.msg === 'event rejected: application_token does not match'),
    ).toMatchObject({ portal: 'a1b2c3', type: 'message' });
    const all = lines.join('\n');
    for (const secret of [BOT_TOKEN, portal.webhookSecret]) expect(all).not.toContain(secret);
  });
});
