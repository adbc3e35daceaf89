/**
 * `transcriptTests`: turns transcript files into jest tests, one `it` per `## scenario`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { BotDefinition } from '../dsl/define-bot';
import { parseTranscript, type Transcript } from './parse-transcript';
import { runTranscriptScenario } from './run-transcript-scenario';
import { testBot, type TestBotOptions } from './test-bot';

/** Options of {@link transcriptTests}. */
export interface TranscriptTestsOptions {
  /** Options of every scenario's `testBot` chat. */
  testBot?: TestBotOptions;
}

type JestGlobals = {
  describe?: (name: string, fn: () => void) => void;
  it?: (name: string, fn: () => Promise<void>) => void;
};

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/**
 * The files a path or pattern names: a file, a folder (its `.txt` files), or a pattern with `*`
 * or `?` in the file name (`transcripts/*.txt`). Relative paths start at the working directory.
 *
 * @example
 * transcriptFiles({ pattern: join(__dirname, 'transcripts/*.txt') });
 */
export function transcriptFiles(options: { pattern: string }): string[] {
  const full = resolve(options.pattern);
  const name = basename(full);
  if (/[*?]/.test(dirname(full)))
    throw new Error(
      `transcriptTests: wildcards work in the file name only, not in "${options.pattern}"`,
    );
  if (/[*?]/.test(name)) {
    const dir = dirname(full);
    const re = wildcard(name);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)) : [];
    return files.sort().map((f) => join(dir, f));
  }
  if (existsSync(full) && statSync(full).isDirectory()) {
    return readdirSync(full)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((f) => join(full, f));
  }
  return [full];
}

/**
 * Declares one jest test per scenario of each transcript file (a `describe` per file). Call it at
 * the top level of a test file. Each scenario runs in its own `testBot` chat, closed afterwards.
 * A syntax error fails the test file with every bad line listed.
 *
 * @example
 * // bots/support/transcripts.test.ts
 * import { join } from 'node:path';
 * import { transcriptTests } from 'openlines-bot/testing';
 * import { createSupportBot } from './bot';
 *
 * transcriptTests(createSupportBot(), join(__dirname, 'transcripts/*.txt'));
 * transcriptTests(() => createSupportBot({ fallbackLineId: 5 }), join(__dirname, 'transcripts/fallback-line.txt'));
 */
export function transcriptTests(
  bot: BotDefinition | (() => BotDefinition),
  files: string | readonly string[],
  options: TranscriptTestsOptions = {},
): Transcript[] {
  const g = globalThis as JestGlobals;
  const { describe, it } = g;
  if (typeof describe !== 'function' || typeof it !== 'function') {
    throw new Error('transcriptTests must be called at the top level of a jest test file');
  }
  const paths = (typeof files === 'string' ? [files] : files).flatMap((pattern) =>
    transcriptFiles({ pattern }),
  );
  if (paths.length === 0)
    throw new Error(`transcriptTests: no transcript files match ${JSON.stringify(files)}`);
  const transcripts = paths.map((path) =>
    parseTranscript({ text: readFileSync(path, 'utf8'), file: relative(process.cwd(), path) }),
  );
  const make = typeof bot === 'function' ? bot : () => bot;
  for (const transcript of transcripts) {
    describe(transcript.file, () => {
      for (const scenario of transcript.scenarios) {
        it(scenario.name, async () => {
          const chat = testBot(make(), options.testBot);
          try {
            await runTranscriptScenario({ chat, scenario, file: transcript.file });
          } finally {
            await chat.close();
          }
        });
      }
    });
  }
  return transcripts;
}
