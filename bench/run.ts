/**
 * `npm run bench`: throughput that counts the whole job. On loopback, with a fake portal, one
 * interleaved run measures for each target: acknowledged events/s, processed events/s (until
 * every turn's REST calls reached the portal), server CPU per event, event → first REST call
 * p50/p99 under paced load (100 and 500 events/s, 50% and 80% of the measured saturation) and
 * SQLite statements per event. Targets: the real server with `bots/support` on SQLite, memory and
 * Redis (a private redis-server whose CPU counts too), a bare express 5 + urlencoded handler and
 * raw `node:http`. With two or more cores the servers run pinned to core 0 and the load generator
 * and the fake portal to core 1.
 *
 * Options: `--quick` (one small round, short paced phases), `--rounds 3 --events 3000
 * --concurrency 64 --open-dialogs 500 --warmup 500 --max-window-ms 15000 --paced-ms 5000
 * --latency-runs 5 --targets sqlite,memory,redis,express,raw --profile` (`--profile`: the V8 CPU
 * profile of the SQLite server over the whole run, and where its time went). `--server-hook
 * <module>`: an experiment that wraps the SQLite server's store (see `ServerHook`). `--stalls`:
 * each paced phase relates its slowest events to the event-loop stalls of the server, the portal
 * and the load generator (a 1 ms timer in each: not for CPU figures).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRestClient } from '../src/bitrix/create-rest-client';
import { ensureBotRegistered } from '../src/bitrix/register-bot';
import { createEventBuilders } from '../src/testing/event-builders';
import { forkChild, preciseNow, type BenchChild } from './ipc';
import { watchStalls } from './stalls';
import { summariseProfile } from './profile-summary';
import {
  criteriaOf,
  formatReport,
  summariseSaturation,
  writeReport,
  type BenchReport,
} from './report';
import { runPhases } from './run-phases';
import { measureMetricsCost } from './metrics-cost';
import { measureScrape, type ScrapeFigures } from './scrape';
import {
  pin,
  placeLoadGenerator,
  startRedis,
  startTarget,
  type RedisServer,
  type Target,
  type TargetName,
} from './targets';

const CLIENT_ID = 'bench-client-id';
const APP_TOKEN = 'bench-application-token';
const ALL_TARGETS: TargetName[] = ['sqlite', 'express', 'memory', 'raw', 'redis'];
/** Measured only when asked for (`--targets sqlite,sqlite-nohistory,express`): the dialog history's cost. */
const KNOWN_TARGETS: TargetName[] = [...ALL_TARGETS, 'sqlite-nohistory', 'sqlite-queued'];

function settingsFrom(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      events: { type: 'string' },
      concurrency: { type: 'string' },
      'open-dialogs': { type: 'string' },
      warmup: { type: 'string' },
      'max-window-ms': { type: 'string' },
      'paced-ms': { type: 'string' },
      'latency-runs': { type: 'string' },
      targets: { type: 'string' },
      profile: { type: 'boolean' },
      'profile-load': { type: 'string' },
      quick: { type: 'boolean' },
      'server-hook': { type: 'string' },
      'loop-delay': { type: 'boolean' },
      stalls: { type: 'boolean' },
      'scrape-dialogs': { type: 'string' },
      'scrape-only': { type: 'boolean' },
    },
  });
  const num = (v: string | undefined, d: number): number => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bad number ${String(v)}`);
    return n;
  };
  const quick = values.quick === true;
  const targets = (values.targets?.split(',').map((s) => s.trim()) ?? ALL_TARGETS) as TargetName[];
  for (const t of targets)
    if (!KNOWN_TARGETS.includes(t))
      throw new Error(`unknown target ${t}; known: ${KNOWN_TARGETS.join(', ')}`);
  return {
    rounds: num(values.rounds, quick ? 1 : 3),
    eventsPerPhase: num(values.events, quick ? 1500 : 3000),
    concurrency: num(values.concurrency, 64),
    openDialogs: num(values['open-dialogs'], quick ? 200 : 500),
    warmupEvents: num(values.warmup, quick ? 300 : 500),
    maxWindowMs: num(values['max-window-ms'], 15_000),
    pacedMs: num(values['paced-ms'], quick ? 2000 : 5000),
    latencyRuns: num(values['latency-runs'], quick ? 1 : 5),
    fixedRates: [100, 500],
    saturationShares: [0.5, 0.8],
    targets,
    quick,
    profile: values.profile === true || values['profile-load'] !== undefined,
    /** Profile only the first phase of this load (`100/s`, `50% of saturation`...), not the whole run. */
    profileLoad: values['profile-load'],
    serverHook: values['server-hook'],
    loopDelay: values['loop-delay'] === true,
    /** Stall watchers in the server, the portal and the load generator (1000 wake-ups a second each). */
    stalls: values.stalls === true,
    /** Dialogs stored before timing /metrics scrapes (0: not measured). */
    scrapeDialogs:
      values['scrape-dialogs'] === undefined
        ? quick
          ? 0
          : 100_000
        : Number(values['scrape-dialogs']),
    scrapeOnly: values['scrape-only'] === true,
  };
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const loadBefore = loadavg();
  // The whole run stays bounded: later phases are skipped on a slow machine, and a hang aborts.
  const hardDeadlineMs = settings.quick ? 180_000 : 480_000;
  const lastPhaseStartMs = settings.quick ? 120_000 : 400_000;
  const tmp = mkdtempSync(path.join(tmpdir(), 'openlines-bench-'));
  const profileDir = path.join(__dirname, 'results', 'profiles');
  const children: BenchChild[] = [];
  let redis: RedisServer | undefined;
  const deadline = setTimeout(() => {
    process.stderr.write(`bench: over ${hardDeadlineMs} ms, aborting\n`);
    for (const c of children) c.child.kill('SIGKILL');
    void redis?.stop();
    process.exit(1);
  }, hardDeadlineMs);
  deadline.unref();
  const placement = placeLoadGenerator();
  const notRun: Record<string, string> = {};

  if (settings.scrapeOnly) {
    try {
      const scrape = await measureScrape({
        dir: tmp,
        dialogs: settings.scrapeDialogs || 1_000_000,
        log: (l) => process.stdout.write(`${l}\n`),
        placement,
      });
      process.stdout.write(`${formatScrape(scrape)}\n`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      clearTimeout(deadline);
    }
    return;
  }

  try {
    const portal = forkChild({
      entry: 'portal-child.ts',
      env: settings.stalls ? { BENCH_STALLS: '1' } : {},
      label: 'fake portal',
    });
    children.push(portal);
    const { webhookUrl, memberId } = (await portal.ready) as {
      webhookUrl: string;
      memberId: string;
    };
    if (placement.pinned) pin({ pid: portal.child.pid as number, cpu: placement.loadCpu });
    const admin = createRestClient({
      auth: { type: 'webhook', url: webhookUrl, clientId: CLIENT_ID },
    });
    const botId = await ensureBotRegistered(admin.api, {
      code: 'support',
      name: 'Support',
      apiVersion: 1,
      mode: 'webhook',
      url: 'http://127.0.0.1:9/events',
    });
    const serverEnv = (store: string): Record<string, string> => ({
      B24_WEBHOOK_URL: webhookUrl,
      B24_CLIENT_ID: CLIENT_ID,
      B24_APPLICATION_TOKEN: APP_TOKEN,
      B24_MEMBER_ID: memberId,
      OPENLINES_STORE: store,
      // The largest budget the configuration allows: 1000 requests/s of up to 50 calls each.
      B24_RATE_BURST: '10000',
      B24_RATE_PER_SECOND: '1000',
      LOG_LEVEL: 'info',
      ...(settings.loopDelay ? { BENCH_LOOP_DELAY: '1' } : {}),
      ...(settings.stalls ? { BENCH_STALLS: '1' } : {}),
    });

    const targets: Target[] = [];
    for (const name of settings.targets) {
      if (name === 'redis') {
        try {
          redis = await startRedis({ dir: tmp });
        } catch (e) {
          notRun.redis = e instanceof Error ? e.message : String(e);
          continue;
        }
      }
      const env =
        name === 'sqlite'
          ? {
              ...serverEnv(`sqlite:${path.join(tmp, 'state.db')}`),
              OPENLINES_SQLITE_COUNT_STATEMENTS: '1',
              ...(settings.serverHook ? { BENCH_SERVER_HOOK: settings.serverHook } : {}),
            }
          : name === 'sqlite-queued'
            ? {
                ...serverEnv(`sqlite:${path.join(tmp, 'state-queued.db')}`),
                OPENLINES_SQLITE_COUNT_STATEMENTS: '1',
                OPENLINES_INLINE_TURNS: 'off',
              }
            : name === 'sqlite-nohistory'
              ? {
                  ...serverEnv(`sqlite:${path.join(tmp, 'state-nohistory.db')}`),
                  OPENLINES_HISTORY: 'off',
                }
              : name === 'memory'
                ? serverEnv('memory:')
                : name === 'redis' && redis
                  ? serverEnv(`${redis.url}?prefix=${encodeURIComponent('bench:')}`)
                  : {};
      const t = await startTarget({
        name,
        placement,
        env,
        ...(name === 'redis' && redis ? { helperPid: redis.pid } : {}),
      });
      children.push(t.child);
      targets.push(t);
    }

    // The profiled server: the SQLite one, or the first SQLite variant asked for (sqlite-queued, sqlite-nohistory).
    const sqliteTarget =
      targets.find((t) => t.name === 'sqlite') ?? targets.find((t) => t.name.startsWith('sqlite'));
    const profileFile = path.join(profileDir, `${startedAt.replace(/[:.]/g, '-')}.cpuprofile`);
    if (settings.profile && sqliteTarget) {
      mkdirSync(profileDir, { recursive: true });
      if (settings.profileLoad === undefined) await sqliteTarget.child.call('profileStart');
    }
    // `--profile-load`: the profiler runs during the first phase of that load only.
    const profiled: { phase: 'waiting' | 'running' | 'done' } = { phase: 'waiting' };
    const around =
      settings.profileLoad !== undefined && sqliteTarget
        ? {
            before: async (target: Target, load: string) => {
              if (target !== sqliteTarget || load !== settings.profileLoad) return;
              if (profiled.phase !== 'waiting') return;
              profiled.phase = 'running';
              await sqliteTarget.child.call('profileStart');
            },
            after: async (target: Target) => {
              if (target !== sqliteTarget || profiled.phase !== 'running') return;
              profiled.phase = 'done';
              await sqliteTarget.child.call('profileStop', { file: profileFile });
            },
          }
        : undefined;
    const builders = createEventBuilders({
      memberId,
      applicationToken: APP_TOKEN,
      botId,
      botCode: 'support',
    });
    // --stalls: this process (the load generator) watches its own event loop too.
    const loadStalls = settings.stalls ? watchStalls({ now: preciseNow }) : undefined;
    const totals = await runPhases({
      settings: { ...settings, startNoLaterThan: started + lastPhaseStartMs },
      builders,
      targets,
      portal,
      log: (line) => process.stdout.write(`${line}\n`),
      ...(around ? { around } : {}),
      ...(loadStalls ? { stalls: loadStalls } : {}),
    });
    loadStalls?.stop();
    if (settings.profileLoad !== undefined && profiled.phase !== 'done')
      throw new Error(
        `--profile-load: no phase "${settings.profileLoad}" of the SQLite server ran`,
      );

    if (settings.profile && settings.profileLoad === undefined && sqliteTarget)
      await sqliteTarget.child.call('profileStop', { file: profileFile });
    const metricsText = sqliteTarget
      ? await (await fetch(`http://127.0.0.1:${sqliteTarget.port}/metrics`)).text()
      : '';
    const logBytes = sqliteTarget?.child.stdoutBytes() ?? 0;
    const sqliteEvents = totals.saturation
      .concat(totals.paced)
      .filter((p) => p.target === 'sqlite')
      .reduce((n, p) => n + p.sent, 0);
    const sqliteStatements = sqliteTarget
      ? (
          await sqliteTarget.child.call<Array<{ sql: string; count: number }>>('sqliteBySource')
        ).map((x) => ({ sql: x.sql, perEvent: x.count / Math.max(1, sqliteEvents) }))
      : [];
    await Promise.all(children.map((c) => c.stop()));
    await redis?.stop();
    const metricsCost = await measureMetricsCost();
    const scrape =
      settings.scrapeDialogs > 0
        ? await measureScrape({
            dir: tmp,
            dialogs: settings.scrapeDialogs,
            log: (l) => process.stdout.write(`${l}\n`),
            placement,
          })
        : undefined;

    const report: BenchReport = {
      startedAt,
      durationMs: Date.now() - started,
      machine: {
        node: process.version,
        cpus: cpus().length,
        pinned: placement.pinned,
        loadavgBefore: loadBefore,
        loadavgAfter: loadavg(),
      },
      settings: {
        ...settings,
        meanBodyBytes: totals.meanBodyBytes,
        portalRateLimit: 'off',
        serverRateBudget:
          'burst 10000, 1000 requests/s (B24_RATE_BURST / B24_RATE_PER_SECOND maximum)',
        stores:
          'sqlite (temp file, WAL, synchronous NORMAL); memory; redis (private redis-server, appendonly everysec)',
        eventFormat: 'v1 ONIMBOTJOINCHAT / ONIMBOTMESSAGEADD / ONIMCOMMANDADD form bodies',
      },
      saturation: summariseSaturation({ phases: totals.saturation }),
      phases: [...totals.saturation, ...totals.paced],
      criteria: criteriaOf({ saturation: totals.saturation, paced: totals.paced }),
      skipped: totals.skipped,
      sqliteStatements,
      metricsCost,
      ...(scrape ? { scrape } : {}),
      notRun,
      portal: totals.portal,
      server: { logBytes, metrics: pickMetrics({ text: metricsText }) },
      ...(settings.profile && sqliteTarget
        ? {
            profile: {
              file: path.relative(process.cwd(), profileFile),
              summary: summariseProfile({ file: profileFile }),
            },
          }
        : {}),
    };
    process.stdout.write(formatReport({ report }));
    if (scrape) process.stdout.write(`${formatScrape(scrape)}\n`);
    const file = writeReport({ report, dir: path.join(__dirname, 'results') });
    process.stdout.write(`written: ${file} and bench/results/latest.json\n`);
    const failed = report.phases.some(
      (p) => Object.keys(p.failures).length > 0 || (p.firstCallMissing ?? 0) > 0,
    );
    if (failed) {
      process.stderr.write(
        'bench: some requests failed or some events got no REST call (see the report)\n',
      );
      process.exitCode = 1;
    }
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
    clearTimeout(deadline);
  }
}

function formatScrape(s: ScrapeFigures): string {
  return `/metrics with ${s.dialogs} dialogs stored (populated through the store API in ${s.populateSeconds.toFixed(1)} s): scrape p50 ${s.scrape.p50.toFixed(2)} ms, p99 ${s.scrape.p99.toFixed(2)} ms, max ${s.scrape.max.toFixed(2)} ms (n=${s.scrape.n}; HTTP, store stats, prom-client with default process metrics), of which store.stats() p50 ${s.stats.p50.toFixed(3)} ms; a no-op route over the same connection, alternating: p50 ${s.noop.p50.toFixed(2)} ms, p99 ${s.noop.p99.toFixed(2)} ms, max ${s.noop.max.toFixed(2)} ms; the COUNT(*) queries a scanning scrape would run: p50 ${s.countScan.p50.toFixed(1)} ms`;
}

/** The server metrics worth a line in the report (Prometheus text → numbers). */
function pickMetrics(options: { text: string }): Record<string, number> {
  const wanted =
    /^openlines_(effects_total|turns_total|rest_requests_total|rate_limit_wait_seconds_sum|rate_limit_wait_seconds_count|dead_letters|admission_wait_seconds_sum|admission_wait_seconds_count)\b/;
  const out: Record<string, number> = {};
  for (const line of options.text.split('\n')) {
    if (!wanted.test(line)) continue;
    const cut = line.lastIndexOf(' ');
    out[line.slice('openlines_'.length, cut)] = Number(line.slice(cut + 1));
  }
  // The client records a wait only when it had to wait: no series means the budget never held a call back.
  out.rate_limit_wait_seconds_count ??= 0;
  // Likewise for events held back at admission (the backlog was full).
  out['admission_wait_seconds_count{outcome="admitted"}'] ??= 0;
  return out;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
