/**
 * A server under test, in its own process. `BENCH_TARGET=openlines`: the real server
 * (`createServer`) with `bots/support`, configured from the environment exactly as
 * `openlines-bot serve` is (`OPENLINES_STORE` picks SQLite, memory or Redis; pino logs on stdout).
 * `BENCH_TARGET=express`: a bare express 5 handler behind `express.urlencoded({ extended: true })`
 * that only answers 200. `BENCH_TARGET=raw`: `node:http` alone, reading the body and answering 200.
 */
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import supportBot from '../bots/support/bot';
import { loadConfig } from '../src/config/load-config';
import { admissionFromEnv, historyFromEnv, inlineTurnsFromEnv } from '../src/config/runtime-env';
import { createServer } from '../src/http/create-server';
import { createLogger } from '../src/logger';
import { sqliteCounts, sqliteCountsBySource } from '../src/store/sqlite-counters';
import { sqliteStore } from '../src/store/sqlite-store';
import type { Store } from '../src/store/store';
import { watchGcPauses } from './gc-pauses';
import { watchStalls } from './stalls';
import { preciseNow, serveParent } from './ipc';

/** What a `--server-hook` module exports: a way to swap parts of the server for an experiment. */
export interface ServerHook {
  wrapStore(options: { store: Store; path: string }): Store;
}

/** GC pauses of this process since the last `gc` request (each phase reads and restarts them). */
const gcPauses = watchGcPauses();

/**
 * With `BENCH_LOOP_DELAY=1` (`--loop-delay`): the event loop's longest delay per phase, sampled
 * every 10 ms (100 wake-ups a second of its own: a diagnosis of latency, not for CPU figures).
 */
const loopDelay =
  process.env.BENCH_LOOP_DELAY === '1' ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
loopDelay?.enable();

/** With `BENCH_STALLS=1` (`--stalls`): this process's event-loop stalls, for each phase. */
const stalls = process.env.BENCH_STALLS === '1' ? watchStalls({ now: preciseNow }) : undefined;

/** Handlers every target answers. */
const common = {
  stalls: async () => stalls?.take() ?? [],
  cpu: async () => process.cpuUsage(),
  now: async () => preciseNow(),
  gc: async () => {
    const pauses = gcPauses.take();
    if (!loopDelay) return pauses;
    const loopMaxMs = loopDelay.max / 1e6;
    loopDelay.reset();
    return { ...pauses, loopMaxMs };
  },
};

async function openlines(): Promise<void> {
  const config = loadConfig({ env: process.env });
  const logger = createLogger({ level: config.logLevel });
  const hookPath = process.env.BENCH_SERVER_HOOK;
  let store: Store | undefined;
  if (hookPath && config.store.kind === 'sqlite') {
    // An experiment (e.g. a cheaper query) measured against the same load; never the default.
    // Through CommonJS require, so that tsx compiles a `.ts` hook like the rest of the bench.
    const hook = createRequire(__filename)(path.resolve(hookPath)) as ServerHook;
    store = hook.wrapStore({
      store: sqliteStore({ path: config.store.path }),
      path: config.store.path,
    });
  }
  // The same runtime settings from the environment as `serve` (e.g. OPENLINES_HISTORY=off).
  const history = historyFromEnv(process.env);
  const inlineTurns = inlineTurnsFromEnv(process.env);
  const admission = admissionFromEnv(process.env);
  const server = createServer({
    bots: [supportBot],
    config,
    logger,
    runtimeOptions: {
      ...(history !== undefined ? { history } : {}),
      ...(inlineTurns !== undefined ? { inlineTurns } : {}),
      ...(admission !== undefined ? { admission } : {}),
    },
    ...(store ? { store, closeStore: true } : {}),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  serveParent({
    info: { port, store: server.store.kind },
    handlers: {
      ...common,
      idle: async () => {
        await server.runtime.idle?.();
        return preciseNow();
      },
      sqlite: async () => sqliteCounts(),
      sqliteBySource: async () => sqliteCountsBySource().slice(0, 20),
      ...profilerHandlers(),
      stop: async () => {
        await server.close({ deadlineMs: 10_000 });
        process.exit(0);
      },
    },
  });
}

/**
 * CPU profiling of the measured phases only (start-up and module loading excluded), through the
 * inspector: the same V8 profiler as `--cpu-prof`.
 */
function profilerHandlers(): Record<
  string,
  (payload: Record<string, unknown>) => Promise<unknown>
> {
  const session = new Session();
  let started = false;
  return {
    profileStart: async () => {
      if (started) return true;
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 1000 });
      await session.post('Profiler.start');
      started = true;
      return true;
    },
    profileStop: async (payload) => {
      if (!started) return false;
      const { profile } = await session.post('Profiler.stop');
      started = false;
      writeFileSync(String(payload.file), JSON.stringify(profile));
      return true;
    },
  };
}

/** Serves a baseline `http` server to the parent. */
async function serveBaseline(http: Server): Promise<void> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  serveParent({
    info: { port: (http.address() as AddressInfo).port },
    handlers: {
      ...common,
      idle: async () => preciseNow(),
      stop: async () => {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        process.exit(0);
      },
    },
  });
}

function expressBaseline(): Promise<void> {
  const app = express();
  app.post('/events', express.urlencoded({ extended: true }), (_req, res) => {
    res.status(200).json({ status: 'accepted' });
  });
  return serveBaseline(createHttpServer(app));
}

function rawBaseline(): Promise<void> {
  const answer = JSON.stringify({ status: 'accepted' });
  return serveBaseline(
    createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(answer),
        });
        res.end(answer);
      });
    }),
  );
}

if (require.main === module) {
  const target = process.env.BENCH_TARGET;
  (target === 'express' ? expressBaseline() : target === 'raw' ? rawBaseline() : openlines()).catch(
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
