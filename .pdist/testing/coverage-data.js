"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COVERAGE_DIR_ENV = void 0;
exports.writeCoverageRecord = writeCoverageRecord;
exports.readCoverageRecords = readCoverageRecords;
exports.mergeCoverage = mergeCoverage;
exports.summarizeCoverage = summarizeCoverage;
exports.formatCoverageTable = formatCoverageTable;
/**
 * Flow coverage data: which states and transitions of each bot the test chats visited. Test
 * workers write one small JSON file per chat into the directory named by
 * {@link COVERAGE_DIR_ENV}; the coverage reporter merges them at the end of the run. Only node
 * built-ins here, so the reporter loads fast.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const node_crypto_1 = require("node:crypto");
/** The environment variable that tells test workers where to write coverage files. */
exports.COVERAGE_DIR_ENV = 'OPENLINES_BOT_COVERAGE_DIR';
/**
 * Writes one record into the coverage directory, if a run collects coverage (the directory
 * variable is set); otherwise does nothing.
 *
 * @example
 * writeCoverageRecord({ record: tracker.record() });
 */
function writeCoverageRecord(options) {
    const dir = options.dir ?? process.env[exports.COVERAGE_DIR_ENV];
    if (!dir)
        return;
    try {
        (0, node_fs_1.mkdirSync)(dir, { recursive: true });
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, `${process.pid}-${(0, node_crypto_1.randomUUID)()}.json`), JSON.stringify(options.record));
    }
    catch {
        // Coverage is a report, not a test: a full disk must not fail the suite.
    }
}
/**
 * Reads every record of a coverage directory and merges them per bot.
 *
 * @example
 * const merged = readCoverageRecords({ dir }); // [{ bot: 'support', states: [...], visitedStates: [...] }]
 */
function readCoverageRecords(options) {
    let files;
    try {
        files = (0, node_fs_1.readdirSync)(options.dir).filter((f) => f.endsWith('.json'));
    }
    catch {
        return [];
    }
    const records = [];
    for (const f of files.sort()) {
        try {
            records.push(JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(options.dir, f), 'utf8')));
        }
        catch {
            // A half-written file from a killed worker: skip it.
        }
    }
    return mergeCoverage(records);
}
/**
 * Merges records of the same bot: the union of the machines' states and transitions, and of what
 * was visited.
 *
 * @example
 * mergeCoverage([a, b]).map((r) => r.bot); // ['faq', 'support']
 */
function mergeCoverage(records) {
    const byBot = new Map();
    for (const r of records) {
        let m = byBot.get(r.bot);
        if (!m)
            byBot.set(r.bot, (m = { states: new Set(), transitions: new Map(), vs: new Set(), vt: new Set() }));
        for (const s of r.states)
            m.states.add(s);
        for (const t of r.transitions)
            m.transitions.set(t.key, t.label);
        for (const s of r.visitedStates)
            m.vs.add(s);
        for (const t of r.visitedTransitions)
            m.vt.add(t);
    }
    return [...byBot.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([bot, m]) => ({
        bot,
        states: [...m.states],
        transitions: [...m.transitions].map(([key, label]) => ({ key, label })),
        visitedStates: [...m.vs].filter((s) => m.states.has(s)),
        visitedTransitions: [...m.vt].filter((t) => m.transitions.has(t)),
    }));
}
/**
 * Totals and misses of a merged record.
 *
 * @example
 * summarizeCoverage(record).states; // { visited: 9, total: 10 }
 */
function summarizeCoverage(record) {
    const vs = new Set(record.visitedStates);
    const vt = new Set(record.visitedTransitions);
    return {
        bot: record.bot,
        states: { visited: vs.size, total: record.states.length },
        transitions: { visited: vt.size, total: record.transitions.length },
        missedStates: record.states.filter((s) => !vs.has(s)),
        missedTransitions: record.transitions.filter((t) => !vt.has(t.key)).map((t) => t.label),
    };
}
/**
 * The coverage table printed at the end of a run.
 *
 * @example
 * console.log(formatCoverageTable(readCoverageRecords({ dir }).map(summarizeCoverage)));
 */
function formatCoverageTable(summaries, options = {}) {
    const maxMissed = options.maxMissed ?? 12;
    const pct = (v, t) => (t === 0 ? '100%' : `${Math.floor((v / t) * 100)}%`);
    const cell = (c) => `${c.visited}/${c.total} ${pct(c.visited, c.total)}`.padEnd(14);
    const width = Math.max(3, ...summaries.map((s) => s.bot.length));
    const lines = [
        'Bot flow coverage (openlines-bot/testing)',
        `${'bot'.padEnd(width)}  ${'states'.padEnd(14)}transitions`,
    ];
    for (const s of summaries)
        lines.push(`${s.bot.padEnd(width)}  ${cell(s.states)}${cell(s.transitions).trimEnd()}`);
    for (const s of summaries) {
        const missed = [...s.missedStates.map((m) => `state ${m}`), ...s.missedTransitions];
        if (missed.length === 0)
            continue;
        lines.push(`${s.bot}: not covered`);
        for (const m of missed.slice(0, maxMissed))
            lines.push(`  - ${m}`);
        if (missed.length > maxMissed)
            lines.push(`  … and ${missed.length - maxMissed} more`);
    }
    return lines.join('\n');
}
