/**
 * The whole product on loopback for end-to-end tests: a fake Bitrix24 portal with the support bot
 * registered on it (v1 or v2, through an incoming webhook, as `openlines-bot register` does), and
 * the real server (`createServer`) serving `bots/support` on a SQLite file, with a fake clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import supportBot from '../../bots/support/bot';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { ensureBotRegistered } from '../../src/bitrix/register-bot';
import { loadConfig } from '../../src/config/load-config';
import type { BotDefinition } from '../../src/dsl/define-bot';
import { createServer, type OpenlinesServer } from '../../src/http/create-server';
import { silentLogger } from '../../src/logger';
import { createEventBuilders, type EventBuilders, type WireBody } from '../../src/testing/event-builders';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';

export const BOT_TOKEN = 'e2e_bot_token';
export const CLIENT_ID = 'e2e_client_id';
export const V1_APPLICATION_TOKEN = 'e2e_v1_application_token';

/** One REST call as the portal decoded it, every scalar as the string it is on the wire. */
export interface WireCall {
  method: string;
  params: Record<string, unknown>;
}

export interface SupportStack {
  portal: FakePortal;
  server: OpenlinesServer;
  clock: FakeClock;
  botId: number;
  apiVersion: 1 | 2;
  /** Builders whose events carry this portal's member id, the bot and the right application token. */
  events: EventBuilders;
  /** POSTs a wire body to `/events` as Bitrix24 does. */
  post(body: WireBody | string): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Index of the next call the portal will log. */
  mark(): number;
  /** REST calls logged since `mark` (`batch` envelopes left out: their sub-calls are listed). */
  callsSince(mark: number): WireCall[];
  /** Waits until every accepted event was processed and every effect sent. */
  settle(): Promise<void>;
  /** Moves the fake clock, fires the durable timers that fell due, and settles. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface SupportStackOptions {
  apiVersion: 1 | 2;
  /** Id the portal gives the bot: small ids catch the qs array trap (README trap 1). */
  firstBotId: number;
  bot?: BotDefinition;
}

function wireStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wireStrings(v)]));
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/**
 * Starts the stack. The caller closes it.
 *
 * @example
 * const stack = await startSupportStack({ apiVersion: 2, firstBotId: 7 });
 * await stack.post(stack.events.v2.join({ chatId: 12 }));
 */
export async function startSupportStack(options: SupportStackOptions): Promise<SupportStack> {
  const { apiVersion } = options;
  const clock = createFakeClock();
  const dir = mkdtempSync(path.join(tmpdir(), 'openlines-e2e-'));
  const portal = await createFakePortal({ rateLimit: false, firstBotId: options.firstBotId, memberId: 'e2e-portal' });
  const bot = options.bot ?? supportBot;
  const credentials = apiVersion === 2 ? { botToken: BOT_TOKEN } : { clientId: CLIENT_ID };
  const admin = createRestClient({ auth: { type: 'webhook', url: portal.webhookUrl, ...credentials } });
  const botId = await ensureBotRegistered(admin.api, {
    code: bot.code,
    name: bot.name,
    apiVersion,
    mode: 'webhook',
    url: 'http://127.0.0.1:9/events',
  });
  const applicationToken = apiVersion === 2 ? `custom${BOT_TOKEN}` : V1_APPLICATION_TOKEN;
  const config = loadConfig({
    env: {
      B24_WEBHOOK_URL: portal.webhookUrl,
      ...(apiVersion === 2 ? { B24_BOT_TOKEN: BOT_TOKEN } : { B24_CLIENT_ID: CLIENT_ID, B24_APPLICATION_TOKEN: V1_APPLICATION_TOKEN }),
      B24_MEMBER_ID: portal.memberId,
      OPENLINES_STORE: `sqlite:${path.join(dir, 'state.db')}`,
      B24_RATE_BURST: '10000',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    },
  });
  const server = createServer({ bots: [bot], config, clock, logger: silentLogger() });
  const { url } = await server.listen(0, '127.0.0.1');
  const events = createEventBuilders({ memberId: portal.memberId, applicationToken, botId, botCode: bot.code });
  const settle = async (): Promise<void> => {
    if (!server.runtime.idle) throw new Error('the server runtime has no idle()');
    await server.runtime.idle();
  };
  return {
    portal,
    server,
    clock,
    botId,
    apiVersion,
    events,
    async post(body) {
      const built = typeof body === 'string' ? { body, contentType: 'application/x-www-form-urlencoded' } : body;
      const res = await portal.sendEvent(`${url}/events`, built);
      return { status: res.status, json: JSON.parse(res.body) as Record<string, unknown> };
    },
    mark: () => portal.calls.length,
    callsSince: (mark) =>
      portal.calls
        .slice(mark)
        .filter((c) => c.method.toLowerCase() !== 'batch')
        .map((c) => ({ method: c.method, params: wireStrings(c.params) as Record<string, unknown> })),
    settle,
    async advance(ms) {
      clock.advance(ms);
      if (!server.runtime.runDueTimers) throw new Error('the server runtime has no runDueTimers()');
      await server.runtime.runDueTimers();
      await settle();
    },
    async close() {
      await server.close({ deadlineMs: 5000 });
      await portal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
