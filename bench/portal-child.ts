/**
 * The fake Bitrix24 portal of the benchmark, in its own process. Its call log is stamped with a
 * sub-millisecond wall clock so that "event sent" (load generator) and "first REST call received"
 * (here) can be compared across processes. Its rate limit is off: the bench measures the bot
 * host, not Bitrix24's leaky bucket.
 */
import { watchGcPauses } from './gc-pauses';
import { watchStalls } from './stalls';
import { createFakePortal } from '../src/testing/fake-portal';
import type { CallRecord } from '../src/testing/fake-portal';
import { preciseNow, serveParent } from './ipc';

/** What one `summary` request returns (then the call log is cleared). */
export interface PortalSummary {
  /** HTTP requests received (a `batch` is one). */
  requests: number;
  rejected503: number;
  /** REST calls, batch sub-calls counted one by one (`batch` itself not counted). */
  calls: number;
  /** Calls answered with a Bitrix24 error, by code. */
  errors: Record<string, number>;
  byMethod: Record<string, number>;
  /** Time of the first call that names each chat (numeric chat id as the key). */
  firstCallAt: Record<string, number>;
  /** Time of the first "Order <n>: ..." reply, by order number. */
  orderReplyAt: Record<string, number>;
  /** Arrival of the last call (NaN when none). */
  lastCallAt: number;
  /**
   * This process's garbage-collection pauses since the previous summary: the longest and their
   * sum (ms). A pause here delays the stamping of calls, so it shows in "first REST call" delays
   * although the server is not the cause.
   */
  gc?: { maxPauseMs: number; totalPauseMs: number };
}

const ORDER_REPLY = /^Order (\d+):/;

function chatOf(call: CallRecord): string | undefined {
  const p = call.params;
  const raw = p.CHAT_ID ?? p.DIALOG_ID ?? p.dialogId;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const s = String(raw);
  return s.startsWith('chat') ? s.slice(4) : s;
}

function messageOf(call: CallRecord): string | undefined {
  const p = call.params;
  const fields = p.fields as { message?: unknown } | undefined;
  const text = p.MESSAGE ?? fields?.message;
  return typeof text === 'string' ? text : undefined;
}

/**
 * Folds the call log into what the bench needs.
 *
 * @example
 * const summary = summarise({ calls: portal.calls, requests: portal.requests, rejected503: portal.rejected503 });
 */
export function summarise(options: {
  calls: readonly CallRecord[];
  requests: number;
  rejected503: number;
}): PortalSummary {
  const out: PortalSummary = {
    requests: options.requests,
    rejected503: options.rejected503,
    calls: 0,
    errors: {},
    byMethod: {},
    firstCallAt: {},
    orderReplyAt: {},
    lastCallAt: Number.NaN,
  };
  for (const call of options.calls) {
    if (call.method.toLowerCase() === 'batch') continue;
    out.calls++;
    if (!(call.at <= out.lastCallAt)) out.lastCallAt = call.at;
    out.byMethod[call.method] = (out.byMethod[call.method] ?? 0) + 1;
    if (call.error) out.errors[call.error] = (out.errors[call.error] ?? 0) + 1;
    const chat = chatOf(call);
    if (chat !== undefined && out.firstCallAt[chat] === undefined) out.firstCallAt[chat] = call.at;
    const order = ORDER_REPLY.exec(messageOf(call) ?? '')?.[1];
    if (order !== undefined && out.orderReplyAt[order] === undefined)
      out.orderReplyAt[order] = call.at;
  }
  return out;
}

async function main(): Promise<void> {
  const gc = watchGcPauses();
  // `--stalls`: this process's event-loop stalls, for each phase.
  const stalls = process.env.BENCH_STALLS === '1' ? watchStalls({ now: preciseNow }) : undefined;
  const portal = await createFakePortal({
    memberId: 'bench-portal',
    rateLimit: false,
    clock: { now: preciseNow },
  });
  serveParent({
    info: { webhookUrl: portal.webhookUrl, memberId: portal.memberId },
    handlers: {
      summary: async () => {
        const summary = summarise({
          calls: portal.calls,
          requests: portal.requests,
          rejected503: portal.rejected503,
        });
        portal.reset({ keepState: true });
        const { maxPauseMs, totalPauseMs } = gc.take();
        summary.gc = { maxPauseMs, totalPauseMs };
        return summary;
      },
      stalls: async () => stalls?.take() ?? [],
      stop: async () => {
        await portal.close();
        process.exit(0);
      },
    },
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
