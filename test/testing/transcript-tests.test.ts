import { join } from 'node:path';
import { parseTranscript } from '../../src/testing/parse-transcript';
import {
  runTranscriptScenario,
  TranscriptMismatch,
} from '../../src/testing/run-transcript-scenario';
import { testBot } from '../../src/testing/test-bot';
import { transcriptFiles, transcriptTests } from '../../src/testing/transcript-tests';
import { kitBot } from './fixtures/kit-bots';

const generated = transcriptTests(kitBot, join(__dirname, 'fixtures/*.txt'), {
  testBot: { coverage: false },
});

/** Runs a one-scenario transcript and returns the mismatch it fails with. */
async function mismatch(text: string): Promise<TranscriptMismatch> {
  const [scenario] = parseTranscript({ text: `## s\n${text}`, file: 'case.txt' }).scenarios;
  const chat = testBot(kitBot, { coverage: false });
  try {
    await runTranscriptScenario({ chat, scenario: scenario!, file: 'case.txt' });
  } catch (e) {
    if (e instanceof TranscriptMismatch) return e;
    throw e;
  } finally {
    await chat.close();
  }
  throw new Error('the scenario passed');
}

describe('transcriptTests', () => {
  it('declares one test per scenario of each matching file', () => {
    expect(generated.map((t) => [t.file, t.scenarios.length])).toEqual([
      [join('test/testing/fixtures/kit.txt'), 3],
    ]);
  });
});

describe('transcriptFiles', () => {
  it('expands a wildcard in the file name, a folder, or a plain path', () => {
    const dir = join(__dirname, 'fixtures');
    expect(transcriptFiles({ pattern: join(dir, 'k?t.*') })).toEqual([join(dir, 'kit.txt')]);
    expect(transcriptFiles({ pattern: dir })).toEqual([join(dir, 'kit.txt')]);
    expect(transcriptFiles({ pattern: join(dir, 'none-*.txt') })).toEqual([]);
    expect(() => transcriptFiles({ pattern: join(dir, '*', 'x.txt') })).toThrow(
      /wildcards work in the file name only/,
    );
  });
});

describe('runTranscriptScenario', () => {
  it('fails on a different reply, with the line, both texts and the transcript', async () => {
    const e = await mismatch('join\nbot: Hello Ivan');
    expect(e.line).toBe(3);
    expect(e.message).toBe(
      [
        'case.txt:3: expected the bot to say "Hello Ivan"',
        '  but it said "Hi Ivan"',
        '',
        'Transcript:',
        '  [join: Ivan Petrov]',
        "  [greet: the line's welcome message]",
        '  bot: Hi Ivan',
        '       [Yes] [No]',
        '',
        'State: idle',
      ].join('\n'),
    );
  });

  it('fails on a reply nobody wrote down, at the action that caused it', async () => {
    const e = await mismatch('join\nbot: Hi Ivan\nclient: hey\nclient: again\nbot: echo: again');
    expect(e.message).toMatch(
      /^case\.txt:4: the bot also said:\n {2}"echo: hey"\n {2}\(add a "bot:" line for each reply, or "bot: \.\.\." to leave the rest unchecked\)/,
    );
  });

  it('fails when a reply is missing or an expectation does not hold', async () => {
    expect((await mismatch('join\nbot: Hi Ivan\nbot: more')).message).toMatch(
      /^case\.txt:4: expected the bot to say "more", but it said nothing more after line 2/,
    );
    expect((await mismatch('join\nbot: ...\nexpect: operator')).message).toMatch(
      /^case\.txt:4: expected the bot to hand the dialog to an operator\n/,
    );
    expect((await mismatch('join\nbot: ...\nexpect: state handoff')).message).toMatch(
      /^case\.txt:4: expected the bot to be in state handoff/,
    );
    expect((await mismatch('join\nbot: ...\nexpect: no greet')).message).toMatch(
      /^case\.txt:4: expected the bot not to send the line's welcome message/,
    );
    expect((await mismatch('join\nbot: Hi Ivan\nbuttons: [Yes]')).message).toMatch(
      /^case\.txt:4: expected the buttons \[Yes\]\n {2}but the reply had \[Yes\] \[No\]/,
    );
  });

  it('names the portal refusal when an expected hand-off was refused', async () => {
    const e = await mismatch(
      'join\nbot: ...\nfail: imopenlines.bot.session.operator WRONG_CHAT\nclient: human\nbot: ...\nexpect: operator',
    );
    expect(e.message).toContain(
      '(refused by the portal: imopenlines.bot.session.operator → WRONG_CHAT)',
    );
  });

  it('reports a failed action at its line', async () => {
    const e = await mismatch('join\nbot: ...\npress: Maybe');
    expect(e.message).toMatch(
      /^case\.txt:4: testBot: no button "Maybe" was shown; buttons shown: \[Yes\] \(yes\) \[No\] \(no\)\n\nTranscript:/,
    );
  });
});
