import { execFileSync } from 'node:child_process';
import path from 'node:path';
import perfHooks from 'node:perf_hooks';
import { createMetrics, EVENT_LOOP_RESOLUTION_MS } from '../../src/metrics';

const root = path.join(__dirname, '..', '..');

/**
 * Voluntary context switches of an otherwise idle process over one second, with the metrics made
 * as `setup` says: each is the process going to sleep and being woken (a timer, here).
 */
function idleWakeUps(setup: string): number {
  const script = `
    const { readFileSync } = require('node:fs');
    const { createMetrics } = require('./src/metrics');
    ${setup}
    const switches = () => Number(/voluntary_ctxt_switches:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
    setTimeout(() => {
      const before = switches();
      setTimeout(() => { process.stdout.write(String(switches() - before)); process.exit(0); }, 1000);
    }, 200);
  `;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return Number(out);
}

describe('metrics: the event-loop delay histogram does not keep waking the process', () => {
  afterEach(() => jest.restoreAllMocks());

  it('samples every 100 ms by default, or as configured (prom-client alone: every 10 ms)', () => {
    const monitor = jest.spyOn(perfHooks, 'monitorEventLoopDelay');
    createMetrics();
    createMetrics({ eventLoopResolutionMs: 250 });
    expect(EVENT_LOOP_RESOLUTION_MS).toBe(100);
    expect(monitor.mock.calls.map((c) => c[0]?.resolution)).toEqual([100, 250]);
  });

  it('an idle process with the default metrics wakes about 10 times a second, not 100', () => {
    if (process.platform !== 'linux') throw new Error('this test reads /proc/self/status (Linux)');
    const ours = idleWakeUps('createMetrics();');
    const promClientDefault = idleWakeUps('createMetrics({ eventLoopResolutionMs: 10 });');
    expect(promClientDefault).toBeGreaterThan(60);
    expect(ours).toBeLessThan(40);
  });
});
