/**
 * The SQLite store is for one process (issue 9): a restarted process takes over at once, and a
 * second process on the same database file is refused.
 *
 * - `kill -9` while replies are in flight (the portal path holds every request unanswered), then
 *   a restart on the same file: the restarted process sends every pending reply within 2 s of
 *   starting (it releases the dead process's leases on open instead of waiting for them to expire).
 * - The real `openlines-bot serve` on a database file already served by another `serve` exits
 *   with a message naming the problem; the first one keeps serving.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { cleanEnv, runCliProcess, startCliProcess, waitForOutput } from '../cli/run-cli-process';
import { replyLog } from './helpers/ack-checks';
import { createDialogLoad } from './helpers/dialog-load';
import { readDurableState } from './helpers/read-durable-state';
import {
  CHILD_APPLICATION_TOKEN,
  CHILD_BOT_TOKEN,
  goAndListen,
  pollUntil,
  spawnServeChild,
} from './helpers/serve-child';
import { startSlowProxy, type SlowProxy } from './helpers/slow-proxy';
import type { TsChild } from './helpers/spawn-ts-child';

const BOT_ID = 7;
const START_TIMEOUT_MS = 60_000;
const TAKEOVER_MS = 2000;

describe('SQLite store: one process per file, immediate takeover after a crash (#9)', () => {
  let dir: string;
  let portal: FakePortal;
  let proxy: SlowProxy;
  const children: TsChild[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-sqlite-restart-'));
    portal = await createFakePortal({ rateLimit: false });
    proxy = await startSlowProxy({ target: new URL(portal.webhookUrl).origin, delayMs: 'hold' });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await proxy.close();
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the dead process’s pending dialogs within 2 s of the restart after kill -9', async () => {
    const dbPath = join(dir, 'state.db');
    // Default leases: the point is that a restart does not wait for them.
    const first = spawnServeChild({
      dbPath,
      webhookUrl: proxy.via(portal.webhookUrl),
      botToken: CHILD_BOT_TOKEN,
    });
    children.push(first);
    const next = spawnServeChild({
      dbPath,
      webhookUrl: portal.webhookUrl,
      botToken: CHILD_BOT_TOKEN,
    });
    children.push(next);
    const url = await goAndListen({ child: first, timeoutMs: START_TIMEOUT_MS });
    const load = createDialogLoad({
      dialogs: 20,
      memberId: portal.memberId,
      applicationToken: CHILD_APPLICATION_TOKEN,
      botId: BOT_ID,
    });
    const stats = await load.run({
      url: `${url}/events`,
      shouldStop: () => false,
      maxPerDialog: 3,
    });
    expect(stats).toMatchObject({ acked: 60, failed: 0 });
    // The replies are claimed and on their way (held by the proxy) when the process dies.
    expect(
      await pollUntil({ check: () => proxy.received > 0, timeoutMs: 10_000, intervalMs: 20 }),
    ).toBe(true);
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const before = readDurableState({ path: dbPath });
    const inFlight = before.outbox.filter((r) => r.status === 'inflight').length;
    expect(inFlight).toBeGreaterThan(0);

    await next.waitForLine((l) => l === 'READY', { timeoutMs: START_TIMEOUT_MS });
    const restartedAt = Date.now();
    await goAndListen({ child: next, timeoutMs: START_TIMEOUT_MS });
    const allSent = (): boolean => {
      const { sends } = replyLog({ calls: portal.calls });
      return load.chatIds.every((c) => load.acked(c).every((id) => sends.has(id)));
    };
    const answered = await pollUntil({ check: allSent, timeoutMs: 30_000, intervalMs: 10 });
    const tookMs = Date.now() - restartedAt;
    process.stdout.write(
      `sqlite restart: ${inFlight} replies in flight at the kill, ${before.inboxDepth} events waiting; every reply sent ${tookMs} ms after the restart\n`,
    );
    expect(answered).toBe(true);
    expect(tookMs).toBeLessThan(TAKEOVER_MS);
  }, 120_000);

  it('refuses a second `serve` on the same database file with a clear message', async () => {
    const dbPath = join(dir, 'shared.db');
    const env = cleanEnv({ PORT: '0', OPENLINES_STORE: `sqlite:${dbPath}` });
    const firstServe = startCliProcess(['serve', 'bots/support'], env);
    try {
      const [, url] = await waitForOutput(
        firstServe,
        /is serving "support" at (http:\/\/127\.0\.0\.1:\d+)/,
      );
      const second = await runCliProcess(['serve', 'bots/support'], { env, timeoutMs: 30_000 });
      expect(second.code).not.toBe(0);
      expect(second.stderr + second.stdout).toContain(
        `Another process is using the SQLite store at ${dbPath}`,
      );
      // The first one is untouched.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => firstServe.once('exit', resolve));
      firstServe.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
