import { isCommand, textMatches } from '../../src/dsl/guards';
import type { BotEvent } from '../../src/dsl/machine-events';

const message = (text: string): BotEvent => ({ type: 'message', text, messageId: 1, files: [] });
const command = (name: string): BotEvent => ({
  type: 'command',
  command: name,
  params: '',
  source: 'keyboard',
});

describe('textMatches', () => {
  it('is true for a message whose text matches', () => {
    expect(textMatches(/human/i)({ event: message('A HUMAN please') })).toBe(true);
    expect(textMatches(/human/i)({ event: message('a bot is fine') })).toBe(false);
  });

  it('is false for other events', () => {
    expect(textMatches(/.*/)({ event: command('human') })).toBe(false);
    expect(textMatches(/.*/)({ event: { type: 'join' } })).toBe(false);
  });

  it('gives the same answer every time with a global RegExp', () => {
    const g = textMatches(/a/g);
    expect([
      g({ event: message('a') }),
      g({ event: message('a') }),
      g({ event: message('a') }),
    ]).toEqual([true, true, true]);
  });

  it('rejects a non-RegExp', () => {
    expect(() => textMatches('a' as never)).toThrow(TypeError);
  });
});

describe('isCommand', () => {
  it('is true only for a command event with that name', () => {
    expect(isCommand('operator')({ event: command('operator') })).toBe(true);
    expect(isCommand('/operator')({ event: command('operator') })).toBe(true);
    expect(isCommand('operator')({ event: command('order') })).toBe(false);
    expect(isCommand('operator')({ event: message('operator') })).toBe(false);
  });
});
