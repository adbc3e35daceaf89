import {
  createActor,
  raise,
  sendTo,
  setup,
  type AnyActorRef,
  type AnyStateMachine,
  type Snapshot,
} from 'xstate';
import { collectTimers, fireTimer, rearmTimers, TurnClock } from '../../src/runtime/durable-timers';
import type { TimerRecord } from '../../src/store/store';

const child = setup({}).createMachine({
  initial: 'a',
  states: { a: { after: { 50: 'b' }, on: { poke: 'b' } }, b: {} },
});

const machine = setup({ actors: { child } }).createMachine({
  id: 'm',
  initial: 'idle',
  context: { pings: 0 },
  invoke: { id: 'kid', src: 'child' },
  states: {
    idle: {
      on: {
        arm: {
          actions: [
            raise({ type: 'ping' }, { delay: 1000, id: 'ping-timer' }),
            sendTo('kid', { type: 'poke' }, { delay: 2000, id: 'poke-timer' }),
          ],
        },
        ping: { target: 'pinged' },
        leave: 'away',
      },
      after: { 5000: 'away' },
    },
    pinged: {},
    away: {},
  },
});

function turn(
  snapshot: unknown,
  timers: TimerRecord[],
  now: number,
  act: (a: AnyActorRef, fire: (key: string) => boolean) => void,
) {
  const clock = new TurnClock();
  const actor = createActor(machine as AnyStateMachine, {
    clock,
    ...(snapshot ? { snapshot: snapshot as Snapshot<unknown> } : {}),
  }) as AnyActorRef;
  actor.start();
  const rearmed = rearmTimers({ actor, clock, timers: snapshot ? timers : [], now });
  act(actor, (timerKey) => fireTimer({ clock, rearmed, timerKey }));
  const out = collectTimers({ actor, rearmed, now });
  const persisted = actor.getPersistedSnapshot();
  actor.stop();
  return {
    ...out,
    snapshot: persisted as unknown as {
      value: unknown;
      children: Record<string, { snapshot: { value: unknown } }>;
    },
  };
}

describe('rearmTimers', () => {
  it('records new delays with absolute deadlines, and drops delays of child machines', () => {
    const t = turn(undefined, [], 10_000, (a) => a.send({ type: 'arm' }));
    expect(t.timers).toEqual([
      {
        timerKey: 'xstate.after.5000.m.idle',
        deadline: 15_000,
        event: { type: 'xstate.after.5000.m.idle' },
      },
      { timerKey: 'ping-timer', deadline: 11_000, event: { type: 'ping' } },
      {
        timerKey: 'poke-timer',
        deadline: 12_000,
        event: { type: 'poke' },
        meta: { target: 'kid' },
      },
    ]);
    expect(t.dropped).toBe(1); // the child's own `after: 50`
  });

  it('keeps stored timers with their stored deadline and fired flag across a turn', () => {
    const first = turn(undefined, [], 10_000, (a) => a.send({ type: 'arm' }));
    const stored = first.timers.map((x) =>
      x.timerKey === 'ping-timer' ? { ...x, fired: true } : x,
    );
    const second = turn(first.snapshot, stored, 10_500, () => undefined);
    expect(second.timers).toEqual(stored);
  });

  it('lets xstate cancel a stored timer when its state is left', () => {
    const first = turn(undefined, [], 0, () => undefined);
    expect(first.timers.map((x) => x.timerKey)).toEqual(['xstate.after.5000.m.idle']);
    const second = turn(first.snapshot, first.timers, 100, (a) => a.send({ type: 'leave' }));
    expect(second.snapshot.value).toBe('away');
    expect(second.timers).toEqual([]);
  });

  it('fires a stored timer into the machine, or into its target child', () => {
    const first = turn(undefined, [], 0, (a) => a.send({ type: 'arm' }));
    const fired = turn(first.snapshot, first.timers, 2000, (_a, fire) => {
      expect(fire('poke-timer')).toBe(true);
      expect(fire('ping-timer')).toBe(true);
    });
    expect(fired.snapshot.value).toBe('pinged');
    expect(fired.snapshot.children.kid?.snapshot.value).toBe('b');
    expect(fired.timers).toEqual([]);
  });

  it('does not fire a timer that is not stored', () => {
    const first = turn(undefined, [], 0, () => undefined);
    turn(first.snapshot, first.timers, 0, (_a, fire) => expect(fire('nope')).toBe(false));
  });
});
