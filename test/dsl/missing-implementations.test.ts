/**
 * A machine that names an action, guard, delay or actor it does not define: `defineBot` throws a
 * `ConfigError` naming all of them, and `checkFlow` reports them.
 */
import { and, assign, fromPromise, not, setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { missingImplementations } from '../../src/dsl/missing-implementations';
import { ConfigError } from '../../src/errors';
import { checkFlow } from '../../src/testing/check-flow';

const impl = setup({
  types: { events: {} as BotEvent, input: {} as DialogInput, context: {} as { n: number } },
  actions: { greet: say('Hello'), count: assign({ n: ({ context }) => context.n + 1 }) },
  guards: { isOrder: () => true, isLate: () => false },
  delays: { idle: 600_000 },
  actors: { lookup: fromPromise(async () => 1) },
});

/** Each kind misspelt once; the `as never` casts stand for what plain JavaScript or a loose cast lets through. */
const typoMachine = impl.createMachine({
  id: 'typos',
  context: { n: 0 },
  initial: 'menu',
  entry: ['greet', 'count'],
  states: {
    menu: {
      entry: [{ type: 'gret' as never }],
      on: {
        message: [
          { guard: and(['isOrder', not('isLte' as never)]), target: 'looking' },
          { actions: 'count' },
        ],
      },
      after: { idel: 'bye' } as never,
    },
    looking: {
      invoke: { src: 'lokup' as never, onDone: 'menu', onError: 'menu' },
      after: { idle: 'bye', 5000: 'menu' },
    },
    bye: { type: 'final' },
  },
});

describe('missing implementations', () => {
  it('defineBot throws a ConfigError naming the misspelt action, guard, delay and actor', () => {
    let error: unknown;
    try {
      defineBot({ code: 'typo_bot', name: 'Typos', version: '1', machine: typoMachine });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('action "gret" (used in "menu") is not defined');
    expect(message).toContain('guard "isLte" (used in "menu") is not defined');
    expect(message).toContain('delay "idel" (used in "menu") is not defined');
    expect(message).toContain('actor "lokup" (used in "looking") is not defined');
    // The names that are defined are not reported.
    expect(message).not.toMatch(/"(greet|count|isOrder|isLate|idle|lookup)"/);
  });

  it('lists each missing name once, in document order', () => {
    expect(missingImplementations(typoMachine)).toEqual([
      { kind: 'action', name: 'gret', state: 'menu' },
      { kind: 'guard', name: 'isLte', state: 'menu' },
      { kind: 'delay', name: 'idel', state: 'menu' },
      { kind: 'actor', name: 'lokup', state: 'looking' },
    ]);
  });

  it('accepts implementations supplied later with machine.provide', () => {
    const provided = typoMachine.provide({
      actions: { gret: () => undefined },
      guards: { isLte: () => false },
      delays: { idel: 1000 },
      actors: { lokup: fromPromise(async () => 2) },
    } as never);
    expect(missingImplementations(provided)).toEqual([]);
    expect(() =>
      defineBot({ code: 'ok_bot', name: 'Ok', version: '1', machine: provided }),
    ).not.toThrow();
  });

  it('checkFlow reports them as missing-implementation findings', () => {
    const report = checkFlow(typoMachine);
    expect(
      report.problems.filter((p) => p.kind === 'missing-implementation').map((p) => p.message),
    ).toEqual([
      expect.stringContaining('action "gret"'),
      expect.stringContaining('guard "isLte"'),
      expect.stringContaining('delay "idel"'),
      expect.stringContaining('actor "lokup"'),
    ]);
  });

  it('checkFlow does not ask a state that only waits for an invoked call for a message transition or an idle timeout', () => {
    const m = impl.createMachine({
      id: 'waits',
      context: { n: 0 },
      initial: 'menu',
      states: {
        menu: { on: { message: 'looking' }, after: { idle: 'bye' } },
        looking: { invoke: { src: 'lookup', onDone: 'menu', onError: 'menu' } },
        bye: { type: 'final' },
      },
    });
    expect(checkFlow(m).problems).toEqual([]);
  });
});
