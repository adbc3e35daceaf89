import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { freezeCommands } from '../../src/dsl/bot-command';
import { ConfigError } from '../../src/errors';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';

const machine = setup({
  types: { events: {} as BotEvent, input: {} as DialogInput },
}).createMachine({ initial: 'a', states: { a: {} } });

const base = { code: 'support', name: 'Support', version: '1', machine };

function problemsOf(commands: unknown): string[] {
  try {
    defineBot({ ...base, commands: commands as never });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('defineBot', () => {
  it('keeps commands as frozen objects, strings turned into { command }', () => {
    const bot = defineBot({
      ...base,
      commands: ['order', { command: 'operator', title: 'Talk to a human', hidden: false }],
    });
    expect(bot.commands).toEqual([
      { command: 'order' },
      { command: 'operator', title: 'Talk to a human', hidden: false },
    ]);
    expect(Object.isFrozen(bot.commands)).toBe(true);
    expect(bot.commands?.every((c) => Object.isFrozen(c))).toBe(true);
  });

  it('leaves commands out of a definition declared without them', () => {
    expect('commands' in defineBot(base)).toBe(false);
  });

  it('reports one line per bad command', () => {
    expect(
      problemsOf([
        '/order',
        'talk to human',
        { command: 'order-status' },
        { title: 'No name' },
        { command: 'ok', title: '', hidden: 'yes', color: 'red' },
        42,
        'order_2',
        'ORDER_2',
        'x'.repeat(65),
      ]),
    ).toEqual([
      'commands[0] "/order" must be 1-64 latin letters, digits or "_" (no slash, no spaces)',
      'commands[1] "talk to human" must be 1-64 latin letters, digits or "_" (no slash, no spaces)',
      'commands[2] "order-status" must be 1-64 latin letters, digits or "_" (no slash, no spaces)',
      'commands[3].command is missing',
      'commands[4].color is not known (command, title, hidden)',
      'commands[4].title must be a non-empty string of at most 100 characters',
      'commands[4].hidden must be true or false',
      'commands[5] must be a command name or { command, title?, hidden? }',
      'commands[7] "ORDER_2" is listed twice',
      `commands[8] "${'x'.repeat(65)}" must be 1-64 latin letters, digits or "_" (no slash, no spaces)`,
    ]);
  });

  it('rejects a commands option that is not an array', () => {
    expect(problemsOf('order')).toEqual([
      'commands must be an array of command names or { command, title?, hidden? }',
    ]);
  });
});

describe('freezeCommands', () => {
  it('copies the entries, so later changes to the input do not reach the definition', () => {
    const input = [{ command: 'order', title: 'Order' }];
    const frozen = freezeCommands(input);
    input[0]!.title = 'Changed';
    expect(frozen).toEqual([{ command: 'order', title: 'Order' }]);
  });
});
