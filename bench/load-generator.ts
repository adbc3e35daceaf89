/**
 * The load generator: keep-alive HTTP clients with a fixed number of requests in flight, many
 * dialogs open at once, each dialog's events sent strictly one after the other (a dialog never
 * has two events in flight, as with Bitrix24, which sends a chat's events in order).
 */
import { Agent, request } from 'node:http';
import { preciseNow } from './ipc';
import type { DialogScript } from './workload';

/** Options of {@link runLoad}. */
export interface RunLoadOptions {
  port: number;
  dialogs: readonly DialogScript[];
  /** Requests in flight at any time. */
  concurrency: number;
  /** Dialogs open at the same time. */
  openDialogs: number;
  /** Responses before measuring starts (JIT, caches, store warm-up). */
  warmupEvents: number;
  /** The measurement window also closes after this long (bounds the run). */
  maxWindowMs: number;
  /** Open-loop pacing: at most this many requests per second (default: as fast as answers come). */
  ratePerSecond?: number;
}

/** What one load phase measured. */
export interface LoadResult {
  /** Length of the measurement window (ms). */
  windowMs: number;
  /** 2xx responses completed inside the window. */
  acked: number;
  /** Every request sent in the phase (window or not). */
  sent: number;
  /** Non-2xx answers and transport errors, by status (`error` for the latter). */
  failures: Record<string, number>;
  /** Acknowledgement latencies (ms) of requests sent inside the window. */
  latenciesMs: Float64Array;
  /** Send time (wall ms) of each dialog's join sent inside the window, by chat id. */
  joinSentAt: Map<string, number>;
  /** Send time of each order-number message sent inside the window, by order number. */
  orderSentAt: Map<string, number>;
  /** Mean body size (bytes). */
  meanBodyBytes: number;
  /** Wall time of the first send and of the last answer. */
  startedAt: number;
  endedAt: number;
}

interface Open {
  script: DialogScript;
  step: number;
}

/**
 * Sends every dialog's events and measures. The window opens after `warmupEvents` responses and
 * closes when the last dialog is opened (afterwards fewer dialogs remain open, so the load would
 * no longer be the configured one) or after `maxWindowMs`; no new dialog opens after that.
 *
 * @example
 * const result = await runLoad({ port, dialogs, concurrency: 64, openDialogs: 500, warmupEvents: 2000, maxWindowMs: 30_000 });
 */
export function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const ready: Open[] = [];
  let readyHead = 0;
  let nextDialog = 0;
  let inFlight = 0;
  let completed = 0;
  let sent = 0;
  let bodyBytes = 0;
  let windowStart = Number.NaN;
  let windowEnd = Number.NaN;
  let pacer: NodeJS.Timeout | undefined;
  const startedAt = preciseNow();
  let acked = 0;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const joinSentAt = new Map<string, number>();
  const orderSentAt = new Map<string, number>();
  const inWindow = (t: number): boolean => t >= windowStart && !(t > windowEnd);

  const openNext = (): void => {
    if (nextDialog >= options.dialogs.length || !Number.isNaN(windowEnd)) return;
    ready.push({ script: options.dialogs[nextDialog++] as DialogScript, step: 0 });
    if (nextDialog === options.dialogs.length && !Number.isNaN(windowStart))
      windowEnd = preciseNow();
  };
  for (let i = 0; i < options.openDialogs; i++) openNext();

  return new Promise((resolve) => {
    const finishIfDone = (): void => {
      if (inFlight > 0 || readyHead < ready.length) return;
      agent.destroy();
      if (Number.isNaN(windowEnd)) windowEnd = preciseNow();
      resolve({
        windowMs: Number.isNaN(windowStart) ? 0 : windowEnd - windowStart,
        acked,
        sent,
        failures,
        latenciesMs: Float64Array.from(latencies),
        joinSentAt,
        orderSentAt,
        meanBodyBytes: sent > 0 ? bodyBytes / sent : 0,
        startedAt,
        endedAt: preciseNow(),
      });
    };

    const done = (open: Open, sentAt: number, status: string): void => {
      const now = preciseNow();
      inFlight--;
      completed++;
      if (status === '200') {
        if (inWindow(now)) acked++;
        if (inWindow(sentAt)) latencies.push(now - sentAt);
      } else {
        failures[status] = (failures[status] ?? 0) + 1;
      }
      if (completed === options.warmupEvents) windowStart = now;
      if (
        !Number.isNaN(windowStart) &&
        Number.isNaN(windowEnd) &&
        now - windowStart >= options.maxWindowMs
      )
        windowEnd = now;
      open.step++;
      if (open.step < open.script.bodies.length) ready.push(open);
      else openNext();
      pump();
    };

    const send = (open: Open): void => {
      const body = open.script.bodies[open.step] as Buffer;
      const kind = open.script.kinds[open.step];
      inFlight++;
      sent++;
      bodyBytes += body.length;
      let answered = false;
      const answer = (status: string): void => {
        if (answered) return;
        answered = true;
        done(open, sentAt, status);
      };
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port: options.port,
          method: 'POST',
          path: '/events',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': body.length,
          },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => answer(String(res.statusCode)));
          res.on('error', () => answer('error'));
        },
      );
      req.on('error', () => answer('error'));
      const sentAt = preciseNow();
      if (inWindow(sentAt)) {
        if (kind === 'join') joinSentAt.set(String(open.script.chatId), sentAt);
        if (kind === 'order-number' && open.script.orderNumber)
          orderSentAt.set(open.script.orderNumber, sentAt);
      }
      req.end(body);
    };

    const pump = (): void => {
      while (inFlight < options.concurrency && readyHead < ready.length) {
        if (options.ratePerSecond !== undefined) {
          const wait = startedAt + (sent * 1000) / options.ratePerSecond - preciseNow();
          if (wait > 0) {
            pacer ??= setTimeout(() => {
              pacer = undefined;
              pump();
            }, wait);
            return;
          }
        }
        send(ready[readyHead++] as Open);
        // Drop consumed entries now and then so the queue does not grow for the whole phase.
        if (readyHead > 4096) {
          ready.splice(0, readyHead);
          readyHead = 0;
        }
      }
      finishIfDone();
    };
    pump();
  });
}
