/**
 * Tokens shared by every process (issue 9): two real server processes in app mode on one real
 * Redis serve one portal whose access tokens expire every two seconds, and whose refresh token
 * rotates on every refresh and is refused once rotated out, as Bitrix24 does. Under a steady
 * load of messages for a good dozen seconds, no refresh may be refused and every message must
 * get its reply.
 */
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { ensureBotRegistered } from '../../src/bitrix/register-bot';
import { redisStore } from '../../src/store/redis-store';
import { createEventBuilders } from '../../src/testing/event-builders';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { REDIS_URL, cleanUpRedis, freshPrefix, requireRedis } from '../store/redis-test-env';
import { ACK_BOT_CODE, ackText } from './helpers/ack-bot';
import type { TsChild } from './helpers/spawn-ts-child';
import { deliverAll, startChildren, waitUntil } from './shared-portal/spawn';

const PROCESSES = 2;
const DIALOGS = 100;
const ROUNDS = 8;
const TOKEN_TTL_SECONDS = 2;
const FIRST_CHAT = 80_000;

describe('two app-mode processes, one portal, shared tokens', () => {
  let portal: FakePortal;
  const children: TsChild[] = [];

  beforeAll(async () => {
    await requireRedis();
    portal = await createFakePortal({ rateLimit: false, tokenTtlSeconds: TOKEN_TTL_SECONDS });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await portal?.close();
    await cleanUpRedis();
  });

  it('refreshes without a refused refresh and delivers every reply while tokens keep expiring', async () => {
    // The app is installed: its bot registered through OAuth, the portal's record in the store.
    const installer = createRestClient({
      auth: {
        type: 'oauth',
        clientId: portal.clientId,
        clientSecret: portal.clientSecret,
        tokens: { ...portal.tokens },
        onTokens: async () => undefined,
      },
    });
    const botId = await ensureBotRegistered(installer.api, {
      code: ACK_BOT_CODE,
      name: 'Ack',
      apiVersion: 2,
      mode: 'webhook',
      url: 'http://127.0.0.1:9/events',
    });
    const prefix = freshPrefix();
    const setup = redisStore({ url: REDIS_URL, prefix });
    const t = portal.tokens;
    await setup.savePortal({
      ...t,
      applicationToken: portal.applicationToken,
      bots: { [ACK_BOT_CODE]: { id: botId, apiVersion: 2 } },
      installedAt: Date.now(),
      updatedAt: Date.now(),
    });
    const refreshesBefore = portal.refreshes;
    const urls = await startChildren(
      Array.from({ length: PROCESSES }, () => ({
        store: `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`,
        bot: 'ack' as const,
        rate: { burst: 10_000, perSecond: 1000 },
        app: { clientId: portal.clientId, clientSecret: portal.clientSecret },
      })),
      children,
    );

    const events = createEventBuilders({
      memberId: portal.memberId,
      applicationToken: portal.applicationToken,
      botId,
      botCode: ACK_BOT_CODE,
    });
    const chatIds = Array.from({ length: DIALOGS }, (_, i) => FIRST_CHAT + i);
    const sent: number[] = [];
    let nextId = 5_000_000;
    const startedAt = Date.now();
    let unacknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const bodies = chatIds.map((chatId) => {
        const messageId = nextId++;
        sent.push(messageId);
        return events.v2.message({ chatId, messageId, text: `m${messageId}` }).body;
      });
      // Spread over the processes: a round lands on both, whichever holds the newest tokens.
      const rotated = [...urls.slice(round % PROCESSES), ...urls.slice(0, round % PROCESSES)];
      const result = await deliverAll({ urls: rotated, bodies, concurrency: 20, attempts: 5 });
      unacknowledged += result.unacknowledged;
      // Steady load for longer than several token lifetimes.
      const due = startedAt + ((round + 1) * 15_000) / ROUNDS;
      if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const replied = (): Set<string> =>
      new Set(
        portal
          .chats()
          .flatMap((c) => c.messages.filter((m) => m.author === 'bot').map((m) => m.text)),
      );
    const allReplied = await waitUntil(() => sent.every((id) => replied().has(ackText(id))), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const missing = sent.filter((id) => !replied().has(ackText(id))).length;
    const stderr = children.map((c) => c.stderr()).join('\n');
    const refreshErrors = stderr
      .split('\n')
      .filter((l) => /refresh|AUTH_REFRESH|invalid_grant/i.test(l));
    const expired = portal.calls.filter((c) => c.error === 'expired_token').length;
    process.stdout.write(
      `shared tokens: ${JSON.stringify({
        processes: PROCESSES,
        messages: sent.length,
        tokenTtlSeconds: TOKEN_TTL_SECONDS,
        seconds: Math.round((Date.now() - startedAt) / 100) / 10,
        refreshes: portal.refreshes - refreshesBefore,
        refusedRefreshes: portal.refusedRefreshes,
        expiredTokenAnswers: expired,
        unacknowledged,
        missingReplies: missing,
        refreshErrorLines: refreshErrors.length,
      })}\n${refreshErrors.slice(0, 5).join('\n')}\n`,
    );
    await setup.close();
    expect(unacknowledged).toBe(0);
    expect(allReplied).toBe(true);
    expect(portal.refusedRefreshes).toBe(0);
    expect(refreshErrors).toEqual([]);
    // The tokens did expire under load, repeatedly, and were refreshed.
    expect(portal.refreshes - refreshesBefore).toBeGreaterThanOrEqual(3);
    expect(expired).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
