import {
  parseDuration,
  parseTranscript,
  TranscriptSyntaxError,
} from '../../src/testing/parse-transcript';
import { isOpenlinesError } from '../../src/errors';

const syntaxError = (text: string): TranscriptSyntaxError => {
  try {
    parseTranscript({ text, file: 'bad.txt' });
  } catch (e) {
    if (e instanceof TranscriptSyntaxError) return e;
    throw e;
  }
  throw new Error('parsed without an error');
};

describe('parseTranscript', () => {
  it('reads scenarios, actions and expectations with their line numbers', () => {
    const text = [
      '# support bot',
      '## asks for the order',
      'join',
      'bot: /Hello, Ivan/i',
      'buttons: [Order status] [Talk to a human]',
      'press: Order status',
      'bot: Please send me your order number.',
      '',
      '## closes after silence',
      'join: Anna Smith',
      'bot: ...',
      'fail: imopenlines.bot.session.operator WRONG_CHAT',
      'client: two',
      '  lines',
      'command: /order 12',
      'wait: 10m',
      'expect: finished',
      'expect: no operator',
      'expect: transfer line 5',
      'expect: state order.waiting',
      'join: anonymous',
    ].join('\n');
    const { scenarios } = parseTranscript({ text, file: 's.txt' });
    expect(scenarios.map((s) => [s.name, s.line])).toEqual([
      ['asks for the order', 2],
      ['closes after silence', 9],
    ]);
    expect(scenarios[0]?.steps).toEqual([
      { line: 3, kind: 'join' },
      { line: 4, kind: 'bot', pattern: /Hello, Ivan/i },
      { line: 5, kind: 'buttons', buttons: ['Order status', 'Talk to a human'] },
      { line: 6, kind: 'press', button: 'Order status' },
      { line: 7, kind: 'bot', text: 'Please send me your order number.' },
    ]);
    expect(scenarios[1]?.steps).toEqual([
      { line: 10, kind: 'join', client: { firstName: 'Anna', lastName: 'Smith' } },
      { line: 11, kind: 'bot', rest: true },
      { line: 12, kind: 'fail', method: 'imopenlines.bot.session.operator', code: 'WRONG_CHAT' },
      { line: 13, kind: 'client', text: 'two\nlines' },
      { line: 15, kind: 'command', command: 'order', params: '12' },
      { line: 16, kind: 'wait', ms: 600_000 },
      { line: 17, kind: 'expect', expect: { kind: 'finished' }, negated: false },
      { line: 18, kind: 'expect', expect: { kind: 'operator' }, negated: true },
      { line: 19, kind: 'expect', expect: { kind: 'transfer', to: { lineId: 5 } }, negated: false },
      {
        line: 20,
        kind: 'expect',
        expect: { kind: 'state', value: 'order.waiting' },
        negated: false,
      },
      { line: 21, kind: 'join', client: null },
    ]);
  });

  it('lists every bad line with its file and line number in one typed error', () => {
    const e = syntaxError(
      [
        'join',
        '## first',
        'bot: too early',
        'clinet: hi',
        'wait: soon',
        'expect: magic',
        'buttons: Yes, No',
        '## first',
        'join',
      ].join('\n'),
    );
    expect(isOpenlinesError(e)).toBe(true);
    expect(e.code).toBe('CONFIG');
    expect(e.problems).toEqual([
      'bad.txt:1: this line is outside a scenario: start one with "## <name>"',
      'bad.txt:3: "bot:" must follow an action (join, client:, press:, command:, wait:)',
      expect.stringMatching(/^bad\.txt:4: unknown line "clinet: hi"/),
      'bad.txt:5: "wait: soon" is not a duration (e.g. 10m, 90s, 1h 30m, 500ms)',
      expect.stringMatching(/^bad\.txt:6: unknown expectation "magic"/),
      'bad.txt:7: buttons must be written as [First] [Second], got "Yes, No"',
      'bad.txt:8: scenario "first" appears twice',
    ]);
    expect(e.message).toMatch(/^Invalid transcript bad\.txt:\n {2}- bad\.txt:1:/);
  });

  it('refuses a file without scenarios, an empty scenario and a bad regex', () => {
    expect(syntaxError('# nothing here').problems).toEqual([
      'bad.txt: no scenarios (start one with "## <name>")',
    ]);
    expect(syntaxError('## empty\n## other\njoin').problems).toEqual([
      'bad.txt:1: scenario "empty" has no steps',
    ]);
    expect(syntaxError('## re\njoin\nbot: /(/').problems[0]).toMatch(
      /^bad\.txt:3: invalid regular expression \/\(\//,
    );
  });

  it('wants buttons right after the reply they belong to', () => {
    expect(syntaxError('## b\njoin\nbuttons: [Yes]').problems).toEqual([
      'bad.txt:3: "buttons:" must follow a "bot:" line (the reply they belong to)',
    ]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['90s', 90_000],
    ['1h 30m', 5_400_000],
    ['500ms', 500],
    ['10 minutes', 600_000],
    ['2 hours, 5 min', 7_500_000],
    ['1.5s', 1500],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '10', '10 parsecs', 'm10'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
