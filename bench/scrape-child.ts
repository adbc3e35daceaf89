/**
 * The server side of the `/metrics` measurement, in its own process as a scraped server is: the
 * ops router (store stats, prom-client with its default process metrics) on the SQLite store the
 * parent populated (`SCRAPE_DB`), and a no-op route beside it. `stats` times `store.stats()`
 * alone, in this process.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createOpsRouter } from '../src/http/create-ops-router';
import { silentLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { sqliteStore } from '../src/store/sqlite-store';
import { preciseNow, serveParent } from './ipc';

async function main(): Promise<void> {
  const file = process.env.SCRAPE_DB;
  if (!file) throw new Error('SCRAPE_DB is not set');
  const store = sqliteStore({ path: file });
  const app = express();
  app.get('/noop', (_req, res) => {
    res.end('ok');
  });
  app.use(createOpsRouter({ store, metrics: createMetrics(), logger: silentLogger() }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  serveParent({
    info: { port: (server.address() as AddressInfo).port },
    handlers: {
      stats: async (payload) => {
        const times: number[] = [];
        for (let i = 0; i < Number(payload.n ?? 30); i++) {
          const s = preciseNow();
          await store.stats();
          times.push(preciseNow() - s);
        }
        return times;
      },
      stop: async () => {
        await new Promise((r) => server.close(r));
        await store.close();
        process.exit(0);
      },
    },
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
