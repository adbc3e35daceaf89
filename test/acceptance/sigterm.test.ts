/**
 * SIGTERM under load, then restart (issue 4 acceptance): the real server in a child process with
 * `installShutdown`, on the SQLite store, 200 dialogs sending over loopback HTTP. SIGTERM arrives
 * mid-load; the process must drain and exit 0 within its deadline, leaving no effect claimed; a
 * new process on the same file then applies every acknowledged event exactly once, and, since
 * nothing was in flight at a kill, sends every reply exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { lostOrDuplicated, replyLog, replyProblems } from './helpers/ack-checks';
import { createDialogLoad } from './helpers/dialog-load';
import { readDurableState } from './helpers/read-durable-state';
import {
  CHILD_APPLICATION_TOKEN,
  CHILD_BOT_TOKEN,
  goAndListen,
  pollUntil,
  spawnServeChild,
} from './helpers/serve-child';
import type { TsChild } from './helpers/spawn-ts-child';

const DIALOGS = 200;
const BOT_ID = 7;
const DEADLINE_MS = 5000;
/** Process exit after the drain: closing the store and flushing stdio. */
const EXIT_SLACK_MS = 3000;
const START_TIMEOUT_MS = 60_000;

describe('installShutdown (real server process)', () => {
  let dir: string;
  let portal: FakePortal;
  const children: TsChild[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-sigterm-'));
    portal = await createFakePortal({ rateLimit: false });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged event when SIGTERM arrives under load and the server restarts (#4)', async () => {
    const startedAt = Date.now();
    const dbPath = join(dir, 'state.db');
    const memberId = portal.memberId;
    const start = async (): Promise<{ child: TsChild; url: string }> => {
      const child = spawnServeChild({
        dbPath,
        webhookUrl: portal.webhookUrl,
        botToken: CHILD_BOT_TOKEN,
        graceful: { deadlineMs: DEADLINE_MS },
      });
      children.push(child);
      return { child, url: await goAndListen({ child, timeoutMs: START_TIMEOUT_MS }) };
    };
    const load = createDialogLoad({
      dialogs: DIALOGS,
      memberId,
      applicationToken: CHILD_APPLICATION_TOKEN,
      botId: BOT_ID,
    });

    const first = await start();
    let signalledAt = 0;
    let acks = 0;
    const stats = await load.run({
      url: `${first.url}/events`,
      shouldStop: () => false,
      onAck: () => {
        if (++acks === 400) {
          signalledAt = Date.now();
          first.child.kill('SIGTERM');
        }
      },
      maxPerDialog: 25,
    });
    if (signalledAt === 0) {
      signalledAt = Date.now();
      first.child.kill('SIGTERM');
    }
    const exit = await first.child.exited;
    const shutdownMs = Date.now() - signalledAt;
    expect({ exit, line: first.child.lines.includes('EXIT 0') }).toEqual({
      exit: { code: 0, signal: null },
      line: true,
    });
    expect(shutdownMs).toBeLessThan(DEADLINE_MS + EXIT_SLACK_MS);

    const afterStop = readDurableState({ path: dbPath });
    // A graceful stop releases what it claimed but did not send: nothing stays in flight.
    expect(afterStop.outbox.filter((r) => r.status === 'inflight')).toEqual([]);
    expect(
      lostOrDuplicated({ load, state: afterStop, memberId, botId: BOT_ID, settled: false }),
    ).toEqual([]);

    const second = await start();
    const redelivered = await load.settle({ url: `${second.url}/events`, attempts: 20 });
    expect(load.chatIds.filter((c) => load.unanswered(c) !== undefined)).toEqual([]);
    const drained = await pollUntil({
      // A turn cut off by the stop deadline leaves its dialog's lease (30 s by default) behind.
      timeoutMs: 45_000,
      intervalMs: 100,
      check: () => {
        const s = readDurableState({ path: dbPath });
        return s.inboxDepth === 0 && s.outbox.length === 0;
      },
    });
    const state = readDurableState({ path: dbPath });
    second.child.kill('SIGTERM');
    const secondExit = await second.child.exited;

    const replies = replyLog({ calls: portal.calls });
    for (const [id, n] of replies.sends) {
      if (n < 2) continue;
      const calls = portal.calls
        .filter((c) => c.params.MESSAGE === `ack:${id}`)
        .map((c) => ({ at: c.at - signalledAt, req: c.httpRequest, batch: c.viaBatch }));
      process.stdout.write(`dup ack:${id}: ${JSON.stringify(calls)}\n`);
    }
    process.stdout.write(
      `sigterm: ${JSON.stringify({
        dialogs: DIALOGS,
        ackedBeforeStop: stats.acked,
        refusedDuringStop: stats.failed,
        statuses: stats.statuses,
        shutdownMs,
        leftInInbox: afterStop.inboxDepth,
        leftInOutbox: afterStop.outbox.length,
        redelivered: redelivered.acked,
        eventsAcked: load.totalAcked(),
        duplicates: replies.duplicates,
        seconds: Math.round((Date.now() - startedAt) / 100) / 10,
      })}\n${first.child.stderr().slice(0, 2000)}`,
    );
    expect({ drained, inbox: state.inboxDepth, outbox: state.outbox }).toEqual({
      drained: true,
      inbox: 0,
      outbox: [],
    });
    expect(lostOrDuplicated({ load, state, memberId, botId: BOT_ID, settled: true })).toEqual([]);
    expect(replyProblems({ load, replies, unsettledClaims: new Map() })).toEqual([]);
    expect(replies.duplicates).toBe(0);
    expect(secondExit).toEqual({ code: 0, signal: null });
    expect(stats.acked).toBeGreaterThanOrEqual(400);
  }, 180_000);
});
