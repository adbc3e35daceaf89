/**
 * `/metrics` with many dialogs in the store: populates a SQLite store through its own API
 * (`commitTurn`, group-committed), then times scrapes of the real ops router over loopback, served
 * by a process of its own (`scrape-child.ts`, on the server core when pinned) as a scraped server
 * is, and, as the baseline, the `COUNT(*)` queries a scan-based scrape would run on the same file.
 */
import { Agent, get } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteStore } from '../src/store/sqlite-store';
import { forkChild, preciseNow } from './ipc';
import { spread, type Spread } from './stats';
import { pin, type Placement } from './targets';

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

const SCRAPES = 100;
/** Requests of each route before timing: the scraped process has just started (cold JIT). */
const WARMUP_SCRAPES = 20;

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
  /** Where the scraped server runs (pinned to the server core when the run pins). */
  placement?: Placement;
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
  // The file is handed to the scraped server: one process per SQLite file.
  await store.close();
  const server = forkChild({
    entry: 'scrape-child.ts',
    env: { SCRAPE_DB: file },
    label: 'scraped server',
  });
  const scrapes: number[] = [];
  const noops: number[] = [];
  let statsTimes: number[] = [];
  // One kept-alive connection, as a Prometheus server scrapes (fetch's own client costs more than
  // the scrape and would be measured with it).
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { port } = (await server.ready) as { port: number };
    if (options.placement?.pinned && server.child.pid !== undefined)
      pin({ pid: server.child.pid, cpu: options.placement.serverCpu });
    const base = `http://127.0.0.1:${port}`;
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
    statsTimes = await server.call<number[]>('stats', { n: SCRAPES });
    for (let i = 0; i < SCRAPES + WARMUP_SCRAPES; i++) {
      const s = preciseNow();
      const text = await scrapeText();
      if (i >= WARMUP_SCRAPES) scrapes.push(preciseNow() - s);
      const n = preciseNow();
      if ((await scrapeText('/noop')) !== 'ok') throw new Error('the no-op route did not answer');
      if (i >= WARMUP_SCRAPES) noops.push(preciseNow() - n);
      if (!text.includes(`openlines_active_dialogs ${options.dialogs}`))
        throw new Error('the scrape does not show every stored dialog');
    }
  } finally {
    agent.destroy();
    await server.stop();
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
