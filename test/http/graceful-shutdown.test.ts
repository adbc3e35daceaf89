import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from '../../src/store/sqlite-store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { APP_TOKEN, startHarness } from './harness';
import { v2MessageBody } from './wire';

describe('OpenlinesServer.close', () => {
  let dir: string;
  let portal: FakePortal;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-shutdown-'));
    portal = await createFakePortal({ rateLimit: false });
  });
  afterEach(async () => {
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged event when stopped under load and restarted', async () => {
    const path = join(dir, 'state.db');
    const first = await startHarness({ portal, store: sqliteStore({ path }) });
    const total = 300;
    const acked: string[] = [];
    let refused = 0;
    let closing: Promise<void> | undefined;
    const send = async (i: number): Promise<void> => {
      const chatId = 2000 + (i % 60);
      const body = v2MessageBody({
        memberId: 'a1b2c3',
        applicationToken: APP_TOKEN,
        botId: 7,
        chatId,
        messageId: 10_000 + i,
        text: `t${i}`,
      });
      try {
        const res = await fetch(`${first.url}/events`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        await res.arrayBuffer();
        if (res.status === 200) acked.push(`${chatId}:${10_000 + i}`);
        else refused += 1;
      } catch {
        refused += 1; // connection refused or closed: not acknowledged, Bitrix24 would count it as failed
      }
      // The "SIGTERM" arrives in the middle of the load.
      if (acked.length === 100) closing ??= first.server.close({ deadlineMs: 5000 });
    };
    await Promise.all(Array.from({ length: total }, (_, i) => send(i)));
    await (closing ?? first.server.close({ deadlineMs: 5000 }));
    expect(acked.length).toBeGreaterThanOrEqual(100);
    expect(acked.length + refused).toBe(total);
    // The store was closed by the shutdown.
    await expect(first.store.ping()).rejects.toBeDefined();

    const second = await startHarness({ portal, store: sqliteStore({ path }) });
    await second.runtime.idle();
    const replies = portal
      .callsOf('imopenlines.bot.session.message.send')
      .map((c) => String(c.params.MESSAGE));
    const counts = new Map<string, number>();
    for (const r of replies) counts.set(r, (counts.get(r) ?? 0) + 1);
    for (const key of acked) expect([key, counts.get(key)]).toEqual([key, 1]);
    await second.close();
  }, 120_000);

  it('refuses new connections once closed', async () => {
    const h = await startHarness({ portal });
    const url = h.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await h.close();
    await expect(fetch(`${url}/healthz`)).rejects.toBeDefined();
  });
});
