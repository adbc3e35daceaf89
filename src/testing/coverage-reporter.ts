/**
 * A jest reporter that prints, at the end of the run, how much of each bot's flow the `testBot`
 * chats covered: states and transitions visited, and the ones no test reached.
 *
 * ```ts
 * // jest.config.ts
 * reporters: ['default', 'openlines-bot/testing/coverage-reporter'],
 * ```
 *
 * It names a fresh directory under `os.tmpdir()/openlines-bot-coverage/` in
 * `OPENLINES_BOT_COVERAGE_DIR` before the test workers start; each chat writes its coverage
 * there when it closes; the reporter merges the files per bot, prints the table and removes them.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  COVERAGE_DIR_ENV,
  formatCoverageTable,
  readCoverageRecords,
  summarizeCoverage,
} from './coverage-data';

/** Options of the reporter (`['.../coverage-reporter', { maxMissed: 20 }]`). */
export interface BotCoverageReporterOptions {
  /** Uncovered states/transitions listed per bot. Default 12. */
  maxMissed?: number;
  /** Where the table goes. Default: standard error, like jest's own summary. */
  write?: (text: string) => void;
}

/**
 * Prints the flow coverage table of the bots the test run talked to.
 *
 * @example
 * // jest.config.ts
 * export default { reporters: ['default', ['openlines-bot/testing/coverage-reporter', { maxMissed: 20 }]] };
 */
export default class BotCoverageReporter {
  private readonly dir: string;
  private readonly options: BotCoverageReporterOptions;

  constructor(_globalConfig?: unknown, options: BotCoverageReporterOptions = {}) {
    this.options = options ?? {};
    this.dir = join(
      tmpdir(),
      'openlines-bot-coverage',
      `${process.pid}-${randomUUID().slice(0, 8)}`,
    );
    mkdirSync(this.dir, { recursive: true });
    // Test workers are forked after the reporters exist, so they inherit this.
    process.env[COVERAGE_DIR_ENV] = this.dir;
  }

  /** A new run (watch mode): forget the previous run's files. */
  onRunStart(): void {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  onRunComplete(): void {
    const summaries = readCoverageRecords({ dir: this.dir }).map(summarizeCoverage);
    rmSync(this.dir, { recursive: true, force: true });
    if (summaries.length === 0) return;
    const text = `\n${formatCoverageTable(summaries, this.options.maxMissed !== undefined ? { maxMissed: this.options.maxMissed } : {})}\n`;
    (this.options.write ?? ((t: string) => process.stderr.write(t)))(text);
  }

  getLastError(): undefined {
    return undefined;
  }
}
