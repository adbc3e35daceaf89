/**
 * Experiment: the runtime's own CPU per event with and without inline turns, without HTTP or a
 * portal in the way (`npx tsx bench/experiments/inline-vs-queued.ts [events] [concurrency]`).
 *
 * A runtime with `bots/support` on a fresh SQLite file accepts the benchmark's dialogs (parsed
 * once beforehand), `concurrency` events at a time (each dialog one event at a time), and its
 * REST client answers at once; an event is done when the runtime is idle again (its turn committed
 * and its effects sent and settled). The two modes alternate over several rounds, each on its own
 * file; the figure is the process's CPU time per event, median of the rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import supportBot from '../../bots/support/bot';
import type { RestClient } from '../../src/bitrix/types';
import type { DialogEvent } from '../../src/events/inbound-event';
import { parseEventBody } from '../../src/events/parse-event-body';
import { createRuntime } from '../../src/runtime/create-runtime';
import { sqliteStore } from '../../src/store/sqlite-store';
import { createEventBuilders } from '../../src/testing/event-builders';
import { buildDialogs } from '../workload';

const client = (portalId: string): RestClient => ({
  portalId,
  call: async <T>() => true as T,
  batch: async (calls) => calls.map(() => ({ status: 'ok' as const, result: true })),
});

async function round(
  inline: boolean,
  scripts: DialogEvent[][],
  concurrency: number,
): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'openlines-inline-exp-'));
  const store = sqliteStore({ path: path.join(dir, 'state.db') });
  const runtime = createRuntime({
    bots: [supportBot],
    store,
    clients: client,
    joinWindowMs: 0,
    inlineTurns: inline,
  });
  await runtime.start();
  const queue = scripts.map((events) => ({ events, next: 0 }));
  let events = 0;
  const start = process.cpuUsage();
  // `concurrency` workers, each taking a dialog and sending its events one after the other.
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        for (const event of d.events) {
          await runtime.accept([event]);
          events += 1;
        }
      }
    }),
  );
  await runtime.idle();
  const used = process.cpuUsage(start);
  await runtime.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return (used.user + used.system) / events;
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 4000);
  const concurrency = Number(process.argv[3] ?? 1);
  const builders = createEventBuilders({ botId: 7, botCode: supportBot.code });
  let chat = 10_000;
  const make = (): DialogEvent[][] =>
    buildDialogs({ builders, firstChatId: (chat += 10_000), count: Math.ceil(total / 4) }).map(
      (d) =>
        d.bodies.map(
          (body) =>
            parseEventBody({
              body,
              contentType: 'application/x-www-form-urlencoded',
            }) as DialogEvent,
        ),
    );
  const figures: Record<string, number[]> = { inline: [], queued: [] };
  await round(true, make(), concurrency); // warm-up
  const rounds = Number(process.env.ROUNDS ?? 5);
  for (let r = 0; r < rounds; r++) {
    const modes =
      process.env.MODE === 'inline'
        ? [true]
        : process.env.MODE === 'queued'
          ? [false]
          : r % 2 === 0
            ? [true, false]
            : [false, true];
    for (const inline of modes)
      figures[inline ? 'inline' : 'queued']?.push(await round(inline, make(), concurrency));
  }
  const median = (xs: number[]): number =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  for (const [mode, xs] of Object.entries(figures))
    console.log(
      `${mode}: ${median(xs).toFixed(0)} µs CPU/event (rounds: ${xs.map((x) => x.toFixed(0)).join(', ')})`,
    );
}

void main();
