"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
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
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_crypto_1 = require("node:crypto");
const coverage_data_1 = require("./coverage-data");
/**
 * Prints the flow coverage table of the bots the test run talked to.
 *
 * @example
 * // jest.config.ts
 * export default { reporters: ['default', ['openlines-bot/testing/coverage-reporter', { maxMissed: 20 }]] };
 */
class BotCoverageReporter {
    dir;
    options;
    constructor(_globalConfig, options = {}) {
        this.options = options ?? {};
        this.dir = (0, node_path_1.join)((0, node_os_1.tmpdir)(), 'openlines-bot-coverage', `${process.pid}-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`);
        (0, node_fs_1.mkdirSync)(this.dir, { recursive: true });
        // Test workers are forked after the reporters exist, so they inherit this.
        process.env[coverage_data_1.COVERAGE_DIR_ENV] = this.dir;
    }
    /** A new run (watch mode): forget the previous run's files. */
    onRunStart() {
        (0, node_fs_1.rmSync)(this.dir, { recursive: true, force: true });
        (0, node_fs_1.mkdirSync)(this.dir, { recursive: true });
    }
    onRunComplete() {
        const summaries = (0, coverage_data_1.readCoverageRecords)({ dir: this.dir }).map(coverage_data_1.summarizeCoverage);
        (0, node_fs_1.rmSync)(this.dir, { recursive: true, force: true });
        if (summaries.length === 0)
            return;
        const text = `\n${(0, coverage_data_1.formatCoverageTable)(summaries, this.options.maxMissed !== undefined ? { maxMissed: this.options.maxMissed } : {})}\n`;
        (this.options.write ?? ((t) => process.stderr.write(t)))(text);
    }
    getLastError() {
        return undefined;
    }
}
exports.default = BotCoverageReporter;
