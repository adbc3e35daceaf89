/**
 * The measured part of the benchmark, in one interleaved run:
 *
 * 1. Saturation rounds: every target gets the same closed-loop load (a fixed number of requests
 *    in flight, many dialogs open at once), in an order that rotates between rounds so that no
 *    target always runs on a warmer or cooler machine.
 * 2. Paced phases (open loop) for the openlines targets at fixed rates (100 and 500 events/s) and
 *    at 50% and 80% of each one's own measured saturation (processed events/s), interleaved too;
 *    the 50% phase of the first target is repeated (`latencyRuns`) for the latency criterion.
 *
 * Every phase measures acknowledged and processed events/s (processed: until the last REST call
 * reached the portal), server CPU per event (drain included; redis-server's CPU added for Redis),
 * event → first REST call delays, and SQLite statements per event for the SQLite target.
 */
import type { EventBuilders } from '../src/testing/event-builders';
import { executedStatements, type SqliteCounts } from '../src/store/sqlite-counters';
import { watchGcPauses, type GcPauses } from './gc-pauses';
import { preciseNow } from './ipc';
import { runLoad, type LoadResult } from './load-generator';
import { addCounts, sampleDepths, withTimeout } from './phase-measures';
import type { PortalSummary } from './portal-child';
import { procCpuSeconds, procThreads, type Target, type TargetName } from './targets';
import type { BenchChild } from './ipc';
import { relateStalls, formatStalls, type Stall, type StallReport } from './stalls';
import { fixed, joinDelays, spread, type Spread } from './stats';
import { buildDialogs, MEAN_EVENTS_PER_DIALOG } from './workload';

/** Settings the phases use. */
export interface PhaseSettings {
  rounds: number;
  eventsPerPhase: number;
  concurrency: number;
  openDialogs: number;
  warmupEvents: number;
  maxWindowMs: number;
  /** Length of each paced phase (ms of sending). */
  pacedMs: number;
  /** Fixed paced rates (events/s). */
  fixedRates: number[];
  /** Paced rates as shares of each target's measured saturation. */
  saturationShares: number[];
  /** How many 50%-of-saturation phases the first openlines target gets (latency criterion). */
  latencyRuns: number;
  /** Phases that would start after this wall time (ms since epoch) are skipped. */
  startNoLaterThan: number;
}

/** What one phase measured. */
export interface PhaseFigures {
  target: TargetName;
  /** `saturation` (closed loop) or the paced rate's name (`100/s`, `50% of saturation`...). */
  load: string;
  /** Paced rate (events/s); undefined for closed-loop phases. */
  ratePerSecond?: number;
  sent: number;
  /** 2xx answers per second inside the load generator's window. */
  ackedPerSecond: number;
  ack: Spread;
  /** Events sent / (last REST call at the portal, or last answer for baselines − first send). */
  processedPerSecond: number;
  /** Server CPU (user + system, helper included) per event sent, µs. */
  cpuUsPerEvent: number;
  /** Server CPU time / wall time of the phase. */
  cpuShare: number;
  /**
   * The server process's threads over the phase (Linux): CPU µs per event of its main thread (the
   * event loop) and of all others (workers, GC helpers), and their voluntary context switches per
   * event (each a sleep and a wake-up). Not counted for Redis's helper process.
   */
  threads?: {
    mainUsPerEvent: number;
    otherUsPerEvent: number;
    mainWakeupsPerEvent: number;
    otherWakeupsPerEvent: number;
  };
  /** Event sent → its first REST call at the portal (joins and order numbers sent in the window). */
  firstCall?: Spread;
  firstCallMissing?: number;
  /** The fake portal's longest GC pause during the phase (ms): it delays the stamping of calls. */
  portalGcMaxMs?: number;
  /** REST requests (HTTP, each a single call or a `batch`) the portal got per event sent. */
  restRequestsPerEvent?: number;
  /** The server's longest GC pause during the phase, and all its pauses together (ms). */
  serverGc?: { maxPauseMs: number; totalPauseMs: number };
  /** The server's longest event-loop delay in the phase (`--loop-delay` only). */
  serverLoopMaxMs?: number;
  /** The slowest events against the stalls of the server, the portal and the load generator (`--stalls` only). */
  stalls?: StallReport;
  /**
   * The load generator's (this process's) longest GC pause during the phase (ms): a pause there
   * delays the sending of paced events (which then go out in a burst) and the reading of answers.
   */
  loadGcMaxMs?: number;
  /** SQLite statements per event (BEGIN/COMMIT and SAVEPOINT/RELEASE included); transactions per event. */
  sqlite?: {
    statementsPerEvent: number;
    transactionsPerEvent: number;
    preparedPerEvent: number;
    /** Commits per event: transactions plus writing statements run on their own (autocommit). */
    commitsPerEvent: number;
  };
  maxInboxDepth?: number;
  maxOutboxDepth?: number;
  failures: Record<string, number>;
}

/** Options of {@link runPhases}. */
export interface RunPhasesOptions {
  settings: PhaseSettings;
  builders: EventBuilders;
  targets: Target[];
  portal: BenchChild;
  log: (line: string) => void;
  /**
   * `--stalls`: this process's (the load generator's) stall watcher; the server and the portal
   * are asked for theirs (`stalls`).
   */
  stalls?: { take(): Stall[] };
  /** Called around each phase (the benchmark profiles one phase with it: `--profile-load`). */
  around?: {
    before(target: Target, load: string): Promise<void>;
    after(target: Target, load: string): Promise<void>;
  };
}

/** What the whole run measured. */
export interface PhaseTotals {
  saturation: PhaseFigures[];
  paced: PhaseFigures[];
  skipped: string[];
  portal: {
    requests: number;
    calls: number;
    rejected503: number;
    errors: Record<string, number>;
    byMethod: Record<string, number>;
  };
  meanBodyBytes: number;
}

/** Outbox draining after a phase is bounded too. */
const IDLE_TIMEOUT_MS = 60_000;

type Cpu = { seconds: number };

async function cpuOf(target: Target): Promise<Cpu> {
  const own = await target.child.call<{ user: number; system: number }>('cpu');
  const helper = target.helperPid !== undefined ? procCpuSeconds({ pid: target.helperPid }) : 0;
  return { seconds: (own.user + own.system) / 1e6 + helper };
}

/**
 * Runs the saturation rounds, then the paced phases.
 *
 * @example
 * const totals = await runPhases({ settings, builders, targets, portal, log: console.log });
 */
export async function runPhases(options: RunPhasesOptions): Promise<PhaseTotals> {
  const loadGc = watchGcPauses();
  try {
    return await runAllPhases(options, loadGc);
  } finally {
    loadGc.stop();
  }
}

async function runAllPhases(
  options: RunPhasesOptions,
  /** The load generator's (this process's) GC pauses. */
  loadGc: { take(): GcPauses },
): Promise<PhaseTotals> {
  const { settings, log, targets } = options;
  const portal: PhaseTotals['portal'] = {
    requests: 0,
    calls: 0,
    rejected503: 0,
    errors: {},
    byMethod: {},
  };
  const skipped: string[] = [];
  let bodyBytes = 0;
  let bodies = 0;
  let nextChatId = 100_000;
  const dialogsFor = (events: number) => {
    const count = Math.ceil(events / MEAN_EVENTS_PER_DIALOG);
    const dialogs = buildDialogs({ builders: options.builders, firstChatId: nextChatId, count });
    nextChatId += count;
    return dialogs;
  };

  const phase = async (
    target: Target,
    dialogs: ReturnType<typeof buildDialogs>,
    load: string,
    ratePerSecond?: number,
  ): Promise<PhaseFigures> => {
    const openlines = target.kind === 'openlines';
    const cpu0 = await cpuOf(target);
    await target.child.call('gc');
    loadGc.take();
    const sql0 =
      target.name === 'sqlite' || target.name === 'sqlite-queued'
        ? await target.child.call<SqliteCounts>('sqlite')
        : undefined;
    const pid = target.child.child.pid;
    const threads0 = pid !== undefined ? procThreads({ pid }) : undefined;
    await options.around?.before(target, load);
    // --stalls: what came before the phase is not the phase's.
    if (options.stalls) {
      options.stalls.take();
      await options.portal.call('stalls');
      if (openlines) await target.child.call('stalls');
    }
    const depth = openlines ? sampleDepths({ port: target.port }) : undefined;
    const t0 = preciseNow();
    const events = dialogs.reduce((n, d) => n + d.bodies.length, 0);
    let result: LoadResult;
    let summary: PortalSummary | undefined;
    try {
      result = await runLoad({
        port: target.port,
        dialogs,
        concurrency: settings.concurrency,
        openDialogs: settings.openDialogs,
        warmupEvents: ratePerSecond !== undefined ? Math.round(events / 10) : settings.warmupEvents,
        maxWindowMs: settings.maxWindowMs,
        ...(ratePerSecond !== undefined ? { ratePerSecond } : {}),
      });
      if (openlines) {
        await withTimeout({
          promise: target.child.call('idle'),
          ms: IDLE_TIMEOUT_MS,
          what: 'draining the outbox',
        });
        summary = await options.portal.call<PortalSummary>('summary');
      }
    } finally {
      await depth?.stop();
    }
    const cpu1 = await cpuOf(target);
    const threads1 = pid !== undefined ? procThreads({ pid }) : undefined;
    // After the CPU readings: stopping a profile writes it out, which is not the phase's work.
    await options.around?.after(target, load);
    const gc = await target.child.call<GcPauses & { loopMaxMs?: number }>('gc');
    const sql1 =
      target.name === 'sqlite' || target.name === 'sqlite-queued'
        ? await target.child.call<SqliteCounts>('sqlite')
        : undefined;
    const wallMs = preciseNow() - t0;
    const depths = depth ? await depth.stop() : undefined;
    bodyBytes += result.meanBodyBytes * result.sent;
    bodies += result.sent;
    const lastCall =
      summary && typeof summary.lastCallAt === 'number' ? summary.lastCallAt : Number.NaN;
    const endAt = Number.isFinite(lastCall) ? Math.max(result.endedAt, lastCall) : result.endedAt;
    const figures: PhaseFigures = {
      target: target.name,
      load,
      ...(ratePerSecond !== undefined ? { ratePerSecond } : {}),
      sent: result.sent,
      ackedPerSecond: result.windowMs > 0 ? (result.acked / result.windowMs) * 1000 : 0,
      ack: spread({ values: result.latenciesMs }),
      processedPerSecond: (result.sent / (endAt - result.startedAt)) * 1000,
      cpuUsPerEvent: ((cpu1.seconds - cpu0.seconds) * 1e6) / Math.max(1, result.sent),
      cpuShare: ((cpu1.seconds - cpu0.seconds) * 1000) / wallMs,
      failures: result.failures,
      serverGc: { maxPauseMs: gc.maxPauseMs, totalPauseMs: gc.totalPauseMs },
      ...(gc.loopMaxMs !== undefined ? { serverLoopMaxMs: gc.loopMaxMs } : {}),
      loadGcMaxMs: loadGc.take().maxPauseMs,
    };
    if (threads0 && threads1) {
      const per = (n: number): number => n / Math.max(1, result.sent);
      figures.threads = {
        mainUsPerEvent: per((threads1.mainSeconds - threads0.mainSeconds) * 1e6),
        otherUsPerEvent: per((threads1.otherSeconds - threads0.otherSeconds) * 1e6),
        mainWakeupsPerEvent: per(threads1.mainSwitches - threads0.mainSwitches),
        otherWakeupsPerEvent: per(threads1.otherSwitches - threads0.otherSwitches),
      };
    }
    if (summary) {
      const joins = joinDelays({ sent: result.joinSentAt, received: summary.firstCallAt });
      const orders = joinDelays({ sent: result.orderSentAt, received: summary.orderReplyAt });
      const delays = joins.delays.concat(orders.delays);
      figures.firstCall = spread({ values: delays });
      if (options.stalls) {
        const sentAt = joins.sentAt.concat(orders.sentAt);
        figures.stalls = relateStalls({
          events: delays.map((delayMs, i) => ({ delayMs, sentAt: sentAt[i] as number })),
          p99Ms: figures.firstCall.p99,
          stalls: {
            server: await target.child.call<Stall[]>('stalls'),
            portal: await options.portal.call<Stall[]>('stalls'),
            'load generator': options.stalls.take(),
          },
        });
      }
      figures.firstCallMissing = joins.missing + orders.missing;
      if (summary.gc) figures.portalGcMaxMs = summary.gc.maxPauseMs;
      figures.restRequestsPerEvent = summary.requests / Math.max(1, result.sent);
      portal.requests += summary.requests;
      portal.calls += summary.calls;
      portal.rejected503 += summary.rejected503;
      addCounts({ into: portal.errors, from: summary.errors });
      addCounts({ into: portal.byMethod, from: summary.byMethod });
    }
    if (sql0 && sql1) {
      const per = (n: number): number => n / Math.max(1, result.sent);
      figures.sqlite = {
        statementsPerEvent: per(executedStatements(sql1) - executedStatements(sql0)),
        transactionsPerEvent: per(sql1.transactions - sql0.transactions),
        preparedPerEvent: per(sql1.statements - sql0.statements),
        commitsPerEvent: per(
          sql1.transactions + sql1.autocommits - (sql0.transactions + sql0.autocommits),
        ),
      };
    }
    if (depths) {
      figures.maxInboxDepth = depths.inbox;
      figures.maxOutboxDepth = depths.outbox;
    }
    log(describePhase(figures));
    return figures;
  };

  const late = (): boolean => Date.now() > settings.startNoLaterThan;

  const saturation: PhaseFigures[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    if (late()) {
      skipped.push(`saturation rounds ${round}..${settings.rounds}`);
      break;
    }
    const shift = (round - 1) % targets.length;
    const order = targets.slice(shift).concat(targets.slice(0, shift));
    // Each target gets its own chats (same scripts, same body sizes): the portal remembers which
    // chats a bot already finished, and one target's dialogs must not meet another's.
    for (const target of order)
      saturation.push(
        await phase(target, dialogsFor(settings.eventsPerPhase), `saturation round ${round}`),
      );
  }

  const saturationOf = (name: TargetName): number =>
    spread({ values: saturation.filter((p) => p.target === name).map((p) => p.processedPerSecond) })
      .p50;

  const paced: PhaseFigures[] = [];
  const openlinesTargets = targets.filter((t) => t.kind === 'openlines');
  const steps: Array<{ load: string; rateOf: (t: Target) => number }> = [
    ...settings.fixedRates.map((r) => ({ load: `${r}/s`, rateOf: () => r })),
    ...settings.saturationShares.map((s) => ({
      load: `${Math.round(s * 100)}% of saturation`,
      rateOf: (t: Target) => Math.max(10, Math.round(saturationOf(t.name) * s)),
    })),
  ];
  let turn = 0;
  for (const step of steps) {
    const order = openlinesTargets
      .slice(turn % openlinesTargets.length)
      .concat(openlinesTargets.slice(0, turn % openlinesTargets.length));
    turn++;
    for (const target of order) {
      if (late()) {
        skipped.push(`${target.name} at ${step.load}`);
        continue;
      }
      const rate = step.rateOf(target);
      if (!Number.isFinite(rate)) continue;
      paced.push(
        await phase(
          target,
          dialogsFor(Math.round((rate * settings.pacedMs) / 1000)),
          step.load,
          rate,
        ),
      );
    }
  }
  // The baselines at the lowest fixed rate: what low load costs per event without any of our work.
  const lowest = Math.min(...settings.fixedRates);
  if (Number.isFinite(lowest))
    for (const target of targets.filter((t) => t.kind === 'baseline')) {
      if (late()) {
        skipped.push(`${target.name} at ${lowest}/s`);
        continue;
      }
      paced.push(
        await phase(
          target,
          dialogsFor(Math.round((lowest * settings.pacedMs) / 1000)),
          `${lowest}/s`,
          lowest,
        ),
      );
    }
  // The latency criterion wants several runs at 50% of saturation: more of them, between the others' phases.
  const first = openlinesTargets[0];
  const half = settings.saturationShares.includes(0.5) ? 0.5 : undefined;
  if (first && half !== undefined) {
    for (let i = 1; i < settings.latencyRuns; i++) {
      if (late()) {
        skipped.push(`${first.name} 50% of saturation, repeats ${i + 1}..${settings.latencyRuns}`);
        break;
      }
      const rate = Math.max(10, Math.round(saturationOf(first.name) * half));
      paced.push(
        await phase(
          first,
          dialogsFor(Math.round((rate * settings.pacedMs) / 1000)),
          '50% of saturation',
          rate,
        ),
      );
    }
  }

  return { saturation, paced, skipped, portal, meanBodyBytes: bodies > 0 ? bodyBytes / bodies : 0 };
}

/** One log line per phase, while the run goes. */
export function describePhase(p: PhaseFigures): string {
  const parts = [
    `${p.target.padEnd(7)} ${p.load.padEnd(22)}`,
    `acked ${fixed(p.ackedPerSecond, 0)}/s`,
    `processed ${fixed(p.processedPerSecond, 0)}/s`,
    `${fixed(p.cpuUsPerEvent, 0)} µs CPU/event (${fixed(p.cpuShare * 100, 0)}% of a core)`,
  ];
  if (p.threads)
    parts.push(
      `main thread ${fixed(p.threads.mainUsPerEvent, 0)} µs and ${fixed(p.threads.mainWakeupsPerEvent, 2)} wake-ups/event, other threads ${fixed(p.threads.otherUsPerEvent, 0)} µs and ${fixed(p.threads.otherWakeupsPerEvent, 2)}`,
    );
  if (p.firstCall)
    parts.push(
      `first REST call p50 ${fixed(p.firstCall.p50, 1)} / p99 ${fixed(p.firstCall.p99, 1)} ms`,
    );
  if (p.serverGc)
    parts.push(
      `server GC max ${fixed(p.serverGc.maxPauseMs, 1)} ms (${fixed(p.serverGc.totalPauseMs, 0)} ms in all)`,
    );
  if (p.serverLoopMaxMs !== undefined)
    parts.push(`server event-loop delay max ${fixed(p.serverLoopMaxMs, 1)} ms`);
  if (p.stalls) parts.push(formatStalls(p.stalls));
  if (p.restRequestsPerEvent !== undefined)
    parts.push(`${fixed(p.restRequestsPerEvent, 2)} REST requests/event`);
  if (p.portalGcMaxMs !== undefined) parts.push(`portal GC max ${fixed(p.portalGcMaxMs, 1)} ms`);
  if (p.loadGcMaxMs !== undefined)
    parts.push(`load generator GC max ${fixed(p.loadGcMaxMs, 1)} ms`);
  if (p.sqlite)
    parts.push(
      `${fixed(p.sqlite.statementsPerEvent, 1)} SQLite statements/event (${fixed(p.sqlite.commitsPerEvent, 2)} commits)`,
    );
  if (Object.keys(p.failures).length > 0) parts.push(`failures ${JSON.stringify(p.failures)}`);
  return parts.join(', ');
}
