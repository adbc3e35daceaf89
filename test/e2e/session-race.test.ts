/**
 * Issue 8 acceptance, items 1 and 2, end to end: the real server (separate processes) serving
 * `bots/support` against a loopback fake portal, fed the bodies captured on a real portal
 * (`test/fixtures/real/`, real-payloads 09a, 09b, 03) over HTTP.
 *
 * - 09a (the session's first message) then 09b (its join, 25.7 ms later on the real portal): one
 *   greeting, then the answer.
 * - Every order of join + 3 first messages, random delays of 0 to 300 ms between arrivals, 500
 *   seeded runs (500 dialogs in parallel, one permutation each), on SQLite (one process) and on
 *   Redis (two processes, each event posted to either): one greeting, first; every message
 *   processed once, after the join, in arrival order (read back from the dialogs' history).
 * - 03 (an operator's message, `IS_CONNECTOR=N`) makes no REST call.
 * - A server killed with SIGKILL while 09a waits for its join: the restarted server greets once,
 *   then answers, when 09b arrives; nothing lost or repeated.
 * The captured pair runs on the default join window (1000 ms); see `serverEnv` for the others.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { ensureBotRegistered } from '../../src/bitrix/register-bot';
import { redisStore } from '../../src/store/redis-store';
import { sqliteStore } from '../../src/store/sqlite-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { seededRandom } from '../acceptance/helpers/serve-child';
import { spawnTsChild, type TsChild } from '../acceptance/helpers/spawn-ts-child';
import { REDIS_URL, cleanUpRedis, freshPrefix, requireRedis } from '../store/redis-test-env';

jest.setTimeout(180_000);

const REAL = path.join(__dirname, '..', 'fixtures', 'real');
const read = (file: string): string => readFileSync(path.join(REAL, file), 'utf8');
const FIRST_MESSAGE = read('09a-irishome-race-first-message.wire.txt');
const LATE_JOIN = read('09b-irishome-race-join-after-message.wire.txt');
const OPERATOR = read('03-irishome-v1-messageadd-openline-operator.wire.txt');

// What the captured bodies carry.
const MEMBER_ID = '64ea9379ae7561fa43f20cd21a49a520';
const APPLICATION_TOKEN = 'f3f0d0c5-redacted-application-token';
const CLIENT_ID = 'local.64ccbcf7db22b1.98148679';
const BOT_ID = 15010;
const BOT_CODE = 'uchet_bot';
const CHILD = path.join(__dirname, 'session-race', 'support-child.ts');

/** 09a moved to another chat, message id and session (and text): a new session's message. */
function messageBody(o: { chatId: number; messageId: number; sessionId: number; text?: string }) {
  let body = FIRST_MESSAGE.replaceAll('16684', String(o.chatId))
    .replace('MESSAGE_ID%5D=3357152', `MESSAGE_ID%5D=${o.messageId}`)
    .replace('%7C23654%7C', `%7C${o.sessionId}%7C`);
  if (o.text !== undefined) {
    const text = encodeURIComponent(o.text);
    body = body
      .replace(/(data%5BPARAMS%5D%5BMESSAGE%5D=)[^&]*/, `$1${text}`)
      .replace(/(data%5BPARAMS%5D%5BMESSAGE_ORIGINAL%5D=)[^&]*/, `$1${text}`);
  }
  return body;
}

/** 09b moved to another chat: a v1 join with no session id and no `data[USER]`. */
const joinBody = (chatId: number): string => LATE_JOIN.replaceAll('16684', String(chatId));

interface Server {
  child: TsChild;
  url: string;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawnTsChild({ script: CHILD, args: { env, botCode: BOT_CODE } });
  try {
    const line = await child.waitForLine((l) => l.startsWith('LISTENING '), { timeoutMs: 60_000 });
    return { child, url: line.slice('LISTENING '.length) };
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`the server did not start: ${String(e)}\n${child.stderr()}`);
  }
}

async function stopServer(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await server.child.exited;
  clearTimeout(timer);
}

/**
 * POSTs a body as the portal does, redelivering it (as portals do) when the connection broke
 * before an answer: a copy that was recorded already is a duplicate, answered 200 again.
 */
async function post(server: Server, body: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${server.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
        body,
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /events answered ${res.status}: ${text}`);
      return;
    } catch (e) {
      if (attempt >= 3 || server.child.hasExited)
        throw new Error(`${String(e)}\n${server.child.stderr()}`);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The chat a REST call went to (`CHAT_ID`, or `DIALOG_ID` = `chat<id>`). */
function chatOf(params: Record<string, unknown>): number | undefined {
  const dialog = typeof params.DIALOG_ID === 'string' ? params.DIALOG_ID : '';
  const chat = params.CHAT_ID ?? dialog.replace(/^chat/, '');
  const n = Number(chat);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The texts the bot sent to `chatId`, and the other calls (by method), in the order received. */
function chatCalls(portal: FakePortal, chatId: number): string[] {
  return portal.calls
    .filter((c) => c.method.toLowerCase() !== 'batch' && chatOf(c.params) === chatId)
    .map((c) =>
      typeof c.params.MESSAGE === 'string' ? `${c.method}: ${c.params.MESSAGE}` : c.method,
    );
}

async function startPortal(): Promise<FakePortal> {
  const portal = await createFakePortal({
    rateLimit: false,
    firstBotId: BOT_ID,
    memberId: MEMBER_ID,
  });
  const admin = createRestClient({
    auth: { type: 'webhook', url: portal.webhookUrl, clientId: CLIENT_ID },
  });
  const id = await ensureBotRegistered(admin.api, {
    code: BOT_CODE,
    name: 'Support',
    apiVersion: 1,
    mode: 'webhook',
    url: 'http://127.0.0.1:9/events',
  });
  expect(id).toBe(BOT_ID);
  return portal;
}

/**
 * The server's environment. `joinWindowMs`: the permutation runs post 2,000 events from 500
 * dialogs at a 2-core machine, where a join posted at most 0.9 s after its message may still
 * be recorded more than the default 1 s later; a join that comes after the window is (rightly)
 * not replayed before the message, so those runs use a window longer than the machine's worst
 * delay. The captured 09a/09b pair runs on the default.
 */
function serverEnv(
  portal: FakePortal,
  store: string,
  joinWindowMs?: number,
): Record<string, string> {
  return {
    ...(joinWindowMs !== undefined ? { OPENLINES_JOIN_WINDOW_MS: String(joinWindowMs) } : {}),
    B24_WEBHOOK_URL: portal.webhookUrl,
    B24_CLIENT_ID: CLIENT_ID,
    B24_APPLICATION_TOKEN: APPLICATION_TOKEN,
    B24_MEMBER_ID: MEMBER_ID,
    B24_RATE_BURST: '10000',
    B24_RATE_PER_SECOND: '1000',
    OPENLINES_STORE: store,
    LOG_LEVEL: 'warn',
  };
}

/** Every order of 4 items (0 is the join, 1 to 3 the messages). */
function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}
const ORDERS = permutations([0, 1, 2, 3]);

interface Run {
  chatId: number;
  /** Arrival order: 'join' or the message id. */
  arrival: Array<'join' | number>;
}

/** Posts one seeded permutation per dialog; each event goes to a random one of `servers`. */
async function runPermutations(options: {
  servers: Server[];
  runs: number;
  firstChatId: number;
  seed: number;
}): Promise<Run[]> {
  const { servers } = options;
  const one = async (i: number): Promise<Run> => {
    const random = seededRandom(options.seed + i);
    const chatId = options.firstChatId + i;
    const sessionId = 500_000 + chatId;
    const bodies = [
      joinBody(chatId),
      ...[1, 2, 3].map((n) =>
        messageBody({ chatId, messageId: chatId * 10 + n, sessionId, text: `question ${n}` }),
      ),
    ];
    const order = ORDERS[i % ORDERS.length] as number[];
    const arrival: Run['arrival'] = [];
    for (const k of order) {
      await sleep(Math.floor(random() * 301));
      const server = servers[Math.floor(random() * servers.length)] as Server;
      await post(server, bodies[k] as string);
      arrival.push(k === 0 ? 'join' : chatId * 10 + k);
    }
    return { chatId, arrival };
  };
  // Dialogs run in parallel, `PARALLEL` at a time (a shared 2-core CI machine serves them all).
  const runs: Run[] = [];
  for (let from = 0; from < options.runs; from += PARALLEL) {
    const batch = Array.from(
      { length: Math.min(PARALLEL, options.runs - from) },
      (_, k) => from + k,
    );
    runs.push(...(await Promise.all(batch.map(one))));
  }
  return runs;
}

const PARALLEL = 50;

/** Waits until every dialog has at least `calls` calls, or `timeoutMs` passed. */
async function waitForCalls(portal: FakePortal, runs: Run[], calls: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (runs.every((r) => chatCalls(portal, r.chatId).length >= calls)) return;
    await sleep(200);
  }
}

/**
 * Checks each dialog: exactly one greeting and it came first; the machine got the join first and
 * then every message once, in arrival order (inbound entries of the dialog's history).
 */
async function checkRuns(portal: FakePortal, store: Store, runs: Run[]): Promise<string[]> {
  const problems: string[] = [];
  for (const run of runs) {
    const calls = chatCalls(portal, run.chatId);
    // "Hello, Дарья! ..." when the client's name was known (a message came first), else "Hello! ...".
    const isGreeting = (c: string | undefined) => /^imbot\.message\.add: Hello[,!]/.test(c ?? '');
    if (calls.filter(isGreeting).length !== 1 || !isGreeting(calls[0]))
      problems.push(
        `chat ${run.chatId} (${run.arrival.join(', ')}): calls ${JSON.stringify(calls)}`,
      );
    const history = (await store.readHistory?.(dialogKeyOf(MEMBER_ID, BOT_ID, run.chatId))) ?? [];
    const seen = history
      .filter((h) => h.kind === 'inbound')
      .map((h) => (h.data as { event?: { kind?: string; messageId?: number } }).event)
      .filter((e) => e !== undefined)
      .map((e) => (e.kind === 'join' ? 'join' : (e.messageId as number)));
    const expected = ['join', ...run.arrival.filter((a) => a !== 'join')];
    if (JSON.stringify(seen) !== JSON.stringify(expected))
      problems.push(
        `chat ${run.chatId} (${run.arrival.join(', ')}): machine saw ${JSON.stringify(seen)}`,
      );
  }
  return problems;
}

describe('the join race on the real server with bots/support (#8)', () => {
  afterAll(cleanUpRedis);

  let portal: FakePortal;
  let dir: string;

  beforeEach(async () => {
    portal = await startPortal();
    dir = mkdtempSync(path.join(tmpdir(), 'openlines-race-'));
  });
  afterEach(async () => {
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the captured bodies, default window: 09a then 09b greet once then answer; 03 makes no call', async () => {
    const file = path.join(dir, 'state.db');
    const server = await startServer(serverEnv(portal, `sqlite:${file}`));
    try {
      // The captured pair, in the order (and about the gap) the real portal delivered it.
      await post(server, FIRST_MESSAGE);
      await sleep(26);
      await post(server, LATE_JOIN);
      // The operator's message of 03 (another chat of the same bot).
      await post(server, OPERATOR);
      await waitForCalls(portal, [{ chatId: 16684, arrival: [] }], 2, 30_000);
      // Whatever else the server would do for 03 has happened by now (the 2 s after the pair).
      await sleep(2000);
      expect(chatCalls(portal, 16684)).toEqual([
        expect.stringMatching(/^imbot\.message\.add: Hello, Дарья! I am the support bot\./),
        expect.stringMatching(/^imbot\.message\.add: Sorry, I did not get that\./),
      ]);
      expect(chatCalls(portal, 19318)).toEqual([]);
    } finally {
      await stopServer(server);
    }
    const store = sqliteStore({ path: file });
    try {
      // The operator's message reached no machine and left nothing behind.
      expect(await store.loadDialog(dialogKeyOf(MEMBER_ID, BOT_ID, 19318))).toBeUndefined();
      expect(await store.nextInbox(dialogKeyOf(MEMBER_ID, BOT_ID, 19318))).toBeUndefined();
      expect(await checkRuns(portal, store, [{ chatId: 16684, arrival: [3357152] }])).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a server killed (kill -9) while a message waits for its join: after a restart, one greeting then the answer', async () => {
    const file = path.join(dir, 'state.db');
    // A window long enough to kill and restart a process inside it.
    const env = serverEnv(portal, `sqlite:${file}`, 30_000);
    const first = await startServer(env);
    await post(first, FIRST_MESSAGE);
    // Acknowledged, hence durable; it waits for its join. Nothing was sent for it.
    first.child.kill('SIGKILL');
    expect((await first.child.exited).signal).toBe('SIGKILL');
    expect(chatCalls(portal, 16684)).toEqual([]);
    const second = await startServer(env);
    try {
      await post(second, LATE_JOIN);
      // A redelivery of the message by the portal changes nothing.
      await post(second, FIRST_MESSAGE);
      await waitForCalls(portal, [{ chatId: 16684, arrival: [] }], 2, 30_000);
      await sleep(1000);
      expect(chatCalls(portal, 16684)).toEqual([
        expect.stringMatching(/^imbot\.message\.add: Hello, Дарья! I am the support bot\./),
        expect.stringMatching(/^imbot\.message\.add: Sorry, I did not get that\./),
      ]);
    } finally {
      await stopServer(second);
    }
    const store = sqliteStore({ path: file });
    try {
      expect(await checkRuns(portal, store, [{ chatId: 16684, arrival: [3357152] }])).toEqual([]);
      expect(await store.nextInbox(dialogKeyOf(MEMBER_ID, BOT_ID, 16684))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('SQLite, one process: 500 seeded permutations of join + 3 first messages', async () => {
    const file = path.join(dir, 'state.db');
    const server = await startServer(serverEnv(portal, `sqlite:${file}`, 10_000));
    let runs: Run[] = [];
    try {
      runs = await runPermutations({ servers: [server], runs: 500, firstChatId: 100_000, seed: 1 });
      // Greeting, an answer to each of 3 messages (the support bot hands over at the 2nd miss).
      await waitForCalls(portal, runs, 5, 60_000);
    } finally {
      await stopServer(server);
    }
    const store = sqliteStore({ path: file });
    try {
      expect(await checkRuns(portal, store, runs)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('Redis, two processes: 500 seeded permutations, each event posted to either process', async () => {
    // Fails with a clear message when no Redis listens on 127.0.0.1:6379.
    await requireRedis();
    const prefix = freshPrefix();
    const url = `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`;
    const env = serverEnv(portal, url, 10_000);
    const servers = await Promise.all([startServer(env), startServer(env)]);
    let runs: Run[] = [];
    try {
      runs = await runPermutations({ servers, runs: 500, firstChatId: 200_000, seed: 2 });
      await waitForCalls(portal, runs, 5, 60_000);
    } finally {
      await Promise.all(servers.map(stopServer));
    }
    const store = redisStore({ url: REDIS_URL, prefix });
    try {
      expect(await checkRuns(portal, store, runs)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
