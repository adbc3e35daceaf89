/**
 * The measured part of the benchmark: rounds of one openlines phase and one express phase (the
 * order alternates between rounds, so neither target always runs on a warmer or cooler machine),
 * with the same bodies sent to both.
 */
import type { EventBuilders } from '../src/testing/event-builders';
import { preciseNow, type BenchChild } from './ipc';
import { runLoad, type LoadResult } from './load-generator';
import { addCounts, firstCallFigures, measured, sampleDepths, totalsOf, withTimeout, type FirstCallFigures } from './phase-measures';
import type { PortalSummary } from './portal-child';
import type { RoundFigures, TargetFigures } from './report';
import { fixed, joinDelays, spread, type Spread } from './stats';

export type { FirstCallFigures };
import { buildDialogs, MEAN_EVENTS_PER_DIALOG } from './workload';

/** Settings the phases use. */
export interface PhaseSettings {
  rounds: number;
  eventsPerPhase: number;
  concurrency: number;
  openDialogs: number;
  warmupEvents: number;
  maxWindowMs: number;
  /** Rounds (and the paced phase) that would start after this wall time (ms since epoch) are skipped. */
  startNoLaterThan: number;
  /** Paced phase rate (events/s); default half of what round 1 processed end to end. */
  pacedRate?: number;
}

/** Options of {@link runPhases}. */
export interface RunPhasesOptions {
  settings: PhaseSettings;
  builders: EventBuilders;
  openlines: { child: BenchChild; port: number };
  express: { child: BenchChild; port: number };
  portal: BenchChild;
  log: (line: string) => void;
}

/** The paced phase: open loop, well under capacity. */
export type PacedFigures = FirstCallFigures & {
  ratePerSecond: number;
  ack: Spread;
  sent: number;
  maxInboxDepth: number;
  maxOutboxDepth: number;
  cpuUsPerEvent: number;
  cpuShare: number;
  /** Kernel part of the CPU time (socket and SQLite file writes). */
  systemShareOfCpu: number;
};

/** Figures of all rounds together. */
export interface PhaseTotals {
  rounds: RoundFigures[];
  skippedRounds: number;
  openlines: TargetFigures;
  express: TargetFigures;
  /** Events per second from the first send until the outbox was drained (ack + turn + REST call). */
  openlinesProcessedPerSecond: number;
  /** Under the saturating load of the rounds (mostly time spent queued behind other dialogs' turns). */
  firstRestCall: FirstCallFigures;
  /** Under an open-loop load of half the measured rate: the latency of one event through the system. */
  paced?: PacedFigures;
  portal: { requests: number; calls: number; rejected503: number; errors: Record<string, number>; byMethod: Record<string, number> };
  meanBodyBytes: number;
}

/** Outbox draining after a phase is bounded too. */
const IDLE_TIMEOUT_MS = 40_000;
/** Length of the paced (half-load) phase. */
const PACED_MS = 8_000;

const rate = (r: LoadResult): number => (r.windowMs > 0 ? (r.acked / r.windowMs) * 1000 : 0);

/**
 * Runs every round (the paced phase after the first one) and folds the results.
 *
 * @example
 * const totals = await runPhases({ settings, builders, openlines, express, portal, log: console.log });
 */
export async function runPhases(options: RunPhasesOptions): Promise<PhaseTotals> {
  const { settings, log } = options;
  const rounds: RoundFigures[] = [];
  const openlinesResults: LoadResult[] = [];
  const expressResults: LoadResult[] = [];
  const afterJoin: number[] = [];
  const afterOrder: number[] = [];
  let missing = 0;
  let processedEvents = 0;
  let processedMs = 0;
  const portal: PhaseTotals['portal'] = { requests: 0, calls: 0, rejected503: 0, errors: {}, byMethod: {} };
  let nextChatId = 100_000;
  const dialogsFor = (events: number) => {
    const count = Math.ceil(events / MEAN_EVENTS_PER_DIALOG);
    const dialogs = buildDialogs({ builders: options.builders, firstChatId: nextChatId, count });
    nextChatId += count;
    return dialogs;
  };
  const load = (port: number, dialogs: ReturnType<typeof buildDialogs>, extra: { warmupEvents?: number; ratePerSecond?: number } = {}) =>
    runLoad({
      port,
      dialogs,
      concurrency: settings.concurrency,
      openDialogs: settings.openDialogs,
      warmupEvents: extra.warmupEvents ?? settings.warmupEvents,
      maxWindowMs: settings.maxWindowMs,
      ...(extra.ratePerSecond !== undefined ? { ratePerSecond: extra.ratePerSecond } : {}),
    });

  /** One openlines phase: load, wait for the outbox to drain, join send times with the portal log. */
  const openlinesPhase = async (dialogs: ReturnType<typeof buildDialogs>, extra: { warmupEvents?: number; ratePerSecond?: number } = {}) => {
    const depth = sampleDepths({ port: options.openlines.port });
    const { value: result, cpuMs, systemMs, wallMs } = await measured({
      child: options.openlines.child,
      work: async () => {
        const loaded = await load(options.openlines.port, dialogs, extra);
        await withTimeout({ promise: options.openlines.child.call('idle'), ms: IDLE_TIMEOUT_MS, what: 'draining the outbox' });
        return loaded;
      },
    }).finally(() => depth.stop());
    const drainedAt = preciseNow();
    const summary = await options.portal.call<PortalSummary>('summary');
    const joins = joinDelays({ sent: result.joinSentAt, received: summary.firstCallAt });
    const orders = joinDelays({ sent: result.orderSentAt, received: summary.orderReplyAt });
    portal.requests += summary.requests;
    portal.calls += summary.calls;
    portal.rejected503 += summary.rejected503;
    addCounts({ into: portal.errors, from: summary.errors });
    addCounts({ into: portal.byMethod, from: summary.byMethod });
    return { result, joins, orders, idleWaitMs: drainedAt - result.endedAt, drainedAt, cpuMs, systemMs, wallMs, depth: await depth.stop() };
  };

  /** Open loop at half of what round 1 sustained end to end (turns lag behind acks, so not half of the ack rate). */
  const runPaced = async (): Promise<PhaseTotals['paced']> => {
    const processed = processedMs > 0 ? (processedEvents / processedMs) * 1000 : 0;
    if (processed <= 0 && settings.pacedRate === undefined) return undefined;
    // A fixed rate compares two builds at the same load (the default follows each build's speed).
    const ratePerSecond = settings.pacedRate ?? Math.max(10, Math.round(processed / 2));
    const events = Math.round((ratePerSecond * PACED_MS) / 1000);
    const phase = await openlinesPhase(dialogsFor(events), { ratePerSecond, warmupEvents: Math.round(events / 10) });
    const figures = {
      ...firstCallFigures({ join: phase.joins.delays, order: phase.orders.delays, missing: phase.joins.missing + phase.orders.missing }),
      ratePerSecond,
      ack: spread({ values: phase.result.latenciesMs }),
      sent: phase.result.sent,
      maxInboxDepth: phase.depth.inbox,
      maxOutboxDepth: phase.depth.outbox,
      cpuUsPerEvent: (phase.cpuMs * 1000) / phase.result.sent,
      cpuShare: phase.cpuMs / phase.wallMs,
      systemShareOfCpu: phase.systemMs / phase.cpuMs,
    };
    log(`paced at ${ratePerSecond} events/s: first REST call p50 ${fixed(figures.all.p50, 1)} ms, p99 ${fixed(figures.all.p99, 1)} ms`);
    return figures;
  };

  let paced: PhaseTotals['paced'];
  let skippedRounds = 0;
  for (let round = 1; round <= settings.rounds; round++) {
    if (Date.now() > settings.startNoLaterThan) {
      skippedRounds = settings.rounds - round + 1;
      log(`skipping ${skippedRounds} round(s): the run would not end in time on this machine`);
      break;
    }
    const dialogs = dialogsFor(settings.eventsPerPhase);
    const order = round % 2 === 1 ? ['openlines', 'express'] : ['express', 'openlines'];
    let ol: LoadResult | undefined;
    let ex: LoadResult | undefined;
    let idleWaitMs = Number.NaN;
    let olCpu = { cpuMs: 0, systemMs: 0, wallMs: 0 };
    let olDepth = { inbox: 0, outbox: 0 };
    let exCpu = { cpuMs: 0, systemMs: 0, wallMs: 0 };
    for (const target of order) {
      if (target === 'express') {
        const m = await measured({ child: options.express.child, work: () => load(options.express.port, dialogs) });
        ex = m.value;
        exCpu = m;
        log(`round ${round}: express ${fixed(rate(ex), 0)} events/s`);
        continue;
      }
      const phase = await openlinesPhase(dialogs);
      ol = phase.result;
      olCpu = phase;
      olDepth = phase.depth;
      idleWaitMs = phase.idleWaitMs;
      afterJoin.push(...phase.joins.delays);
      afterOrder.push(...phase.orders.delays);
      missing += phase.joins.missing + phase.orders.missing;
      processedEvents += ol.sent;
      processedMs += phase.drainedAt - ol.startedAt;
      log(`round ${round}: openlines ${fixed(rate(ol), 0)} events/s acknowledged; outbox drained ${fixed(idleWaitMs, 0)} ms after the last ack`);
    }
    if (!ol || !ex) throw new Error('a phase did not run');
    openlinesResults.push(ol);
    expressResults.push(ex);
    const o = spread({ values: ol.latenciesMs });
    const e = spread({ values: ex.latenciesMs });
    rounds.push({
      round,
      order,
      openlines: {
        eventsPerSecond: rate(ol),
        ackP50: o.p50,
        ackP99: o.p99,
        acked: ol.acked,
        windowMs: ol.windowMs,
        idleWaitMs,
        maxInboxDepth: olDepth.inbox,
        maxOutboxDepth: olDepth.outbox,
        cpuUsPerEvent: (olCpu.cpuMs * 1000) / ol.sent,
        cpuShare: olCpu.cpuMs / olCpu.wallMs,
        systemShareOfCpu: olCpu.systemMs / olCpu.cpuMs,
      },
      express: {
        eventsPerSecond: rate(ex),
        ackP50: e.p50,
        ackP99: e.p99,
        acked: ex.acked,
        windowMs: ex.windowMs,
        cpuUsPerEvent: (exCpu.cpuMs * 1000) / ex.sent,
        cpuShare: exCpu.cpuMs / exCpu.wallMs,
        systemShareOfCpu: exCpu.systemMs / exCpu.cpuMs,
      },
    });
    // Right after round 1, so that the latency figure is there even when later rounds are skipped.
    if (round === 1) paced = await runPaced();
  }
  const openlines = totalsOf({ results: openlinesResults });

  const bodies = openlinesResults.concat(expressResults);
  return {
    rounds,
    skippedRounds,
    openlines,
    express: totalsOf({ results: expressResults }),
    openlinesProcessedPerSecond: processedMs > 0 ? (processedEvents / processedMs) * 1000 : 0,
    firstRestCall: firstCallFigures({ join: afterJoin, order: afterOrder, missing }),
    ...(paced ? { paced } : {}),
    portal,
    meanBodyBytes: bodies.reduce((n, r) => n + r.meanBodyBytes, 0) / Math.max(1, bodies.length),
  };
}
