/**
 * A separate process sharing a Redis store with the test (run with tsx; not a test file itself).
 * Modes:
 * - `commit`: `ops` times, for a dialog picked at random (seeded by the owner): take the dialog
 *   lease (waiting while another process holds it), load, commit `n + 1` with one effect, release. A conflict while holding
 *   the lease would mean the lease is not exclusive; it is counted, retried, and reported.
 * - `send`: claims effects and "sends" them (appends each to the dialog's inbox in a second store
 *   under `<prefix>sent:`, the "portal", then settles) until the outbox is empty; reports the
 *   seqs it claimed.
 * Prints `READY` once connected, starts when a line arrives on stdin (so that the processes
 * really run at the same time), and prints one JSON line when done.
 */
import { redisStore } from '../../src/store/redis-store';
import type { Store } from '../../src/store/store';
import { seededRandom } from './contract-helpers';

export interface RedisChildArgs {
  mode: 'commit' | 'send';
  url: string;
  prefix: string;
  owner: string;
  dialogs: number;
  ops: number;
}

export interface RedisChildReport {
  owner: string;
  commits: number;
  conflictsUnderLease: number;
  leaseWaits: number;
  claimed: number[];
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

async function commitRounds(store: Store, args: RedisChildArgs, report: RedisChildReport) {
  const random = seededRandom([...args.owner].reduce((h, c) => h * 31 + c.charCodeAt(0), 7));
  for (let op = 0; op < args.ops; op++) {
    {
      const dialogKey = `d${Math.floor(random() * args.dialogs)}`;
      let granted = false;
      for (let wait = 0; wait < 20_000 && !granted; wait++) {
        granted = await store.acquireDialog(dialogKey, args.owner, 30_000, Date.now());
        if (!granted) {
          report.leaseWaits += 1;
          await pause();
        }
      }
      if (!granted) throw new Error(`${args.owner} never got ${dialogKey}`);
      for (let attempt = 0; attempt < 100; attempt++) {
        const record = await store.loadDialog(dialogKey);
        const n = ((record?.snapshot as { n?: number } | null | undefined)?.n ?? 0) + 1;
        const result = await store.commitTurn(dialogKey, {
          expectedRevision: record?.revision ?? 0,
          snapshot: { n },
          botVersion: '1',
          effects: [{ portalId: 'p', effect: { type: 'say', text: `${dialogKey}#${n}` } }],
          timers: [],
          now: Date.now(),
        });
        if (result.status === 'committed') {
          report.commits += 1;
          break;
        }
        report.conflictsUnderLease += 1;
      }
      await store.releaseDialog(dialogKey, args.owner);
    }
  }
}

async function sendAll(store: Store, args: RedisChildArgs, report: RedisChildReport) {
  const sender = redisStore({ url: args.url, prefix: `${args.prefix}sent:` });
  for (let round = 0; round < 50_000; round++) {
    const batch = await store.claimEffects({
      now: Date.now(),
      limit: 5,
      leaseMs: 60_000,
      owner: args.owner,
    });
    for (const e of batch) {
      report.claimed.push(e.seq);
      // The "portal": a list per dialog, appended in the order the effects are sent.
      await sender.appendInbox([{ dialogKey: e.dialogKey, payload: e.effect }], {
        now: Date.now(),
      });
      await store.settleEffect(e.seq, { status: 'sent' }, Date.now());
    }
    if (batch.length === 0) {
      if ((await store.stats()).outboxDepth === 0) break;
      await pause();
    }
  }
  await sender.close();
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as RedisChildArgs;
  const store = redisStore({ url: args.url, prefix: args.prefix });
  const report: RedisChildReport = {
    owner: args.owner,
    commits: 0,
    conflictsUnderLease: 0,
    leaseWaits: 0,
    claimed: [],
  };
  await store.ping();
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  if (args.mode === 'commit') await commitRounds(store, args, report);
  else await sendAll(store, args, report);
  await store.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
