/**
 * The serving process of the idle-heap acceptance test (run through tsx with `--expose-gc`, not a
 * test file): the real runtime on the SQLite store drives `dialogs` dialogs through one turn each
 * (accepted in chunks, each chunk run to idle, every reply sent through a REST client that keeps
 * nothing), then compares the JS heap with its baseline of the same runtime on the empty store.
 *
 * Prints one line: `RESULT <json>`.
 */
import { writeSync } from 'node:fs';
import type { BatchCall, BatchItemResult, RestClient } from '../../../src/bitrix/types';
import type { MessageEvent } from '../../../src/events/inbound-event';
import { createRuntime } from '../../../src/runtime/create-runtime';
import { sqliteStore } from '../../../src/store/sqlite-store';
import { ACK_BOT_CODE, ackBot } from '../helpers/ack-bot';

/** The JSON argument of the child. */
export interface IdleHeapArgs {
  dbPath: string;
  dialogs: number;
  /** Events accepted together (one store transaction), then run until idle. */
  chunk: number;
}

/** What the child reports. */
export interface IdleHeapResult {
  dialogs: number;
  baselineBytes: number;
  afterBytes: number;
  growthBytes: number;
  /** Highest heap seen after a chunk went idle (before gc). */
  peakBytes: number;
  replies: number;
  requests: number;
  stats: { dialogs: number; inboxDepth: number; outboxDepth: number; deadLetters: number };
  seconds: number;
}

const MEMBER = 'heap-portal';

function messageEvent(i: number): MessageEvent {
  const chatId = 100_000 + i;
  return {
    kind: 'message',
    rawType: 'ONIMBOTV2MESSAGEADD',
    apiVersion: 2,
    delivery: 'webhook',
    dedupeKey: `heap:${MEMBER}:${i}`,
    portal: { memberId: MEMBER, domain: 'heap.bitrix24.test' },
    bot: { id: 7, code: ACK_BOT_CODE, apiVersion: 2 },
    chatId,
    dialogId: `chat${chatId}`,
    isOpenLine: true,
    connector: 'telegrambot',
    lineId: 3,
    sessionId: 1_000_000 + i,
    crm: {},
    client: { id: 500_000 + i, name: 'Client', isConnector: true },
    messageId: 10_000_000 + i,
    text: 'hello',
    files: [],
    isSystem: false,
  };
}

/** A portal that accepts everything and remembers only counts (its own memory must not blur the figure). */
function countingClient(): RestClient & { replies: number; requests: number } {
  const client = {
    portalId: MEMBER,
    replies: 0,
    requests: 0,
    async call<T>(): Promise<T> {
      client.requests += 1;
      client.replies += 1;
      return true as T;
    },
    async batch(calls: BatchCall[]): Promise<BatchItemResult[]> {
      client.requests += 1;
      client.replies += calls.length;
      return calls.map(() => ({ status: 'ok', result: true }));
    },
  };
  return client;
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function main(args: IdleHeapArgs): Promise<IdleHeapResult> {
  const startedAt = Date.now();
  const store = sqliteStore({ path: args.dbPath });
  const client = countingClient();
  // Each dialog's only message starts its conversation at once (no join window: not about joins).
  const runtime = createRuntime({ bots: [ackBot], store, clients: () => client, joinWindowMs: 0 });
  await runtime.start();
  const baselineBytes = heapAfterGc();
  let peakBytes = baselineBytes;
  for (let from = 0; from < args.dialogs; from += args.chunk) {
    const events = Array.from({ length: Math.min(args.chunk, args.dialogs - from) }, (_, k) =>
      messageEvent(from + k),
    );
    await runtime.accept(events);
    await runtime.idle();
    peakBytes = Math.max(peakBytes, process.memoryUsage().heapUsed);
  }
  const afterBytes = heapAfterGc();
  const stats = await store.stats();
  await runtime.stop({ deadlineMs: 5000 });
  await store.close();
  return {
    dialogs: args.dialogs,
    baselineBytes,
    afterBytes,
    growthBytes: afterBytes - baselineBytes,
    peakBytes,
    replies: client.replies,
    requests: client.requests,
    stats: {
      dialogs: stats.dialogs,
      inboxDepth: stats.inboxDepth,
      outboxDepth: stats.outboxDepth,
      deadLetters: stats.deadLetters,
    },
    seconds: (Date.now() - startedAt) / 1000,
  };
}

main(JSON.parse(process.argv[2] ?? '{}') as IdleHeapArgs).then(
  (result) => {
    writeSync(1, `RESULT ${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(
      `idle-heap child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(2);
  },
);
