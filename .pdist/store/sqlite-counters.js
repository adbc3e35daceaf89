"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sqliteCountsBySource = sqliteCountsBySource;
exports.sqliteCounts = sqliteCounts;
exports.executedStatements = executedStatements;
exports.countingWanted = countingWanted;
exports.countStatementsOf = countStatementsOf;
exports.countGroup = countGroup;
const counts = { statements: 0, transactions: 0, savepoints: 0 };
/** One counter per statement text, found when a statement is prepared (cheap to bump when it runs). */
const bySource = new Map();
/**
 * Executions per statement text (whitespace folded), most executed first.
 *
 * @example
 * const top = sqliteCountsBySource().slice(0, 5);
 */
function sqliteCountsBySource() {
    return [...bySource.entries()]
        .filter(([, c]) => c.count > 0)
        .map(([sql, c]) => ({ sql, count: c.count }))
        .sort((a, b) => b.count - a.count);
}
/**
 * A copy of the process-wide counters.
 *
 * @example
 * const before = sqliteCounts();
 * // ... work ...
 * const statementsPerEvent = (sqliteCounts().statements - before.statements) / events;
 */
function sqliteCounts() {
    return { ...counts };
}
/**
 * Statements as SQLite executes them: prepared statements plus the BEGIN/COMMIT of each
 * transaction and the SAVEPOINT/RELEASE of each savepoint.
 *
 * @example
 * const n = executedStatements(sqliteCounts());
 */
function executedStatements(c) {
    return c.statements + 2 * c.transactions + 2 * c.savepoints;
}
/** Whether a store opened with `option` counts (the option wins over the environment). */
function countingWanted(option) {
    return option ?? process.env.OPENLINES_SQLITE_COUNT_STATEMENTS === '1';
}
const EXECUTING = ['run', 'get', 'all', 'iterate'];
/**
 * Makes every statement prepared on `db` from now on count its executions.
 *
 * @example
 * if (countingWanted(options.countStatements)) countStatementsOf(db);
 */
function countStatementsOf(db) {
    const prepare = db.prepare.bind(db);
    db.prepare = ((source) => {
        const statement = prepare(source);
        const text = source.replace(/\s+/g, ' ').trim();
        let mine = bySource.get(text);
        if (!mine)
            bySource.set(text, (mine = { count: 0 }));
        const counter = mine;
        for (const name of EXECUTING) {
            const original = statement[name];
            statement[name] = function (...args) {
                counts.statements += 1;
                counter.count += 1;
                return original.apply(this, args);
            };
        }
        return statement;
    });
}
/**
 * Counts one group transaction of the write queue and the savepoints it took.
 *
 * @example
 * countGroup(3, 0);
 */
function countGroup(_jobs, savepoints) {
    counts.transactions += 1;
    counts.savepoints += savepoints;
}
