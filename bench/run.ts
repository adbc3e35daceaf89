/**
 * `npm run bench`: on loopback, with a fake portal, measures (a) acknowledged events/s and
 * acknowledgement latency of the real server with `bots/support` on SQLite, (b) the same load
 * against a bare express 5 + `express.urlencoded({ extended: true })` handler, (c) their ratio,
 * (d) the time from an event's sending to its first REST call reaching the portal. (a) and (b)
 * run in interleaved rounds, each server in its own child process.
 *
 * Short phases, many rounds: the load of a shared machine changes within seconds, and both
 * targets should see the same. Options: `--rounds 6 --events 3000 --concurrency 64 --open-dialogs 500 --warmup 500
 * --max-window-ms 15000 --paced-rate 250 --profile` (`--paced-rate`: the paced phase's events/s, to
 * compare two builds at the same load; default half of what round 1 processed. `--profile`: the V8 CPU profiler on the openlines server
 * during the measured phases, as `--cpu-prof` would record it, and a summary of where its time
 * went). `--quick`: one small round (a smoke run). `--server-hook <module>`: an experiment that
 * wraps the openlines server's SQLite store (see `ServerHook` in `server-child.ts`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRestClient } from '../src/bitrix/create-rest-client';
import { ensureBotRegistered } from '../src/bitrix/register-bot';
import { createEventBuilders } from '../src/testing/event-builders';
import { forkChild, type BenchChild } from './ipc';
import { runPhases, type PhaseTotals } from './run-phases';
import { summariseProfile } from './profile-summary';
import { spread } from './stats';
import { formatReport, writeReport, type BenchReport } from './report';

const CLIENT_ID = 'bench-client-id';
const APP_TOKEN = 'bench-application-token';
/** The whole run must stay bounded (under 3 minutes): later rounds are skipped on a slow machine. */
const HARD_DEADLINE_MS = 175_000;
const LAST_ROUND_START_MS = 120_000;

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
      profile: { type: 'boolean' },
      quick: { type: 'boolean' },
      'server-hook': { type: 'string' },
      'paced-rate': { type: 'string' },
    },
  });
  const num = (v: string | undefined, d: number): number => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bad number ${String(v)}`);
    return n;
  };
  const quick = values.quick === true;
  return {
    rounds: num(values.rounds, quick ? 1 : 6),
    eventsPerPhase: num(values.events, 3000),
    concurrency: num(values.concurrency, 64),
    openDialogs: num(values['open-dialogs'], quick ? 200 : 500),
    warmupEvents: num(values.warmup, 500),
    maxWindowMs: num(values['max-window-ms'], 15_000),
    profile: values.profile === true,
    serverHook: values['server-hook'],
    ...(values['paced-rate'] !== undefined ? { pacedRate: num(values['paced-rate'], 0) } : {}),
  };
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const loadBefore = loadavg();
  const tmp = mkdtempSync(path.join(tmpdir(), 'openlines-bench-'));
  const profileDir = path.join(__dirname, 'results', 'profiles');
  const children: BenchChild[] = [];
  const deadline = setTimeout(() => {
    process.stderr.write(`bench: over ${HARD_DEADLINE_MS} ms, aborting\n`);
    for (const c of children) c.child.kill('SIGKILL');
    process.exit(1);
  }, HARD_DEADLINE_MS);
  deadline.unref();

  try {
    const portal = forkChild({ entry: 'portal-child.ts', env: {}, label: 'fake portal' });
    children.push(portal);
    const { webhookUrl, memberId } = (await portal.ready) as { webhookUrl: string; memberId: string };
    const admin = createRestClient({ auth: { type: 'webhook', url: webhookUrl, clientId: CLIENT_ID } });
    const botId = await ensureBotRegistered(admin.api, {
      code: 'support',
      name: 'Support',
      apiVersion: 1,
      mode: 'webhook',
      url: 'http://127.0.0.1:9/events',
    });

    const openlines = forkChild({
      entry: 'server-child.ts',
      label: 'openlines server',
      env: {
        BENCH_TARGET: 'openlines',
        B24_WEBHOOK_URL: webhookUrl,
        B24_CLIENT_ID: CLIENT_ID,
        B24_APPLICATION_TOKEN: APP_TOKEN,
        B24_MEMBER_ID: memberId,
        OPENLINES_STORE: `sqlite:${path.join(tmp, 'state.db')}`,
        // The largest budget the configuration allows: 1000 requests/s of up to 50 calls each.
        B24_RATE_BURST: '10000',
        B24_RATE_PER_SECOND: '1000',
        LOG_LEVEL: 'info',
        ...(settings.serverHook ? { BENCH_SERVER_HOOK: settings.serverHook } : {}),
      },
    });
    children.push(openlines);
    const express = forkChild({ entry: 'server-child.ts', label: 'express baseline', env: { BENCH_TARGET: 'express' } });
    children.push(express);
    const [{ port: openlinesPort }, { port: expressPort }] = (await Promise.all([openlines.ready, express.ready])) as [
      { port: number },
      { port: number },
    ];

    const builders = createEventBuilders({ memberId, applicationToken: APP_TOKEN, botId, botCode: 'support' });
    const profileFile = path.join(profileDir, `${startedAt.replace(/[:.]/g, '-')}.cpuprofile`);
    if (settings.profile) {
      mkdirSync(profileDir, { recursive: true });
      await openlines.call('profileStart');
    }
    const totals: PhaseTotals = await runPhases({
      settings: { ...settings, startNoLaterThan: started + LAST_ROUND_START_MS },
      builders,
      openlines: { child: openlines, port: openlinesPort },
      express: { child: express, port: expressPort },
      portal,
      log: (line) => process.stdout.write(`${line}\n`),
    });

    if (settings.profile) await openlines.call('profileStop', { file: profileFile });
    const metricsText = await (await fetch(`http://127.0.0.1:${openlinesPort}/metrics`)).text();
    const logBytes = openlines.stdoutBytes();
    await Promise.all(children.map((c) => c.stop()));

    const profile: BenchReport['profile'] = settings.profile
      ? { file: path.relative(process.cwd(), profileFile), summary: summariseProfile({ file: profileFile }) }
      : undefined;

    const report: BenchReport = {
      startedAt,
      durationMs: Date.now() - started,
      machine: { node: process.version, cpus: cpus().length, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
      settings: {
        ...settings,
        meanBodyBytes: totals.meanBodyBytes,
        portalRateLimit: 'off',
        serverRateBudget: 'burst 10000, 1000 requests/s (B24_RATE_BURST / B24_RATE_PER_SECOND maximum)',
        store: 'sqlite (temp file, WAL)',
        eventFormat: 'v1 ONIMBOTJOINCHAT / ONIMBOTMESSAGEADD / ONIMCOMMANDADD form bodies, bot id 7',
      },
      rounds: totals.rounds,
      skippedRounds: totals.skippedRounds,
      openlines: totals.openlines,
      openlinesProcessedPerSecond: totals.openlinesProcessedPerSecond,
      express: totals.express,
      ratio: totals.openlines.eventsPerSecond / totals.express.eventsPerSecond,
      ratioMedianOfRounds: spread({ values: totals.rounds.map((x) => x.openlines.eventsPerSecond / x.express.eventsPerSecond) }).p50,
      firstRestCall: totals.firstRestCall,
      ...(totals.paced ? { pacedFirstRestCall: totals.paced } : {}),
      portal: totals.portal,
      server: { logBytes, metrics: pickMetrics({ text: metricsText }) },
      ...(profile ? { profile } : {}),
    };
    process.stdout.write(formatReport({ report }));
    const file = writeReport({ report, dir: path.join(__dirname, 'results') });
    process.stdout.write(`written: ${file} and bench/results/latest.json\n`);
    const failed = Object.keys(totals.openlines.failures).length + Object.keys(totals.express.failures).length;
    if (failed > 0) process.exitCode = 1;
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    clearTimeout(deadline);
  }
}

/** The server metrics worth a line in the report (Prometheus text → numbers). */
function pickMetrics(options: { text: string }): Record<string, number> {
  const wanted = /^openlines_(effects_total|turns_total|rest_requests_total|rate_limit_wait_seconds_sum|rate_limit_wait_seconds_count|dead_letters)\b/;
  const out: Record<string, number> = {};
  for (const line of options.text.split('\n')) {
    if (!wanted.test(line)) continue;
    const cut = line.lastIndexOf(' ');
    out[line.slice('openlines_'.length, cut)] = Number(line.slice(cut + 1));
  }
  // The client records a wait only when it had to wait: no series means the budget never held a call back.
  out.rate_limit_wait_seconds_count ??= 0;
  return out;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
