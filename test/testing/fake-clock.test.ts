import { createFakeClock } from '../../src/testing/fake-clock';

describe('createFakeClock', () => {
  it('starts at a fixed instant unless told otherwise', () => {
    expect(createFakeClock().now()).toBe(Date.UTC(2025, 0, 1));
    expect(createFakeClock({ start: 5 }).now()).toBe(5);
  });

  it('fires due timeouts in deadline order, each at its own time', () => {
    const clock = createFakeClock({ start: 0 });
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['c', clock.now()]), 300);
    clock.advance(250);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 200],
    ]);
    expect(clock.now()).toBe(250);
    expect(clock.pending()).toBe(1);
  });

  it('fires a timeout scheduled by a firing one when it falls inside the advance', () => {
    const clock = createFakeClock({ start: 0 });
    const fired: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 50), 100);
    clock.advance(200);
    expect(fired).toEqual([150]);
  });

  it('never fires a cleared timeout', () => {
    const clock = createFakeClock();
    const fn = jest.fn();
    clock.clearTimeout(clock.setTimeout(fn, 10));
    clock.advance(1000);
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses to go backwards or to a time that is not a number', () => {
    const clock = createFakeClock({ start: 100 });
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advanceTo(Number.NaN)).toThrow(RangeError);
    clock.advanceTo(50);
    expect(clock.now()).toBe(100);
  });
});
