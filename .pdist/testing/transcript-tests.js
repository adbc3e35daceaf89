"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.transcriptFiles = transcriptFiles;
exports.transcriptTests = transcriptTests;
/**
 * `transcriptTests`: turns transcript files into jest tests, one `it` per `## scenario`.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const parse_transcript_1 = require("./parse-transcript");
const run_transcript_scenario_1 = require("./run-transcript-scenario");
const test_bot_1 = require("./test-bot");
function wildcard(pattern) {
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
function transcriptFiles(options) {
    const full = (0, node_path_1.resolve)(options.pattern);
    const name = (0, node_path_1.basename)(full);
    if (/[*?]/.test((0, node_path_1.dirname)(full)))
        throw new Error(`transcriptTests: wildcards work in the file name only, not in "${options.pattern}"`);
    if (/[*?]/.test(name)) {
        const dir = (0, node_path_1.dirname)(full);
        const re = wildcard(name);
        const files = (0, node_fs_1.existsSync)(dir) ? (0, node_fs_1.readdirSync)(dir).filter((f) => re.test(f)) : [];
        return files.sort().map((f) => (0, node_path_1.join)(dir, f));
    }
    if ((0, node_fs_1.existsSync)(full) && (0, node_fs_1.statSync)(full).isDirectory()) {
        return (0, node_fs_1.readdirSync)(full)
            .filter((f) => f.endsWith('.txt'))
            .sort()
            .map((f) => (0, node_path_1.join)(full, f));
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
function transcriptTests(bot, files, options = {}) {
    const g = globalThis;
    const { describe, it } = g;
    if (typeof describe !== 'function' || typeof it !== 'function') {
        throw new Error('transcriptTests must be called at the top level of a jest test file');
    }
    const paths = (typeof files === 'string' ? [files] : files).flatMap((pattern) => transcriptFiles({ pattern }));
    if (paths.length === 0)
        throw new Error(`transcriptTests: no transcript files match ${JSON.stringify(files)}`);
    const transcripts = paths.map((path) => (0, parse_transcript_1.parseTranscript)({ text: (0, node_fs_1.readFileSync)(path, 'utf8'), file: (0, node_path_1.relative)(process.cwd(), path) }));
    const make = typeof bot === 'function' ? bot : () => bot;
    for (const transcript of transcripts) {
        describe(transcript.file, () => {
            for (const scenario of transcript.scenarios) {
                it(scenario.name, async () => {
                    const chat = (0, test_bot_1.testBot)(make(), options.testBot);
                    try {
                        await (0, run_transcript_scenario_1.runTranscriptScenario)({ chat, scenario, file: transcript.file });
                    }
                    finally {
                        await chat.close();
                    }
                });
            }
        });
    }
    return transcripts;
}
