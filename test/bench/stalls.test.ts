import { formatStalls, relateStalls, watchStalls } from '../../bench/stalls';
import { joinDelays } from '../../bench/stats';

describe('bench stall watcher (--stalls)', () => {
  afterEach(() => jest.useRealTimers());

  it('notes the gaps between its 1 ms ticks that exceed the threshold, stamped with their start', () => {
    jest.useFakeTimers();
    let now = 1_000;
    const watcher = watchStalls({ now: () => now, thresholdMs: 8 });
    const tick = (ms: number): void => {
      now += ms;
      jest.advanceTimersByTime(1);
    };
    tick(1);
    tick(1);
    tick(30); // the loop stood still for 30 ms
    tick(1);
    tick(8); // not more than the threshold
    tick(12);
    expect(watcher.take()).toEqual([
      { at: 1_002, ms: 30 },
      { at: 1_041, ms: 12 },
    ]);
    // Taken: cleared.
    tick(1);
    expect(watcher.take()).toEqual([]);
    watcher.stop();
    tick(50);
    expect(watcher.take()).toEqual([]);
  });

  it('counts, per process, the slowest events that were in flight during one of its stalls', () => {
    const events = [
      { sentAt: 0, delayMs: 5 },
      { sentAt: 100, delayMs: 60 }, // in flight 100..160
      { sentAt: 120, delayMs: 45 }, // 120..165
      { sentAt: 300, delayMs: 50 }, // 300..350
      { sentAt: 400, delayMs: 3 },
    ];
    const report = relateStalls({
      events,
      p99Ms: 45,
      stalls: {
        server: [
          { at: 130, ms: 20 },
          { at: 500, ms: 90 },
        ],
        portal: [{ at: 350, ms: 10 }], // starts as the last slow event's call arrives: not during it
        'load generator': [],
      },
    });
    expect(report).toEqual({
      slow: 3,
      longestMs: { server: 90, portal: 10, 'load generator': 0 },
      count: { server: 2, portal: 1, 'load generator': 0 },
      overlapping: { server: 2, portal: 0, 'load generator': 0 },
    });
    expect(formatStalls(report)).toBe(
      'longest stall ms: server 90.0, portal 10.0, load generator 0.0; of the 3 slowest events, in flight during a stall of: 2 server, 0 portal, 0 load generator',
    );
  });

  it('joinDelays keeps when each measured event was sent', () => {
    expect(
      joinDelays({
        sent: new Map([
          ['1', 1_000],
          ['2', 1_010],
          ['3', 1_020],
        ]),
        received: { '1': 1_004, '3': 1_050 },
      }),
    ).toEqual({ delays: [4, 30], sentAt: [1_000, 1_020], missing: 1 });
  });
});
