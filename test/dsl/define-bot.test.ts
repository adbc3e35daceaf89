import { createMachine, setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { ConfigError } from '../../src/errors';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';

const machine = setup({
  types: { events: {} as BotEvent, input: {} as DialogInput },
}).createMachine({ initial: 'a', states: { a: {} } });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('defineBot', () => {
  it('returns a frozen definition with defaults', () => {
    const bot = defineBot({
      code: 'support_bot',
      name: 'Support',
      version: '1',
      machine,
      properties: { color: 'GREEN' },
    });
    expect(bot).toMatchObject({
      code: 'support_bot',
      name: 'Support',
      version: '1',
      apiVersion: 2,
      sayVia: 'auto',
      properties: { color: 'GREEN' },
    });
    expect(bot.machine).toBe(machine);
    expect(Object.isFrozen(bot)).toBe(true);
    expect(Object.isFrozen(bot.properties)).toBe(true);
  });

  it('keeps migrate, fallback and description', () => {
    const migrate = () => undefined;
    const bot = defineBot({
      code: 'b1',
      name: 'B',
      version: '2',
      machine,
      migrate,
      fallback: [{ type: 'toOperator' }],
      description: 'd',
      apiVersion: 1,
      sayVia: 'bot',
    });
    expect(bot.migrate).toBe(migrate);
    expect(bot.fallback).toEqual([{ type: 'toOperator' }]);
    expect(bot).toMatchObject({ apiVersion: 1, sayVia: 'bot', description: 'd' });
  });

  it('reports every problem, one line each', () => {
    const problems = problemsOf(() =>
      defineBot({
        code: '1 bad',
        name: '',
        version: '',
        machine: undefined as never,
        apiVersion: 3 as never,
        sayVia: 'x' as never,
        typo: 1,
      } as never),
    );
    expect(problems).toEqual([
      'unknown option "typo"',
      expect.stringMatching(/^code must be/),
      expect.stringMatching(/^name must be/),
      expect.stringMatching(/^machine is missing/),
      expect.stringMatching(/^version must be/),
      'apiVersion must be 1 or 2',
      'sayVia must be "auto", "session" or "bot"',
    ]);
  });

  it("delivers operators' messages as operator.message unless told otherwise (#8)", () => {
    const base = { code: 'ok_bot', name: 'Ok', version: '1', machine: createMachine({}) };
    expect(defineBot(base).operatorMessages).toBe('event');
    expect(defineBot({ ...base, operatorMessages: 'message' }).operatorMessages).toBe('message');
    expect(problemsOf(() => defineBot({ ...base, operatorMessages: 'client' as never }))).toEqual([
      'operatorMessages must be "event" or "message"',
    ]);
  });

  it('rejects something that is not a machine, bad properties and a bad fallback', () => {
    const problems = problemsOf(() =>
      defineBot({
        code: 'ok_bot',
        name: 'Ok',
        version: '1',
        machine: { config: {} } as never,
        properties: { color: 1, gender: 'X', hat: 'y' } as never,
        fallback: [{ kind: 'say' }] as never,
        migrate: 'no' as never,
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^machine is not an xstate v5 machine/),
      expect.stringMatching(/^migrate must be a function/),
      'fallback[0] is not an effect',
      'properties.color must be a string',
      'properties.gender must be "M" or "F"',
      expect.stringMatching(/^properties\.hat is not a known property/),
    ]);
  });

  it('rejects a missing options object', () => {
    expect(() => defineBot(undefined as never)).toThrow(ConfigError);
  });
});
