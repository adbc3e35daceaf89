/**
 * A child process for the SQLite store tests (run with tsx; not a test file itself). Modes:
 * - `crash`: a runtime-like writer (append, process, commit, send) that prints every step only
 *   after the store acknowledged it, until it SIGKILLs itself or is killed;
 * - `default-path`: opens `sqliteStore()` without a path in the working directory;
 * - `heap`: fills the store with idle dialogs and prints how much the JS heap grew.
 *
 * Output lines are written synchronously, so a line on stdout means "acknowledged before the kill".
 */
import { writeSync } from 'node:fs';
import { sqliteStore } from '../../src/store/sqlite-store';
import { seededRandom } from './contract-helpers';

export interface CrashArgs {
  mode: 'crash';
  path: string;
  round: number;
  seed: number;
  dialogs: number;
  /** Kill itself with SIGKILL after this many appends; otherwise run until killed (bounded by maxOps). */
  selfKillAfter?: number;
  maxOps: number;
}

export type ChildArgs =
  CrashArgs | { mode: 'default-path' } | { mode: 'heap'; path: string; dialogs: number };

const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

async function crash(args: CrashArgs): Promise<void> {
  const store = sqliteStore({ path: args.path });
  const random = seededRandom(args.seed);
  say('READY');
  for (let i = 0; i < args.maxOps; i++) {
    const dialogKey = `d${Math.floor(random() * args.dialogs)}`;
    const id = `r${args.round}e${i}`;
    const offset = args.round * 1_000_000 + i;
    const [result] = await store.appendInbox([{ dialogKey, dedupeKey: id, payload: { id } }], {
      now: Date.now(),
      offset: { key: 'fetch', value: offset },
    });
    if (result?.status === 'accepted') say(`A ${id} ${offset}`);
    if (args.selfKillAfter !== undefined && i + 1 >= args.selfKillAfter)
      process.kill(process.pid, 'SIGKILL');

    // Process the oldest pending item of some dialog most of the time, so that some stay pending.
    if (random() < 0.7) {
      const item = await store.nextInbox(dialogKey);
      if (item) {
        const record = await store.loadDialog(dialogKey);
        const applied = (record?.snapshot as { applied?: string[] } | undefined)?.applied ?? [];
        const itemId = (item.payload as { id: string }).id;
        const commit = await store.commitTurn(dialogKey, {
          expectedRevision: record?.revision ?? 0,
          snapshot: { applied: [...applied, itemId] },
          botVersion: '1',
          effects: [{ portalId: 'p', effect: { type: 'say', text: itemId } }],
          timers: [{ timerKey: 'idle', deadline: Date.now() + 600_000, event: { type: 'idle' } }],
          consumedSeq: item.seq,
          now: Date.now(),
        });
        if (commit.status === 'committed') say(`C ${dialogKey} ${commit.revision} ${itemId}`);
      }
    }

    // Act as the dispatcher now and then: a claimed effect may be sent (deleted) before the kill.
    if (i % 5 === 4) {
      const claimed = await store.claimEffects({
        now: Date.now(),
        limit: 3,
        leaseMs: 60_000,
        owner: `child-${args.round}`,
      });
      for (const e of claimed) say(`L ${e.effect.type === 'say' ? e.effect.text : '?'}`);
      for (const e of claimed) await store.settleEffect(e.seq, { status: 'sent' }, Date.now());
    }
  }
  await store.close();
  say('DONE');
}

async function defaultPath(): Promise<void> {
  const store = sqliteStore();
  await store.appendInbox([{ dialogKey: 'a', dedupeKey: 'default', payload: 'here' }], {
    now: Date.now(),
  });
  await store.close();
  say('DONE');
}

async function heap(args: { path: string; dialogs: number }): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const store = sqliteStore({ path: args.path });
  const now = Date.now();
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const snapshot = {
    value: { asking: 'name' },
    context: { name: 'Client', history: Array.from({ length: 20 }, (_, i) => `message ${i}`) },
  };
  const commitDialog = (d: number) =>
    store.commitTurn(`portal:1:${d}`, {
      expectedRevision: 0,
      snapshot,
      botVersion: '1',
      meta: { chatId: d },
      effects: [],
      timers: [
        {
          timerKey: 'reminder',
          deadline: now + 86_400_000 + d,
          event: { type: 'xstate.after.reminder' },
        },
      ],
      now,
    });
  // Chunks of concurrent commits, as many dialogs' turns would arrive: they share group commits.
  for (let start = 0; start < args.dialogs; start += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, args.dialogs - start) }, (_, i) =>
        commitDialog(start + i),
      ),
    );
  }
  // What a serving process does while the dialogs sit idle.
  await store.nextTimerDeadline();
  await store.fireDueTimers(now, 100);
  await store.claimEffects({ now, limit: 50, leaseMs: 30_000, owner: 'heap' });
  await store.pendingDialogs(100);
  const stats = await store.stats();
  gc();
  const grown = process.memoryUsage().heapUsed - baseline;
  say(
    JSON.stringify({
      dialogs: stats.dialogs,
      timersPending: stats.timersPending,
      heapGrowthBytes: grown,
    }),
  );
  await store.close();
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  if (args.mode === 'crash') await crash(args);
  else if (args.mode === 'default-path') await defaultPath();
  else if (args.mode === 'heap') await heap(args);
  else throw new Error(`unknown mode ${JSON.stringify(args)}`);
}

main().catch((e: unknown) => {
  writeSync(2, `${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
