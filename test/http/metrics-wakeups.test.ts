import perfHooks from 'node:perf_hooks';
import { measureIdleCost } from '../../bench/metrics-cost';
import { createMetrics, EVENT_LOOP_RESOLUTION_MS } from '../../src/metrics';

/** Wake-ups a second of an otherwise idle process with the metrics made as `setup` says. */
const idleWakeUps = (setup: string): number =>
  measureIdleCost({ setup, seconds: 1 }).wakeUpsPerSecond;

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
