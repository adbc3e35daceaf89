import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { finish, say } from '../../src/dsl/effect-actions';
import type { BotEvent } from '../../src/dsl/machine-events';
import { checkFlow } from '../../src/testing/check-flow';
import { flawedBot, flawedMachine } from './fixtures/flawed-bot';

const typed = setup({ types: { events: {} as BotEvent } });

describe('checkFlow', () => {
  it('finds each planted defect of the flawed bot, and nothing else', () => {
    const report = checkFlow(flawedBot);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.state])).toEqual([
      ['silent', 'help'],
      ['no-timeout', 'quiz'],
      ['dead-end', 'waitingForHuman'],
      ['unreachable', 'survey'],
    ]);
  });

  it('explains each problem in a sentence naming the state', () => {
    const byKind = Object.fromEntries(
      checkFlow(flawedBot).problems.map((p) => [p.kind, p.message]),
    );
    expect(byKind.silent).toMatch(
      /"help" waits for the client but every `message` transition has a guard/,
    );
    expect(byKind['no-timeout']).toMatch(/"quiz" waits for the client with no idle timeout/);
    expect(byKind['dead-end']).toMatch(/"waitingForHuman" is a dead end/);
    expect(byKind.unreachable).toMatch(/"survey" is unreachable/);
  });

  it('accepts a bare machine as well as a bot', () => {
    expect(checkFlow(flawedMachine).problems).toHaveLength(4);
  });

  it('leaves out the findings the author accepted', () => {
    const report = checkFlow(flawedBot, {
      ignore: [{ kind: 'unreachable' }, { kind: 'silent', state: 'help' }],
    });
    expect(report.problems.map((p) => p.kind)).toEqual(['no-timeout', 'dead-end']);
  });

  it('reports a state with no message transition at all as silent', () => {
    const machine = typed.createMachine({
      initial: 'a',
      states: { a: { after: { 1000: 'done' } }, done: { type: 'final' } },
    });
    expect(checkFlow(machine).problems).toEqual([
      expect.objectContaining({
        kind: 'silent',
        state: 'a',
        message: expect.stringMatching(/has no `message` transition/),
      }),
    ]);
  });

  it('counts handlers and timeouts of a parent state for its children', () => {
    const machine = typed.createMachine({
      initial: 'form',
      states: {
        form: {
          after: { 60_000: 'closed' },
          on: { message: { actions: say('Please answer the question.') } },
          initial: 'name',
          states: {
            name: {
              on: {
                message: [
                  {
                    guard: ({ event }) => event.type === 'message' && event.text.length > 1,
                    target: 'phone',
                  },
                ],
              },
            },
            phone: { on: { message: [{ guard: () => true, target: '#done' }] } },
          },
        },
        closed: { id: 'done', type: 'final', entry: finish() },
      },
    });
    expect(checkFlow(machine)).toEqual({ ok: true, problems: [] });
  });

  it('does not treat a state left at once by an unguarded always as waiting', () => {
    const machine = typed.createMachine({
      initial: 'a',
      states: {
        a: { after: { 1000: 'b' }, on: { message: 'b' } },
        b: { always: 'end' },
        end: { type: 'final' },
      },
    });
    expect(checkFlow(machine).ok).toBe(true);
  });

  it('reports states that loop forever without reaching a final state', () => {
    const machine = typed.createMachine({
      initial: 'start',
      states: {
        start: {
          after: { 1000: 'end' },
          on: { message: [{ guard: () => false, target: 'ping' }, { target: 'end' }] },
        },
        ping: { after: { 1000: 'pong' }, on: { message: 'pong' } },
        pong: { after: { 1000: 'ping' }, on: { message: 'ping' } },
        end: { type: 'final' },
      },
    });
    expect(
      checkFlow(machine).problems.map((p) => [p.kind, p.state, p.message.includes('loops back')]),
    ).toEqual([
      ['dead-end', 'ping', true],
      ['dead-end', 'pong', true],
    ]);
  });

  it('reports only the outermost unreachable state of a nested one', () => {
    const machine = typed.createMachine({
      initial: 'a',
      states: {
        a: { after: { 1000: 'end' }, on: { message: 'end' } },
        lost: {
          initial: 'inner',
          states: { inner: { after: { 1000: '#end' }, on: { message: '#end' } } },
        },
        end: { id: 'end', type: 'final' },
      },
    });
    expect(checkFlow(machine).problems.map((p) => [p.kind, p.state])).toEqual([
      ['unreachable', 'lost'],
    ]);
  });

  it('finds nothing wrong in a bot that handles text and times out everywhere', () => {
    const bot = defineBot({
      code: 'tidy',
      name: 'Tidy',
      version: '1',
      machine: typed.createMachine({
        initial: 'menu',
        states: {
          menu: {
            after: { 600_000: 'bye' },
            on: { message: { target: 'menu', reenter: true, actions: say('Hi') } },
          },
          bye: { type: 'final', entry: finish() },
        },
      }),
    });
    expect(checkFlow(bot)).toEqual({ ok: true, problems: [] });
  });

  it('refuses what is neither a bot nor a machine', () => {
    expect(() => checkFlow({} as never)).toThrow(TypeError);
  });
});
