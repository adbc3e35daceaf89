import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BotCoverageReporter from '../../src/testing/coverage-reporter';
import {
  COVERAGE_DIR_ENV,
  formatCoverageTable,
  mergeCoverage,
  readCoverageRecords,
  summarizeCoverage,
  writeCoverageRecord,
  type CoverageRecord,
} from '../../src/testing/coverage-data';
import { testBot } from '../../src/testing/test-bot';
import { kitBot } from './fixtures/kit-bots';

const record = (visitedStates: string[], visitedTransitions: string[]): CoverageRecord => ({
  bot: 'demo',
  states: ['a', 'b', 'c'],
  transitions: [
    { key: 'a|message|0', label: 'a → b on message' },
    { key: 'b|message|0', label: 'b → c on message' },
  ],
  visitedStates,
  visitedTransitions,
});

describe('mergeCoverage', () => {
  it('unites what the chats of one bot visited', () => {
    const [merged] = mergeCoverage([
      record(['a'], ['a|message|0']),
      record(['a', 'b'], []),
      { ...record([], []), bot: 'other' },
    ]).filter((r) => r.bot === 'demo');
    expect(summarizeCoverage(merged!)).toEqual({
      bot: 'demo',
      states: { visited: 2, total: 3 },
      transitions: { visited: 1, total: 2 },
      missedStates: ['c'],
      missedTransitions: ['b → c on message'],
    });
  });
});

describe('formatCoverageTable', () => {
  it('prints one row per bot and lists what no test reached', () => {
    const text = formatCoverageTable([summarizeCoverage(record(['a', 'b'], ['a|message|0']))]);
    expect(text).toBe(
      [
        'Bot flow coverage (openlines-bot/testing)',
        'bot   states        transitions',
        'demo  2/3 66%       1/2 50%',
        'demo: not covered',
        '  - state c',
        '  - b → c on message',
      ].join('\n'),
    );
  });
});

describe('BotCoverageReporter', () => {
  const saved = process.env[COVERAGE_DIR_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[COVERAGE_DIR_ENV];
    else process.env[COVERAGE_DIR_ENV] = saved;
  });

  it('collects what closed chats wrote and prints the table at the end of the run', async () => {
    const printed: string[] = [];
    const reporter = new BotCoverageReporter({}, { write: (t) => printed.push(t) });
    const dir = process.env[COVERAGE_DIR_ENV]!;
    expect(dir).toContain(join(tmpdir(), 'openlines-bot-coverage'));
    reporter.onRunStart();
    const chat = testBot(kitBot);
    await chat.join();
    await chat.send('human');
    await chat.close();
    expect(readdirSync(dir)).toHaveLength(1);
    reporter.onRunComplete();
    expect(printed.join('')).toContain('kit_bot  2/6 33%       2/25 8%\n');
    expect(printed.join('')).toContain(
      'kit_bot: not covered\n  - state calling\n  - state chainA\n  - state chainB\n  - state bye\n',
    );
    expect(() => readdirSync(dir)).toThrow();
  });

  it('prints nothing when no chat ran', () => {
    const printed: string[] = [];
    const reporter = new BotCoverageReporter({}, { write: (t) => printed.push(t) });
    reporter.onRunComplete();
    expect(printed).toEqual([]);
  });
});

describe('readCoverageRecords', () => {
  it('skips a half-written file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'olb-cov-'));
    try {
      writeCoverageRecord({ record: record(['a'], []), dir });
      writeFileSync(join(dir, 'broken.json'), '{"bot":');
      expect(readCoverageRecords({ dir }).map((r) => r.visitedStates)).toEqual([['a']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
