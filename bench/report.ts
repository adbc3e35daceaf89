/**
 * The benchmark's printed tables, its acceptance figures (ratios against the baselines measured
 * in the same run) and its JSON file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfileSummary } from './profile-summary';
import type { IdleCost, MetricsCost } from './metrics-cost';
import type { PhaseFigures } from './run-phases';
import type { ScrapeFigures } from './scrape';
import { fixed, spread } from './stats';
import { TARGET_LABELS, type TargetName } from './targets';

/** One target's saturation figures: medians over the rounds. */
export interface SaturationSummary {
  target: TargetName;
  label: string;
  rounds: number;
  ackedPerSecond: number;
  processedPerSecond: number;
  cpuUsPerEvent: number;
  ackP50: number;
  ackP99: number;
  firstCallP50?: number;
  firstCallP99?: number;
  sqliteStatementsPerEvent?: number;
  sqliteTransactionsPerEvent?: number;
}

/** The acceptance figures of issue-style criteria, each from this run alone. */
export interface Criteria {
  /** SQLite server's processed events/s ÷ express's, median of the per-round ratios. */
  processedVsExpress?: number;
  /** SQLite server's CPU per event ÷ express's, median of the per-round ratios. */
  cpuVsExpress?: number;
  /** SQLite server's CPU per event at 100 events/s ÷ at saturation. */
  cpuAt100VsSaturation?: number;
  /**
   * The same ratio for the baselines (bare express, raw node:http), measured in the same run: what
   * a paced 100 events/s costs on this machine without any of our work (wake-ups, cold caches).
   */
  baselineAt100VsSaturation?: Partial<Record<'express' | 'raw', number>>;
  /** p99 (ms) of event → first REST call of each 50%-of-saturation run of the SQLite server. */
  p99AtHalfSaturation: number[];
  /** SQLite statements per event at saturation and at 100 events/s. */
  statementsAtSaturation?: number;
  statementsAt100?: number;
}

/** Everything a run writes. */
export interface BenchReport {
  startedAt: string;
  durationMs: number;
  machine: {
    node: string;
    cpus: number;
    pinned: boolean;
    loadavgBefore: number[];
    loadavgAfter: number[];
  };
  settings: Record<string, unknown>;
  saturation: SaturationSummary[];
  phases: PhaseFigures[];
  criteria: Criteria;
  skipped: string[];
  /** The SQLite server's most executed statements over the whole run, per event (transactions not included). */
  sqliteStatements: Array<{ sql: string; perEvent: number }>;
  /** prom-client recording cost per event and per scrape (µs of CPU, measured in the bench process). */
  metricsCost: MetricsCost;
  /** `/metrics` timing with many dialogs stored. */
  scrape?: ScrapeFigures;
  notRun: Record<string, string>;
  portal: {
    requests: number;
    calls: number;
    rejected503: number;
    errors: Record<string, number>;
    byMethod: Record<string, number>;
  };
  server: { logBytes: number; metrics: Record<string, number> };
  profile?: { file: string; summary: ProfileSummary };
}

const median = (xs: number[]): number => spread({ values: xs }).p50;

/**
 * Folds the saturation rounds into one line per target (medians of the rounds).
 *
 * @example
 * const lines = summariseSaturation({ phases: totals.saturation });
 */
export function summariseSaturation(options: { phases: PhaseFigures[] }): SaturationSummary[] {
  const names = [...new Set(options.phases.map((p) => p.target))];
  return names.map((target) => {
    const ps = options.phases.filter((p) => p.target === target);
    const of = (f: (p: PhaseFigures) => number | undefined): number[] =>
      ps.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
    const s: SaturationSummary = {
      target,
      label: TARGET_LABELS[target],
      rounds: ps.length,
      ackedPerSecond: median(of((p) => p.ackedPerSecond)),
      processedPerSecond: median(of((p) => p.processedPerSecond)),
      cpuUsPerEvent: median(of((p) => p.cpuUsPerEvent)),
      ackP50: median(of((p) => p.ack.p50)),
      ackP99: median(of((p) => p.ack.p99)),
    };
    const fc50 = of((p) => p.firstCall?.p50);
    if (fc50.length > 0) {
      s.firstCallP50 = median(fc50);
      s.firstCallP99 = median(of((p) => p.firstCall?.p99));
    }
    const st = of((p) => p.sqlite?.statementsPerEvent);
    if (st.length > 0) {
      s.sqliteStatementsPerEvent = median(st);
      s.sqliteTransactionsPerEvent = median(of((p) => p.sqlite?.transactionsPerEvent));
    }
    return s;
  });
}

/**
 * The acceptance figures: per-round ratios against express (both measured in the same round).
 *
 * @example
 * const criteria = criteriaOf({ saturation: totals.saturation, paced: totals.paced });
 */
export function criteriaOf(options: {
  saturation: PhaseFigures[];
  paced: PhaseFigures[];
}): Criteria {
  const rounds = [...new Set(options.saturation.map((p) => p.load))];
  const processed: number[] = [];
  const cpu: number[] = [];
  for (const round of rounds) {
    const sq = options.saturation.find((p) => p.load === round && p.target === 'sqlite');
    const ex = options.saturation.find((p) => p.load === round && p.target === 'express');
    if (!sq || !ex) continue;
    processed.push(sq.processedPerSecond / ex.processedPerSecond);
    cpu.push(sq.cpuUsPerEvent / ex.cpuUsPerEvent);
  }
  const sqSat = options.saturation.filter((p) => p.target === 'sqlite');
  const at100 = options.paced.filter((p) => p.target === 'sqlite' && p.load === '100/s');
  const half = options.paced.filter((p) => p.target === 'sqlite' && p.load === '50% of saturation');
  const c: Criteria = { p99AtHalfSaturation: half.map((p) => p.firstCall?.p99 ?? Number.NaN) };
  if (processed.length > 0) c.processedVsExpress = median(processed);
  if (cpu.length > 0) c.cpuVsExpress = median(cpu);
  if (sqSat.length > 0 && at100.length > 0)
    c.cpuAt100VsSaturation =
      median(at100.map((p) => p.cpuUsPerEvent)) / median(sqSat.map((p) => p.cpuUsPerEvent));
  for (const name of ['express', 'raw'] as const) {
    const sat = options.saturation.filter((p) => p.target === name);
    const low = options.paced.filter((p) => p.target === name && p.load === '100/s');
    if (sat.length === 0 || low.length === 0) continue;
    (c.baselineAt100VsSaturation ??= {})[name] =
      median(low.map((p) => p.cpuUsPerEvent)) / median(sat.map((p) => p.cpuUsPerEvent));
  }
  const stSat = sqSat
    .map((p) => p.sqlite?.statementsPerEvent)
    .filter((x): x is number => x !== undefined);
  if (stSat.length > 0) c.statementsAtSaturation = median(stSat);
  const st100 = at100
    .map((p) => p.sqlite?.statementsPerEvent)
    .filter((x): x is number => x !== undefined);
  if (st100.length > 0) c.statementsAt100 = median(st100);
  return c;
}

/**
 * prom-client's cost against the SQLite server's CPU per event: the metric calls of one event,
 * and the scrapes (default process metrics included) spread over the events between two scrapes,
 * at the bench's own 1 s sampling and at a usual 15 s Prometheus interval.
 */
function metricsLine(r: BenchReport): string {
  const sq = r.saturation.find((s) => s.target === 'sqlite');
  const c = r.metricsCost;
  if (!sq)
    return `prom-client: ${fixed(c.recordUsPerEvent, 2)} µs of metric calls per event, ${fixed(c.scrapeUs, 0)} µs per scrape`;
  const pct = (us: number): string => `${fixed((us / sq.cpuUsPerEvent) * 100, 2)}%`;
  const perScrapeEvent = (seconds: number): number =>
    c.scrapeUs / (seconds * Math.max(1, sq.processedPerSecond));
  const main = `prom-client (limit 2% of CPU per event): metric calls ${fixed(c.recordUsPerEvent, 2)} µs per event = ${pct(c.recordUsPerEvent)} of the SQLite server's CPU per event at saturation; a scrape with default process metrics ${fixed(c.scrapeUs, 0)} µs = ${pct(perScrapeEvent(1))} per event scraped every second, ${pct(perScrapeEvent(15))} every 15 s`;
  if (!c.idle) return main;
  const { none, ours, promClientDefault: pd } = c.idle;
  const idle = (x: IdleCost): string =>
    `${fixed(x.cpuMsPerSecond, 2)} ms of CPU and ${fixed(x.wakeUpsPerSecond, 0)} wake-ups a second`;
  const at100 = r.phases.filter((p) => p.target === 'sqlite' && p.load === '100/s');
  // The idle cost spread over 100 events a second, against the SQLite server's CPU per event there.
  const extraUs = ((ours.cpuMsPerSecond - none.cpuMsPerSecond) * 1000) / 100;
  const share =
    at100.length > 0
      ? `; at 100 events/s that is ${fixed(extraUs, 1)} µs per event = ${fixed((extraUs / median(at100.map((p) => p.cpuUsPerEvent))) * 100, 2)}% of the SQLite server's CPU per event there`
      : '';
  return `${main}\n  default metrics in an idle process: ${idle(ours)} (no metrics: ${idle(none)}; with prom-client's own 10 ms event-loop histogram: ${idle(pd)})${share}`;
}

/** The dialog history's share of the SQLite server's CPU per event (both measured in the same run). */
function historyLine(r: BenchReport): string | undefined {
  const on = r.saturation.find((s) => s.target === 'sqlite');
  const off = r.saturation.find((s) => s.target === 'sqlite-nohistory');
  if (!on || !off) return undefined;
  const share = (on.cpuUsPerEvent - off.cpuUsPerEvent) / on.cpuUsPerEvent;
  return `dialog history (limit 10% of CPU per event): ${fixed(on.cpuUsPerEvent, 0)} µs per event with it, ${fixed(off.cpuUsPerEvent, 0)} µs without (OPENLINES_HISTORY=off): ${fixed(share * 100, 1)}% of CPU per event, ${verdict(share < 0.1)}`;
}

const row = (cells: string[], widths: number[]): string =>
  cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join('  ');
const verdict = (ok: boolean | undefined): string =>
  ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met';

/**
 * Renders the report as text for the terminal.
 *
 * @example
 * console.log(formatReport({ report }));
 */
export function formatReport(options: { report: BenchReport }): string {
  const r = options.report;
  const express = r.saturation.find((s) => s.target === 'express');
  const w = [58, 10, 11, 12, 11, 11, 13, 14];
  const out = [
    '',
    `openlines-bot benchmark, ${r.startedAt}: ${r.machine.cpus} cores, ${r.machine.pinned ? 'servers pinned to core 0, load generator and portal to core 1' : 'not pinned'}; ${String(r.settings.concurrency)} requests in flight, ${String(r.settings.openDialogs)} dialogs open, v1 form bodies of ${fixed(Number(r.settings.meanBodyBytes), 0)} bytes`,
    '',
    'saturation (closed loop, medians of the rounds; ratios against express in the same run):',
    row(
      [
        'target',
        'acked/s',
        'processed/s',
        'CPU µs/event',
        'processed×',
        'CPU×',
        'ack p99 ms',
        'SQLite stmt/ev',
      ],
      w,
    ),
    ...r.saturation.map((s) =>
      row(
        [
          `${s.target}: ${s.label}`,
          fixed(s.ackedPerSecond, 0),
          fixed(s.processedPerSecond, 0),
          fixed(s.cpuUsPerEvent, 0),
          express ? fixed(s.processedPerSecond / express.processedPerSecond, 2) : '-',
          express ? fixed(s.cpuUsPerEvent / express.cpuUsPerEvent, 2) : '-',
          fixed(s.ackP99, 1),
          s.sqliteStatementsPerEvent !== undefined ? fixed(s.sqliteStatementsPerEvent, 1) : '',
        ],
        w,
      ),
    ),
    '',
    'paced (open loop): event sent -> its first REST call at the portal',
    row(
      [
        'target',
        'load',
        'events/s',
        'CPU µs/event',
        'p50 ms',
        'p99 ms',
        'max inbox',
        'SQLite stmt/ev',
      ],
      [8, 20, 9, 12, 8, 8, 10, 14],
    ),
    ...r.phases
      .filter((p) => p.ratePerSecond !== undefined)
      .map((p) =>
        row(
          [
            p.target,
            p.load,
            String(p.ratePerSecond),
            fixed(p.cpuUsPerEvent, 0),
            fixed(p.firstCall?.p50 ?? Number.NaN, 1),
            fixed(p.firstCall?.p99 ?? Number.NaN, 1),
            String(p.maxInboxDepth ?? ''),
            p.sqlite ? fixed(p.sqlite.statementsPerEvent, 1) : '',
          ],
          [8, 20, 9, 12, 8, 8, 10, 14],
        ),
      ),
    '',
    'criteria (SQLite server):',
    `  processed events/s vs express: ${fixed(r.criteria.processedVsExpress ?? Number.NaN, 2)}× (target >= 1.0: ${verdict(r.criteria.processedVsExpress === undefined ? undefined : r.criteria.processedVsExpress >= 1)})`,
    `  CPU per event vs express: ${fixed(r.criteria.cpuVsExpress ?? Number.NaN, 2)}× (target <= 1.0: ${verdict(r.criteria.cpuVsExpress === undefined ? undefined : r.criteria.cpuVsExpress <= 1)})`,
    `  CPU per event at 100/s vs at saturation: ${fixed(r.criteria.cpuAt100VsSaturation ?? Number.NaN, 2)}× (target <= 1.5: ${verdict(r.criteria.cpuAt100VsSaturation === undefined ? undefined : r.criteria.cpuAt100VsSaturation <= 1.5)})`,
    ...(r.criteria.baselineAt100VsSaturation
      ? [
          `    (the baselines' own ratio in this run: ${Object.entries(
            r.criteria.baselineAt100VsSaturation,
          )
            .map(([name, x]) => `${name} ${fixed(x, 2)}×`)
            .join(', ')})`,
        ]
      : []),
    `  first REST call p99 at 50% of saturation: ${r.criteria.p99AtHalfSaturation.map((x) => `${fixed(x, 1)} ms`).join(', ') || '-'} (${r.criteria.p99AtHalfSaturation.filter((x) => x <= 50).length} of ${r.criteria.p99AtHalfSaturation.length} runs <= 50 ms)`,
    `  SQLite statements per event: ${fixed(r.criteria.statementsAtSaturation ?? Number.NaN, 1)} at saturation (target <= 8: ${verdict(r.criteria.statementsAtSaturation === undefined ? undefined : r.criteria.statementsAtSaturation <= 8)}), ${fixed(r.criteria.statementsAt100 ?? Number.NaN, 1)} at 100/s (target <= 12: ${verdict(r.criteria.statementsAt100 === undefined ? undefined : r.criteria.statementsAt100 <= 12)})`,
    '',
    metricsLine(r),
    ...[historyLine(r)].filter((line): line is string => line !== undefined),
    '',
    'SQLite server, most executed statements over the run (per event; BEGIN/COMMIT not included):',
    ...r.sqliteStatements.map(
      (x) => `  ${x.perEvent.toFixed(2).padStart(6)}  ${x.sql.slice(0, 150)}`,
    ),
    '',
    ...Object.entries(r.notRun).map(([k, v]) => `not run: ${k}: ${v}`),
    ...(r.skipped.length > 0
      ? [`skipped to stay in the time budget: ${r.skipped.join('; ')}`]
      : []),
    `portal: ${r.portal.requests} HTTP requests carrying ${r.portal.calls} REST calls, ${r.portal.rejected503} answered 503, errors ${JSON.stringify(r.portal.errors)}`,
    `sqlite server: ${r.server.logBytes} bytes of logs; ${Object.entries(r.server.metrics)
      .map(([k, v]) => `${k}=${fixed(v, 3)}`)
      .join(' ')}`,
    `machine: node ${r.machine.node}, ${r.machine.cpus} cpus, load average before ${r.machine.loadavgBefore.map((x) => x.toFixed(2)).join('/')} after ${r.machine.loadavgAfter.map((x) => x.toFixed(2)).join('/')}; run took ${fixed(r.durationMs / 1000, 1)} s`,
  ];
  if (r.profile) {
    const p = r.profile.summary;
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    out.push(
      '',
      `SQLite server CPU profile ${r.profile.file}: ${fixed(p.totalMs - p.idleMs, 0)} ms busy of ${fixed(p.totalMs, 0)} ms`,
    );
    out.push(
      '  by pipeline stage:',
      ...p.byStage.slice(0, 16).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`),
    );
    out.push(
      '  self time by area:',
      ...p.selfByArea.slice(0, 18).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`),
    );
    out.push(
      '  inclusive by package:',
      ...p.inclusiveByPackage.slice(0, 12).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`),
    );
    out.push(
      '  inclusive, own functions:',
      ...p.inclusiveOwn.slice(0, 22).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`),
    );
  }
  return out.join('\n') + '\n';
}

/**
 * Writes `bench/results/<timestamp>.json` and `bench/results/latest.json`; returns the first path.
 *
 * @example
 * const file = writeReport({ report, dir: path.join(__dirname, 'results') });
 */
export function writeReport(options: { report: BenchReport; dir: string }): string {
  mkdirSync(options.dir, { recursive: true });
  const stamp = options.report.startedAt.replace(/[:.]/g, '-');
  const file = path.join(options.dir, `${stamp}.json`);
  const json = JSON.stringify(options.report, null, 2);
  writeFileSync(file, json);
  writeFileSync(path.join(options.dir, 'latest.json'), json);
  return file;
}
