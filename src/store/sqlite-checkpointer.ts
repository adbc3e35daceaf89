/**
 * WAL checkpoints off the event loop. By default SQLite checkpoints inside the COMMIT that takes
 * the write-ahead log past 1000 pages: that one commit copies the pages into the database file and
 * waits for two fsyncs, so the event loop (every webhook answer, every turn) stops for as long as
 * the disk takes. The store moves that threshold far out on its own connection and lets a worker
 * thread, with a connection of its own, run `PRAGMA wal_checkpoint(PASSIVE)` every
 * {@link CHECKPOINT_EVERY_MS}.
 * A passive checkpoint never blocks a writer (the store keeps appending to the log while it runs)
 * and copies nothing when nothing is new, so an idle store pays a wake-up of the worker only.
 *
 * Durability is unchanged: a commit is durable once in the log; the checkpoint only moves it into
 * the database file. If the worker cannot run (no worker threads, a failed start), the store goes
 * back to SQLite's own automatic checkpoints; while it runs, they stay on as a backstop at
 * {@link BACKSTOP_PAGES}.
 */
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints. */
export const CHECKPOINT_EVERY_MS = 200;

/** The log size (pages) at which SQLite checkpoints by itself; the store's fallback. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
/**
 * The backstop while the worker runs: should the worker fall behind (a passive checkpoint that
 * never catches up with a store writing without pause, so the log is never restarted), the
 * store's own commit checkpoints once the log holds this many pages (40 MiB of 4 KiB pages).
 */
export const BACKSTOP_PAGES = 10_000;

/** What the worker reports (only failures; a passive checkpoint that found readers is not one). */
interface WorkerMessage {
  type: 'error';
  message: string;
}

// Plain CommonJS: it runs as given (`eval`), with no TypeScript loader in the worker.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: 0 });
db.pragma('synchronous = ' + workerData.synchronous);
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    // SQLITE_BUSY: another checkpoint or a restart of the log is under way; the next tick retries.
    if (!e || e.code !== 'SQLITE_BUSY') parentPort.postMessage({ type: 'error', message: String(e && e.message) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer. */
export interface SqliteCheckpointer {
  /** Stops the worker (after one last checkpoint) and waits until its connection is closed. */
  stop(): Promise<void>;
}

/** The parts of a connection the checkpointer sets. */
interface PragmaTarget {
  pragma(source: string): unknown;
}

/**
 * Starts checkpointing `path` from a worker thread and moves the automatic checkpoints of `db` out
 * to {@link BACKSTOP_PAGES}. `onError` hears about a checkpoint that failed for another reason than
 * a busy lock, or a worker that died; the automatic checkpoints of `db` are then set back to
 * SQLite's 1000 pages.
 *
 * @example
 * const checkpointer = startCheckpointer({ db, path, synchronous: 'NORMAL', onError: (m) => logger.warn(m) });
 * // ... on close:
 * await checkpointer.stop();
 */
export function startCheckpointer(options: {
  db: PragmaTarget;
  path: string;
  synchronous: 'NORMAL' | 'FULL';
  everyMs?: number;
  onError?: (message: string) => void;
}): SqliteCheckpointer {
  const { db } = options;
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: require.resolve('better-sqlite3'),
        path: options.path,
        synchronous: options.synchronous,
        everyMs: options.everyMs ?? CHECKPOINT_EVERY_MS,
      },
    });
  } catch (cause) {
    options.onError?.(`the checkpoint worker did not start: ${(cause as Error).message}`);
    return { stop: () => Promise.resolve() };
  }
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let stopping = false;
  let fellBack = false;
  const fallBack = (message: string): void => {
    options.onError?.(message);
    if (fellBack) return;
    fellBack = true;
    try {
      db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    } catch {
      // The connection is closed already: nothing to fall back to.
    }
  };
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'error') fallBack(`a WAL checkpoint failed: ${m.message}`);
  });
  worker.on('error', (e) => fallBack(`the checkpoint worker failed: ${e.message}`));
  // The worker must not keep the process alive: a store nobody closed does not hang the exit.
  // After the listeners: adding a 'message' listener refs the worker's port again.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => {
    if (!stopping) fallBack('the checkpoint worker exited');
  });
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      // Closing waits for the worker: keep the process alive until it has.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
