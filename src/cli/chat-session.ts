/**
 * One offline conversation with a bot, through the real runtime: a memory store, a fake portal
 * on loopback (`createFakePortal`) and the real REST client. The client's turns become dialog
 * events; what the bot does comes back as the REST calls it made, described for a person.
 */
import { createRestClient } from '../bitrix/create-rest-client';
import { ensureBotRegistered } from '../bitrix/register-bot';
import type { BatchCall, RestClient, RestParams } from '../bitrix/types';
import type { BotDefinition } from '../dsl/define-bot';
import type { ClientRef, DialogEvent, DialogEventBase } from '../events/inbound-event';
import { createLogger, type Logger } from '../logger';
import { createRuntime, type Runtime } from '../runtime/create-runtime';
import { memoryStore } from '../store/memory-store';
import { dialogKeyOf, type Store } from '../store/store';
import { createFakePortal, type FakePortal } from '../testing/fake-portal';
import type { SessionState } from '../testing/fake-portal';
import { describeRestCall, type ChatChoice, type ChatOutput } from './describe-rest-call';
import { createShiftedClock } from './shifted-clock';

/** Options of {@link createChatSession}. */
export interface ChatSessionOptions {
  bot: BotDefinition;
  /** The client's first name, as a messenger would pass it. Default: none. */
  clientName?: string;
  /** Called for every message and system line, as it happens. */
  onOutput: (output: ChatOutput) => void;
  /**
   * Runtime logs (turn errors, retries). Default: a logger that reports why a turn failed and
   * which invoked REST call failed as system lines (`onOutput`), and writes every line (debug and
   * up) to `logDestination` when one is given.
   */
  logger?: Logger;
  /** Where every runtime log line goes as well (the chat command's `--verbose`: standard error). */
  logDestination?: { write(line: string): unknown };
  /** Longest a turn may take (ms). Default 10_000, as when served. */
  turnTimeoutMs?: number;
  /** The store of the session's runtime. Default: a fresh memory store. Closed by `close()`. */
  store?: Store;
}

/**
 * A logger whose failure lines become system lines of the chat: the developer sees why the bot
 * apologised without `--verbose`.
 */
function explainingLogger(
  onOutput: (output: ChatOutput) => void,
  verbose?: { write(line: string): unknown },
): Logger {
  return createLogger({
    level: verbose ? 'debug' : 'warn',
    destination: {
      write(line: string) {
        verbose?.write(line);
        let o: { msg?: unknown; error?: unknown; method?: unknown; level?: unknown };
        try {
          o = JSON.parse(line) as typeof o;
        } catch {
          return;
        }
        const error = typeof o.error === 'string' ? o.error : undefined;
        if (o.msg === 'turn failed; dialog gets the fallback')
          onOutput({ kind: 'system', text: `[the turn failed: ${error ?? 'unknown error'}]` });
        else if (o.msg === 'invoked REST call failed')
          onOutput({
            kind: 'system',
            text: `[the invoked call ${String(o.method)} failed: ${error ?? 'unknown error'}]`,
          });
      },
    },
  });
}

/** A running offline chat. */
export interface ChatSession {
  /** The buttons of the bot's latest message (cleared by a message without buttons). */
  readonly choices: readonly ChatChoice[];
  /** Who has the dialog, as the portal sees it: `bot`, `operator`, `transferred`, `finished`. */
  readonly session: SessionState;
  /** Starts a new open-line session: the bot joins the chat. */
  join(): Promise<void>;
  /** The client writes `text`. */
  send(text: string): Promise<void>;
  /** The client presses a keyboard button, or types a slash command. */
  command(command: string, params?: string, source?: 'keyboard' | 'slash'): Promise<void>;
  /** Time passes (ms): due durable timers fire. */
  wait(ms: number): Promise<void>;
  /** The portal refuses the next call of `method` with a Bitrix24 error code. */
  failNext(method: string, code: string): void;
  /** The runtime's store and the chat's dialog key (to look at the dialog's state and history). */
  readonly store: Store;
  readonly dialogKey: string;
  /** The session's clock (real time plus the time let pass with `wait`). */
  now(): number;
  close(): Promise<void>;
}

const CHAT_ID = 1;
const LINE_ID = 1;
const CLIENT_ID = 100;
const OFFLINE_HANDLER = 'http://127.0.0.1:9/openlines-bot-chat';

/** Reports every call the runtime's client made, with its outcome, in the order the portal answered. */
function watchClient(
  client: RestClient,
  report: (call: BatchCall, error?: string) => void,
): RestClient {
  return {
    portalId: client.portalId,
    async call<T>(
      method: string,
      params?: RestParams,
      options?: Parameters<RestClient['call']>[2],
    ): Promise<T> {
      try {
        const result = await client.call<T>(method, params, options);
        report({ method, params: params ?? {} });
        return result;
      } catch (e) {
        report(
          { method, params: params ?? {} },
          (e as { error?: string }).error ?? (e as Error).message,
        );
        throw e;
      }
    },
    async batch(calls, options) {
      const results = await client.batch(calls, options);
      calls.forEach((c, i) => {
        const r = results[i];
        report(c, r?.status === 'error' ? r.error : undefined);
      });
      return results;
    },
  };
}

/**
 * Starts an offline chat with `bot`.
 *
 * @example
 * const chat = await createChatSession({ bot, clientName: 'Ann', onOutput: (o) => console.log(o) });
 * await chat.join();
 * await chat.send('order');
 * await chat.close();
 */
export async function createChatSession(options: ChatSessionOptions): Promise<ChatSession> {
  const { bot } = options;
  const portal: FakePortal = await createFakePortal({
    rateLimit: false,
    lines: [
      {
        ID: 1,
        LINE_NAME: 'Local line',
        WELCOME_MESSAGE_TEXT: 'Welcome to our support chat!',
        QUEUE: [5],
      },
      { ID: 2, LINE_NAME: 'Sales', QUEUE: [6] },
      { ID: 3, LINE_NAME: 'Second line', QUEUE: [7] },
    ],
  });
  const clock = createShiftedClock();
  const auth =
    bot.apiVersion === 2
      ? { botToken: 'local-chat-bot-token' }
      : { clientId: 'local-chat-client-id' };
  const client = createRestClient({
    auth: { type: 'webhook', url: portal.webhookUrl, ...auth },
    clock,
  });
  const botId = await ensureBotRegistered(client.api, {
    code: bot.code,
    name: bot.name,
    apiVersion: bot.apiVersion,
    ...(bot.apiVersion === 2
      ? { mode: 'fetch' as const }
      : { mode: 'webhook' as const, url: OFFLINE_HANDLER }),
  });
  portal.openChat({
    chatId: CHAT_ID,
    lineId: LINE_ID,
    userCode: `livechat|${LINE_ID}|${CHAT_ID}|${CLIENT_ID}`,
  });
  const welcomeText = portal.lines.find((l) => l.ID === LINE_ID)?.WELCOME_MESSAGE_TEXT;

  let choices: ChatChoice[] = [];
  const watched = watchClient(client, (call, error) => {
    if (error !== undefined) {
      options.onOutput({
        kind: 'system',
        text: `[${call.method} was refused by the portal: ${error}]`,
      });
      return;
    }
    const out = describeRestCall({
      method: call.method,
      params: call.params ?? {},
      ...(welcomeText ? { welcomeText } : {}),
    });
    if (!out) return;
    if (out.kind === 'bot') choices = out.choices;
    options.onOutput(out);
  });

  const store = options.store ?? memoryStore();
  const runtime: Runtime = createRuntime({
    bots: [bot],
    store,
    clients: () => watched,
    clock,
    logger: options.logger ?? explainingLogger(options.onOutput, options.logDestination),
    turnTimeoutMs: options.turnTimeoutMs ?? 10_000,
  });
  await runtime.start();

  let session = 0;
  let seq = 0;
  const v = bot.apiVersion === 2 ? 'V2' : '';
  const client_: ClientRef = {
    id: CLIENT_ID,
    name: options.clientName ?? 'Guest',
    ...(options.clientName ? { firstName: options.clientName } : {}),
    isConnector: true,
  };
  const base = (rawType: string): DialogEventBase => ({
    rawType,
    apiVersion: bot.apiVersion,
    delivery: 'webhook',
    dedupeKey: `chat:${session}:${++seq}`,
    ts: Math.floor(clock.now() / 1000),
    portal: { memberId: portal.memberId, domain: portal.domain },
    bot: { id: botId, code: bot.code, apiVersion: bot.apiVersion },
    chatId: CHAT_ID,
    dialogId: `chat${CHAT_ID}`,
    isOpenLine: true,
    connector: 'livechat',
    lineId: LINE_ID,
    connectorChatId: String(CHAT_ID),
    connectorUserId: String(CLIENT_ID),
    sessionId: session,
    crm: {},
    client: client_,
    language: 'en',
  });
  const deliver = async (event: DialogEvent) => {
    await runtime.accept([event]);
    await runtime.idle();
  };

  return {
    get choices() {
      return choices;
    },
    get session() {
      return portal.chat(CHAT_ID).session;
    },
    async join() {
      session += 1;
      choices = [];
      portal.setSession(CHAT_ID, 'bot');
      await deliver({ ...base(`ONIMBOT${v}JOINCHAT`), kind: 'join', userId: CLIENT_ID });
    },
    async send(text) {
      const message = portal.addClientMessage({ chat: CHAT_ID, text });
      await deliver({
        ...base(`ONIMBOT${v}MESSAGEADD`),
        kind: 'message',
        messageId: message.id,
        text,
        files: [],
        author: client_,
        isSystem: false,
      });
    },
    async command(command, params = '', source = 'keyboard') {
      await deliver({
        ...base(bot.apiVersion === 2 ? 'ONIMBOTV2COMMANDADD' : 'ONIMCOMMANDADD'),
        kind: 'command',
        command,
        params,
        context: source === 'slash' ? 'textarea' : 'keyboard',
      });
    },
    async wait(ms) {
      clock.advance(ms);
      await runtime.runDueTimers();
      await runtime.idle();
    },
    failNext(method, code) {
      portal.failNext(method, code);
    },
    store,
    dialogKey: dialogKeyOf(portal.memberId, botId, CHAT_ID),
    now: () => clock.now(),
    async close() {
      await runtime.stop({ deadlineMs: 2000 });
      await store.close();
      await portal.close();
    },
  };
}
