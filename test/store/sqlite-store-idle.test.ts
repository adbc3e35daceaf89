/**
 * Idle dialogs cost no memory (ARCHITECTURE invariant 6, issue 3 acceptance): a process holding
 * 100,000 idle dialogs in the SQLite store keeps its JS heap within 50 MB of its empty baseline.
 * Measured in a separate process with `--expose-gc`, so jest's own heap does not blur it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './run-child';

const dir = mkdtempSync(join(tmpdir(), 'openlines-idle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqliteStore', () => {
  it('keeps the heap within 50 MB of its baseline with 100,000 idle dialogs (#3)', async () => {
    const result = await runChild(
      { mode: 'heap', path: join(dir, 'idle.db'), dialogs: 100_000 },
      { nodeFlags: ['--expose-gc'] },
    );
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.lines[0] ?? '{}') as {
      dialogs: number;
      timersPending: number;
      heapGrowthBytes: number;
    };
    expect(report).toMatchObject({ dialogs: 100_000, timersPending: 100_000 });
    expect(report.heapGrowthBytes).toBeLessThan(50 * 1024 * 1024);
  }, 180_000);
});
