/**
 * `/metrics` with many dialogs in the store: populates a SQLite store through its own API
 * (`commitTurn`, group-committed), then times scrapes of the real ops router over loopback, and,
 * as the baseline, the `COUNT(*)` queries a scan-based scrape would run on the same file.
 */
import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { createOpsRouter } from '../src/http/create-ops-router';
import { silentLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { sqliteStore } from '../src/store/sqlite-store';
import { preciseNow } from './ipc';
import { spread, type Spread } from './stats';

/** What {@link measureScrape} reports. */
export interface ScrapeFigures {
  dialogs: number;
  populateSeconds: number;
  /** Whole `/metrics` requests (HTTP, store stats, prom-client rendering), ms. */
  scrape: Spread;
  /** `store.stats()` alone (what the scrape reads from the store), ms. */
  stats: Spread;
  /**
   * The baseline of the same run: a route that only answers `ok`, requested over the same
   * connection, alternating with the scrapes. What any request costs here, outliers included.
   */
  noop: Spread;
  /** The COUNT(*) statements of a scan-based scrape on the same file, ms. */
  countScan: Spread;
}

const SCRAPES = 30;

/**
 * Populates `dialogs` dialogs, then scrapes.
 *
 * @example
 * const figures = await measureScrape({ dir: tmp, dialogs: 1_000_000, log: console.log });
 */
export async function measureScrape(options: {
  dir: string;
  dialogs: number;
  log: (line: string) => void;
}): Promise<ScrapeFigures> {
  const file = path.join(options.dir, 'scrape.db');
  const store = sqliteStore({ path: file });
  const t0 = preciseNow();
  const now = Date.now();
  const snapshot = { value: 'waiting', context: { step: 1 } };
  for (let start = 0; start < options.dialogs; start += 500) {
    const writes: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(options.dialogs, start + 500); i++) {
      writes.push(
        store.commitTurn(`bench-portal:7:${i}`, {
          expectedRevision: 0,
          snapshot,
          botVersion: '1',
          effects: [],
          timers: [],
          now,
        }),
      );
    }
    await Promise.all(writes);
    if (start % 100_000 === 0 && start > 0) options.log(`scrape: ${start} dialogs stored`);
  }
  const populateSeconds = (preciseNow() - t0) / 1000;
  const app = express();
  app.get('/noop', (_req, res) => {
    res.end('ok');
  });
  app.use(createOpsRouter({ store, metrics: createMetrics(), logger: silentLogger() }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scrapes: number[] = [];
  const noops: number[] = [];
  const statsTimes: number[] = [];
  // One kept-alive connection, as a Prometheus server scrapes (fetch's own client costs more than
  // the scrape and would be measured with it).
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const scrapeText = (route = '/metrics'): Promise<string> =>
    new Promise((resolve, reject) => {
      get(`${base}${route}`, { agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      }).on('error', reject);
    });
  try {
    for (let i = 0; i < SCRAPES; i++) {
      const s = preciseNow();
      await store.stats();
      statsTimes.push(preciseNow() - s);
    }
    for (let i = 0; i < SCRAPES + 3; i++) {
      const s = preciseNow();
      const text = await scrapeText();
      if (i >= 3) scrapes.push(preciseNow() - s);
      const n = preciseNow();
      if ((await scrapeText('/noop')) !== 'ok') throw new Error('the no-op route did not answer');
      if (i >= 3) noops.push(preciseNow() - n);
      if (!text.includes(`openlines_active_dialogs ${options.dialogs}`))
        throw new Error('the scrape does not show every stored dialog');
    }
  } finally {
    agent.destroy();
    await new Promise((r) => server.close(r));
    await store.close();
  }
  const db = new Database(file, { readonly: true });
  const count = db.prepare(
    `SELECT (SELECT COUNT(*) FROM dialogs WHERE revision > 0 AND snapshot IS NOT NULL),
       (SELECT COUNT(*) FROM inbox), (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'inflight')),
       (SELECT COUNT(*) FROM outbox WHERE status = 'dead'), (SELECT COALESCE(SUM(pending_timers), 0) FROM dialogs)`,
  );
  const scans: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = preciseNow();
    count.get();
    scans.push(preciseNow() - s);
  }
  db.close();
  return {
    dialogs: options.dialogs,
    populateSeconds,
    scrape: spread({ values: scrapes }),
    stats: spread({ values: statsTimes }),
    noop: spread({ values: noops }),
    countScan: spread({ values: scans }),
  };
}
