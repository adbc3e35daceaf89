/**
 * Idle dialogs cost no memory (issue 3 acceptance, ARCHITECTURE invariant 6): the serving process
 * (the real runtime on the SQLite store) runs 100,000 dialogs through a turn each and sends every
 * reply; afterwards its JS heap is within 50 MB of its baseline on the empty store, because actors
 * live only while a dialog has work. Measured in a separate process with `--expose-gc`, so jest's
 * own heap does not blur the figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IdleHeapArgs, IdleHeapResult } from './heap/idle-heap-child';
import { spawnTsChild, type TsChild } from './helpers/spawn-ts-child';

const DIALOGS = 100_000;
const MB = 1024 * 1024;
/** ~0.45 ms of CPU per turn (measured): 100,000 turns need about a minute of one core, more when the machine is shared. */
const RUN_TIMEOUT_MS = 280_000;

describe('createRuntime (100,000 idle dialogs, SQLite)', () => {
  let dir: string;
  let child: TsChild | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-idle-heap-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await child?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'keeps the heap within 50 MB of its empty baseline after 100,000 dialogs each ran a turn (#3)',
    async () => {
      const args: IdleHeapArgs = { dbPath: join(dir, 'state.db'), dialogs: DIALOGS, chunk: 500 };
      child = spawnTsChild({
        script: resolve(__dirname, 'heap/idle-heap-child.ts'),
        args,
        nodeFlags: ['--expose-gc'],
      });
      const line = await child.waitForLine((l) => l.startsWith('RESULT '), {
        timeoutMs: RUN_TIMEOUT_MS,
      });
      const result = JSON.parse(line.slice('RESULT '.length)) as IdleHeapResult;
      const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
      process.stdout.write(
        `idle heap: ${JSON.stringify({
          dialogs: result.dialogs,
          baselineMB: mb(result.baselineBytes),
          afterMB: mb(result.afterBytes),
          growthMB: mb(result.growthBytes),
          peakBeforeGcMB: mb(result.peakBytes),
          replies: result.replies,
          requests: result.requests,
          seconds: result.seconds,
          turnsPerSecond: Math.round(result.dialogs / result.seconds),
        })}\n`,
      );
      expect(result.stats).toEqual({
        dialogs: DIALOGS,
        inboxDepth: 0,
        outboxDepth: 0,
        deadLetters: 0,
      });
      expect(result.replies).toBe(DIALOGS);
      expect(result.growthBytes).toBeLessThan(50 * MB);
      expect(await child.exited).toEqual({ code: 0, signal: null });
    },
    RUN_TIMEOUT_MS + 20_000,
  );
});
