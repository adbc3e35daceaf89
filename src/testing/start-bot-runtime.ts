/**
 * The wiring behind `testBot`: a fake portal (loopback HTTP, or nock), the real REST client
 * pointed at it, the bot registered there, and the real runtime on a memory store with a fake
 * clock. Kept apart from the chat API so that each reads on its own.
 */
import { Agent } from 'node:http';
import { createRateBudget } from '../bitrix/rate-budget';
import { createRestClient } from '../bitrix/create-rest-client';
import { ensureBotRegistered } from '../bitrix/register-bot';
import type { BotDefinition } from '../dsl/define-bot';
import { systemClock } from '../clock';
import { createLogger, type Logger } from '../logger';
import type { RestParams } from '../bitrix/types';
import { createRuntime, type Runtime } from '../runtime/create-runtime';
import { effectToCall, type EffectMeta } from '../runtime/effect-call';
import { memoryStore } from '../store/memory-store';
import type { EffectOutcome, OutboxEffect, Store } from '../store/store';
import {
  createFakePortal,
  mockPortal,
  type FakePortalApi,
  type LineConfig,
  type NockLike,
} from './fake-portal';
import type { FakeClock } from './fake-clock';
import { spyStore } from './spy-store';
import { watchRestClient, type InvokedRestCall } from './watch-rest-client';

/** Lines of the test portal unless a test gives its own: 1 (the chat's line) to 9, so any small line id is a valid transfer target. */
export const DEFAULT_TEST_LINES: readonly LineConfig[] = Array.from({ length: 9 }, (_, i) => ({
  ID: i + 1,
  LINE_NAME: i === 0 ? 'Support' : `Line ${i + 1}`,
  ACTIVE: 'Y',
  WELCOME_MESSAGE_TEXT: i === 0 ? 'Welcome! An operator will answer you soon.' : '',
  QUEUE: [100 + i + 1],
}));

/** A runtime log line at level warn or above (turn failures, refused effects). */
export interface RuntimeLogLine {
  level: 'warn' | 'error' | 'fatal';
  msg: string;
  error?: string;
  /** Why a turn failed (`error` or `timeout`), on "turn failed" lines. */
  reason?: string;
}

/** What {@link startBotRuntime} needs. */
export interface StartBotRuntimeOptions {
  /** The definition the runtime runs (its machine may be instrumented). */
  bot: BotDefinition;
  clock: FakeClock;
  nock?: NockLike;
  lines?: readonly LineConfig[];
  chatId: number;
  lineId: number;
  turnTimeoutMs?: number;
  onSettled: (effect: OutboxEffect, outcome: EffectOutcome) => void;
  onLog: (line: RuntimeLogLine) => void;
  /** A REST call the machine invoked itself (`fromRestCall`), with its answer. */
  onInvoked: (call: InvokedRestCall) => void;
}

/** A running bot with its portal. */
export interface BotRuntime {
  portal: FakePortalApi;
  runtime: Runtime;
  store: Store;
  botId: number;
  /** Index in `portal.calls` of the first call after registration. */
  firstCall: number;
  close(): Promise<void>;
}

/** True when `method(params)` is the call the outbox effect `e` becomes. */
function isCallOf(e: OutboxEffect, method: string, params: RestParams): boolean {
  try {
    const call = effectToCall(e.effect, e.meta as EffectMeta);
    return call.method === method && JSON.stringify(call.params) === JSON.stringify(params);
  } catch {
    return false;
  }
}

/** The kit's turn timeout, in real time: below jest's default test timeout (5 s). */
export const DEFAULT_KIT_TURN_TIMEOUT_MS = 4_000;

const OFFLINE_HANDLER = 'http://127.0.0.1:9/openlines-bot-test';
const LEVELS: Record<number, RuntimeLogLine['level']> = { 40: 'warn', 50: 'error', 60: 'fatal' };

function captureLogger(onLog: (line: RuntimeLogLine) => void): Logger {
  return createLogger({
    level: 'warn',
    destination: {
      write(line: string) {
        try {
          const o = JSON.parse(line) as {
            level?: number;
            msg?: string;
            error?: unknown;
            code?: unknown;
            reason?: unknown;
          };
          const level = LEVELS[o.level ?? 0];
          if (!level) return;
          const error =
            typeof o.error === 'string' ? o.error : typeof o.code === 'string' ? o.code : undefined;
          onLog({
            level,
            msg: o.msg ?? '',
            ...(error !== undefined ? { error } : {}),
            ...(typeof o.reason === 'string' ? { reason: o.reason } : {}),
          });
        } catch {
          // Not JSON: nothing a test can use.
        }
      },
    },
  });
}

/**
 * Starts a fake portal, registers the bot there and starts the runtime.
 *
 * @example
 * const rt = await startBotRuntime({ bot, clock, chatId: 1777, lineId: 1, onSettled, onLog });
 * await rt.runtime.accept([event]);
 */
export async function startBotRuntime(options: StartBotRuntimeOptions): Promise<BotRuntime> {
  const { bot, clock } = options;
  const portalOptions = {
    clock,
    rateLimit: false as const,
    lines: (options.lines ?? DEFAULT_TEST_LINES).map((l) => ({ ...l })),
  };
  const loopback = options.nock ? undefined : await createFakePortal(portalOptions);
  const nocked = options.nock ? mockPortal(options.nock, portalOptions) : undefined;
  const portal: FakePortalApi = (loopback ?? nocked) as FakePortalApi;
  // One kept-alive connection per chat: a new TCP connection for every call would cost more than the call.
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const closePortal = async () => {
    agent.destroy();
    if (loopback) await loopback.close();
    nocked?.close();
  };
  try {
    const credential =
      bot.apiVersion === 2
        ? { botToken: `test-bot-token-${bot.code}` }
        : { clientId: `test-client-${bot.code}` };
    const client = createRestClient({
      auth: { type: 'webhook', url: portal.webhookUrl, ...credential },
      clock,
      // Retries belong to the outbox dispatcher, whose backoff the test clock controls.
      retries: { retries: 0 },
      rateBudget: createRateBudget({ burst: 1_000_000, drainPerSecond: 1_000_000, clock }),
      httpAgent: agent,
    });
    const botId = await ensureBotRegistered(client.api, {
      code: bot.code,
      name: bot.name,
      apiVersion: bot.apiVersion,
      ...(bot.apiVersion === 2
        ? { mode: 'fetch' as const }
        : { mode: 'webhook' as const, url: OFFLINE_HANDLER }),
      // Registered as in production: a button works on a real portal only for a registered command.
      ...(bot.commands ? { commands: bot.commands } : {}),
    });
    portal.openChat({ chatId: options.chatId, lineId: options.lineId });
    const { store, inFlight } = spyStore(memoryStore(), { settled: options.onSettled });
    const watched = watchRestClient({
      client,
      isEffectCall: (method, params) => inFlight().some((e) => isCallOf(e, method, params)),
      onInvoked: options.onInvoked,
    });
    const runtime = createRuntime({
      bots: [bot],
      store,
      clients: () => watched,
      clock,
      logger: captureLogger(options.onLog),
      turnTimeoutMs: options.turnTimeoutMs ?? DEFAULT_KIT_TURN_TIMEOUT_MS,
      // Real time: a machine that never settles fails its step instead of waiting for a fake clock.
      turnClock: systemClock,
      owner: 'openlines-bot-testing',
      // Retry jitter at its midpoint: the same test retries at the same (fake) time on every run.
      dispatcher: { random: () => 0.5 },
    });
    await runtime.start();
    return {
      portal,
      runtime,
      store,
      botId,
      firstCall: portal.calls.length,
      async close() {
        try {
          await runtime.stop({ deadlineMs: 1_000 });
          await store.close();
        } finally {
          await closePortal();
        }
      },
    };
  } catch (e) {
    await closePortal();
    throw e;
  }
}
