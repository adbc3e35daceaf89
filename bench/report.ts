/**
 * The benchmark's printed table and its JSON file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfileSummary } from './profile-summary';
import type { FirstCallFigures, PacedFigures } from './run-phases';
import { fixed, type Spread } from './stats';

/** One target's figures over all measured rounds. */
export interface TargetFigures {
  eventsPerSecond: number;
  ack: Spread;
  acked: number;
  failures: Record<string, number>;
}

/** One round, both targets. */
export interface RoundFigures {
  round: number;
  order: string[];
  /** `cpuUsPerEvent`: the server process's CPU time (user + system) per event sent, drain included; `cpuShare`: CPU time / wall time. */
  openlines: {
    eventsPerSecond: number;
    ackP50: number;
    ackP99: number;
    acked: number;
    windowMs: number;
    idleWaitMs: number;
    /** Largest inbox (accepted, unprocessed) and outbox (committed, unsent) depth seen, scraped once a second. */
    maxInboxDepth: number;
    maxOutboxDepth: number;
    cpuUsPerEvent: number;
    cpuShare: number;
    systemShareOfCpu: number;
  };
  express: {
    eventsPerSecond: number;
    ackP50: number;
    ackP99: number;
    acked: number;
    windowMs: number;
    cpuUsPerEvent: number;
    cpuShare: number;
    systemShareOfCpu: number;
  };
}

/** Everything a run writes. */
export interface BenchReport {
  startedAt: string;
  durationMs: number;
  machine: { node: string; cpus: number; loadavgBefore: number[]; loadavgAfter: number[] };
  settings: Record<string, unknown>;
  rounds: RoundFigures[];
  skippedRounds: number;
  openlines: TargetFigures;
  /** Events/s from the first send until the outbox was drained: ingestion plus turns plus REST calls. */
  openlinesProcessedPerSecond: number;
  express: TargetFigures;
  ratio: number;
  /** Median of the per-round ratios: less sensitive to one round hit by a burst of other load. */
  ratioMedianOfRounds: number;
  firstRestCall: FirstCallFigures;
  pacedFirstRestCall?: PacedFigures;
  portal: { requests: number; calls: number; rejected503: number; errors: Record<string, number>; byMethod: Record<string, number> };
  server: { logBytes: number; metrics: Record<string, number> };
  profile?: { file: string; summary: ProfileSummary };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** CPU per event is what the machine's other load cannot distort as much as events/s. */
function cpuLine(rounds: RoundFigures[]): string {
  const ol = mean(rounds.map((x) => x.openlines.cpuUsPerEvent));
  const ex = mean(rounds.map((x) => x.express.cpuUsPerEvent));
  return `    server CPU per event: openlines ${fixed(ol, 0)} µs (ack + turn + REST call, drain included), express ${fixed(ex, 0)} µs: CPU ratio ${fixed(ex / ol, 3)}`;
}

const row = (cells: string[], widths: number[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join('  ');

/**
 * Renders the report as text for the terminal.
 *
 * @example
 * console.log(formatReport({ report }));
 */
export function formatReport(options: { report: BenchReport }): string {
  const r = options.report;
  const w = [42, 10, 12, 12, 9, 12];
  const line = (name: string, t: TargetFigures): string =>
    row([name, fixed(t.eventsPerSecond, 0), fixed(t.ack.p50, 2), fixed(t.ack.p99, 2), String(t.acked), JSON.stringify(t.failures)], w);
  const d = r.firstRestCall;
  const p = r.pacedFirstRestCall;
  const firstCall = (f: FirstCallFigures): string =>
    `p50 ${fixed(f.all.p50, 2)} ms, p99 ${fixed(f.all.p99, 2)} ms (n=${f.all.n}; after a join p50 ${fixed(f.afterJoin.p50, 2)} / p99 ${fixed(f.afterJoin.p99, 2)}, after an order number p50 ${fixed(f.afterOrderNumber.p50, 2)} / p99 ${fixed(f.afterOrderNumber.p99, 2)}; ${f.missing} without a call)`;
  const out = [
    '',
    `openlines-bot benchmark: ${String(r.settings.rounds)} interleaved rounds, ${String(r.settings.concurrency)} requests in flight, ${String(r.settings.openDialogs)} dialogs open, v1 form bodies of ${fixed(Number(r.settings.meanBodyBytes), 0)} bytes on average`,
    `rate limits: fake portal ${String(r.settings.portalRateLimit)}; server REST budget ${String(r.settings.serverRateBudget)} (so neither throttles the run)`,
    '',
    row(['target', 'events/s', 'ack p50 ms', 'ack p99 ms', 'acked', 'failures'], w),
    line('(a) openlines-bot, bots/support, SQLite', r.openlines),
    line('(b) bare express 5 + urlencoded', r.express),
    '',
    `(c) ratio a/b = ${fixed(r.ratio, 3)} over all rounds, median of the rounds ${fixed(r.ratioMedianOfRounds, 3)}   (target >= 0.8, stretch >= 1.0)`,
    cpuLine(r.rounds),
    `(d) event sent -> its first REST call at the portal:`,
    p
      ? `    paced at ${p.ratePerSecond} events/s (${r.settings.pacedRate !== undefined ? 'fixed by --paced-rate' : 'half of what round 1 sustained end to end'}): ${firstCall(p)}; ack p50 ${fixed(p.ack.p50, 2)} / p99 ${fixed(p.ack.p99, 2)} ms; max inbox ${p.maxInboxDepth}, outbox ${p.maxOutboxDepth}; ${fixed(p.cpuUsPerEvent, 0)} µs CPU/event (${fixed(p.systemShareOfCpu * 100, 0)}% kernel)`
      : '    paced: not run (time budget)',
    `    under the saturating load of (a): ${firstCall(d)}`,
    `    (a) acknowledges faster than it processes: ${fixed(r.openlinesProcessedPerSecond, 0)} events/s from first send until the outbox was drained (ingest + turn + REST call)`,
    '',
    `per round${r.skippedRounds > 0 ? ` (${r.skippedRounds} skipped to stay under 3 minutes)` : ''}:`,
    ...r.rounds.map(
      (x) =>
        `  #${x.round} (${x.order.join(' then ')}): openlines ${fixed(x.openlines.eventsPerSecond, 0)}/s p50 ${fixed(x.openlines.ackP50, 2)} p99 ${fixed(x.openlines.ackP99, 2)}, ${fixed(x.openlines.cpuUsPerEvent, 0)} µs CPU/event (${fixed(x.openlines.systemShareOfCpu * 100, 0)}% kernel) at ${fixed(x.openlines.cpuShare * 100, 0)}% of a core (max inbox ${x.openlines.maxInboxDepth}, outbox ${x.openlines.maxOutboxDepth}; drained ${fixed(x.openlines.idleWaitMs, 0)} ms after the last ack); express ${fixed(x.express.eventsPerSecond, 0)}/s p50 ${fixed(x.express.ackP50, 2)} p99 ${fixed(x.express.ackP99, 2)}, ${fixed(x.express.cpuUsPerEvent, 0)} µs CPU/event (${fixed(x.express.systemShareOfCpu * 100, 0)}% kernel) at ${fixed(x.express.cpuShare * 100, 0)}%; ratio ${fixed(x.openlines.eventsPerSecond / x.express.eventsPerSecond, 3)}`,
    ),
    `portal: ${r.portal.requests} HTTP requests carrying ${r.portal.calls} REST calls, ${r.portal.rejected503} answered 503, errors ${JSON.stringify(r.portal.errors)}`,
    `server: ${r.server.logBytes} bytes of logs; ${Object.entries(r.server.metrics)
      .map(([k, v]) => `${k}=${fixed(v, 3)}`)
      .join(' ')}`,
    `machine: node ${r.machine.node}, ${r.machine.cpus} cpus, load average before ${r.machine.loadavgBefore.map((x) => x.toFixed(2)).join('/')} after ${r.machine.loadavgAfter.map((x) => x.toFixed(2)).join('/')}; run took ${fixed(r.durationMs / 1000, 1)} s`,
  ];
  if (r.profile) {
    const p = r.profile.summary;
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    out.push('', `server CPU profile ${r.profile.file}: ${fixed(p.totalMs - p.idleMs, 0)} ms busy of ${fixed(p.totalMs, 0)} ms`);
    out.push('  by pipeline stage:', ...p.byStage.slice(0, 16).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`));
    out.push('  self time by area:', ...p.selfByArea.slice(0, 18).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`));
    out.push('  inclusive by package:', ...p.inclusiveByPackage.slice(0, 12).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`));
    out.push('  inclusive, own functions:', ...p.inclusiveOwn.slice(0, 22).map((l) => `    ${pct(l.share).padStart(6)}  ${l.name}`));
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
