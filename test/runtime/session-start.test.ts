/**
 * Issue 8, item 1: the join races the first message. Portals often deliver a session's first
 * client message before its join (real-payloads 09a, 09b). The machine must see `join` before the
 * session's first `message` when the join arrives within the window, greet once, and never lose
 * or repeat a client message, whatever the order of arrival.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JoinEvent, MessageEvent } from '../../src/events/inbound-event';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { sqliteStore } from '../../src/store/sqlite-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { seededRandom } from '../store/contract-helpers';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';

const key = (chatId: number) => dialogKeyOf('member-1', 571, chatId);

/** Every order of 4 items (index 0 is the join, 1 to 3 the messages). */
function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}
const ORDERS = permutations([0, 1, 2, 3]);

/** A v1 open-line join: no session id, no `data[USER]` (real-payloads 09b). */
function v1Join(chat: { chatId: number }, n = 1): JoinEvent {
  const { sessionId: _s, client: _c, ...rest } = joinEvent(chat, n);
  return rest;
}

function inSession<E extends MessageEvent | JoinEvent>(e: E, sessionId: number): E {
  return { ...e, sessionId };
}

describe('session start: join and first messages in any order (#8)', () => {
  let store: Store;
  let clock: FakeClock;
  let portals: RecordingPortals;
  let runtime: Runtime;

  const start = async (options: { joinWindowMs?: number; store?: Store } = {}) => {
    runtime = createRuntime({
      bots: [echoBot],
      store: options.store ?? store,
      clients: portals.clients,
      clock,
      ...(options.joinWindowMs !== undefined ? { joinWindowMs: options.joinWindowMs } : {}),
    });
    await runtime.start();
    return runtime;
  };
  /** What the chat received: `hello` is the greeting, `<chat>:<message id>` an answer. */
  const said = (chatId?: number) =>
    portals
      .calls('member-1')
      .filter((c) => chatId === undefined || c.params.CHAT_ID === chatId)
      .map((c) => c.params.MESSAGE);
  const accept = async (...events: Array<JoinEvent | MessageEvent>) => {
    await runtime.accept(events);
    await runtime.idle();
  };
  /** Lets `ms` pass: waiting messages whose window ends get processed. */
  const pass = async (ms: number) => {
    clock.advance(ms);
    await runtime.idle();
  };

  beforeEach(() => {
    store = memoryStore();
    clock = fakeClock();
    portals = recordingPortals();
  });
  afterEach(async () => {
    await runtime.stop();
  });

  it('join first: greets, then answers', async () => {
    await start();
    const chat = { chatId: 1 };
    await accept(joinEvent(chat), messageEvent(chat, 1));
    expect(said()).toEqual(['hello', '1:1']);
  });

  it('message first, join 25 ms later: the machine sees the join first (09a, 09b)', async () => {
    await start();
    const chat = { chatId: 2 };
    await accept(messageEvent(chat, 1));
    expect(said()).toEqual([]);
    expect(await store.nextInbox(key(2))).toBeDefined();
    await pass(25);
    await accept(v1Join(chat));
    expect(said()).toEqual(['hello', '2:1']);
    const record = await store.loadDialog(key(2));
    // The v1 join had no session id and no client: both come from the waiting message.
    expect(record?.meta).toMatchObject({
      conversation: 1,
      joined: true,
      input: { sessionId: 902, client: { id: 10_002 } },
    });
  });

  it('several messages, then the join: one greeting, every message once, in order', async () => {
    await start();
    const chat = { chatId: 3 };
    await accept(messageEvent(chat, 1), messageEvent(chat, 2));
    await pass(300);
    await accept(messageEvent(chat, 3));
    await pass(300);
    expect(said()).toEqual([]);
    await accept(joinEvent(chat));
    expect(said()).toEqual(['hello', '3:1', '3:2', '3:3']);
  });

  it('join missing: the message is answered once the window has passed', async () => {
    await start();
    const chat = { chatId: 4 };
    await accept(messageEvent(chat, 1), messageEvent(chat, 2));
    await pass(999);
    expect(said()).toEqual([]);
    await pass(1);
    expect(said()).toEqual(['4:1', '4:2']);
    expect((await store.loadDialog(key(4)))?.meta).toMatchObject({ joined: false });
  });

  it('join several seconds late: neither restarts the conversation nor greets over it', async () => {
    await start();
    const chat = { chatId: 5 };
    await accept(messageEvent(chat, 1));
    await pass(1000);
    expect(said()).toEqual(['5:1']);
    await pass(3000);
    await accept(v1Join(chat), messageEvent(chat, 2));
    expect(said()).toEqual(['5:1', '5:2']);
    const record = await store.loadDialog(key(5));
    expect((record?.snapshot as { context: unknown }).context).toEqual({ chatId: 5, seen: [1, 2] });
    expect(record?.meta).toMatchObject({ conversation: 1, joined: true });
  });

  it('a join of the running session never restarts it; a new session does', async () => {
    await start();
    const chat = { chatId: 6 };
    await accept(joinEvent(chat, 1), messageEvent(chat, 1));
    await accept(joinEvent(chat, 2), messageEvent(chat, 2));
    expect(said()).toEqual(['hello', '6:1', '6:2']);
    expect((await store.loadDialog(key(6)))?.meta).toMatchObject({ conversation: 1 });
    // A new session id: its first message waits for the new session's join, which starts afresh.
    await accept(inSession(messageEvent(chat, 3), 7006));
    expect(said()).toEqual(['hello', '6:1', '6:2']);
    await accept(inSession(joinEvent(chat, 3), 7006));
    expect(said()).toEqual(['hello', '6:1', '6:2', 'hello', '6:3']);
    const record = await store.loadDialog(key(6));
    expect(record?.meta).toMatchObject({ conversation: 2, input: { sessionId: 7006 } });
    expect((record?.snapshot as { context: unknown }).context).toEqual({ chatId: 6, seen: [3] });
  });

  it('a v1 join (no session id) of a new session: the pending message tells its session', async () => {
    await start();
    const chat = { chatId: 7 };
    await accept(joinEvent(chat, 1), messageEvent(chat, 1));
    await accept(v1Join(chat, 2), inSession(messageEvent(chat, 2), 8007));
    expect(said()).toEqual(['hello', '7:1', 'hello', '7:2']);
    expect((await store.loadDialog(key(7)))?.meta).toMatchObject({
      conversation: 2,
      input: { sessionId: 8007 },
    });
  });

  it('a join after a finished conversation starts a fresh one', async () => {
    await start();
    const chat = { chatId: 8 };
    await accept(joinEvent(chat, 1), messageEvent(chat, 1));
    // The echo bot says `timeout` and stays idle after ten quiet minutes in `waiting`; a conversation
    // that ended is simulated by clearing its snapshot the way a final state does.
    const before = await store.loadDialog(key(8));
    await store.commitTurn(key(8), {
      expectedRevision: before?.revision ?? 0,
      snapshot: null,
      botVersion: '1',
      meta: before?.meta,
      effects: [],
      timers: [],
      now: clock.now(),
    });
    await accept(joinEvent(chat, 2), messageEvent(chat, 2));
    expect(said()).toEqual(['hello', '8:1', 'hello', '8:2']);
    // The same session writing again after the end starts at once: its join was already here.
    await store.commitTurn(key(8), {
      expectedRevision: (await store.loadDialog(key(8)))?.revision ?? 0,
      snapshot: null,
      botVersion: '1',
      meta: (await store.loadDialog(key(8)))?.meta,
      effects: [],
      timers: [],
      now: clock.now(),
    });
    await accept(messageEvent(chat, 3));
    expect(said()).toEqual(['hello', '8:1', 'hello', '8:2', '8:3']);
  });

  it('the window is configurable; 0 starts at once', async () => {
    await start({ joinWindowMs: 5000 });
    const chat = { chatId: 9 };
    await accept(messageEvent(chat, 1));
    await pass(4000);
    await accept(joinEvent(chat));
    expect(said(9)).toEqual(['hello', '9:1']);
    await runtime.stop();
    portals = recordingPortals();
    store = memoryStore();
    await start({ joinWindowMs: 0 });
    await accept(messageEvent({ chatId: 10 }, 1));
    expect(said()).toEqual(['10:1']);
    expect(() =>
      createRuntime({ bots: [echoBot], store, clients: portals.clients, joinWindowMs: -1 }),
    ).toThrow(/joinWindowMs must be/);
  });

  it('a waiting message survives a restart: the join that arrives then still comes first', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'openlines-session-'));
    const file = path.join(dir, 'state.db');
    try {
      const first = sqliteStore({ path: file });
      await start({ store: first });
      const chat = { chatId: 11 };
      await accept(messageEvent(chat, 1));
      await runtime.stop();
      await first.close();
      // Another process (here: another runtime on the same file) takes over.
      await pass(0);
      const again = sqliteStore({ path: file });
      await start({ store: again });
      await pass(500);
      expect(said()).toEqual([]);
      await accept(v1Join(chat));
      expect(said()).toEqual(['hello', '11:1']);
      await runtime.stop();
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every order of join + 3 messages with delays of 0 to 300 ms: one greeting first, every message once (240 seeded runs)', async () => {
    await start();
    for (let i = 0; i < 240; i++) {
      const chatId = 100 + i;
      const random = seededRandom(8_000 + i);
      const chat = { chatId };
      // Message ids are the dedupe keys of these events: unique across chats.
      const messages = [1, 2, 3].map((n) => messageEvent(chat, chatId * 10 + n));
      const join = i % 2 ? joinEvent(chat) : v1Join(chat);
      // All 24 orders, each 10 times: the join anywhere, the messages in any order too.
      const arrival = (ORDERS[i % ORDERS.length] as number[]).map(
        (k) => [join, ...messages][k] as JoinEvent | MessageEvent,
      );
      const story: string[] = [];
      for (const event of arrival) {
        await accept(event);
        const delay = Math.floor(random() * 301);
        story.push(event.kind === 'join' ? 'join' : `m${event.messageId % 10}`, `+${delay}`);
        await pass(delay);
      }
      await pass(1000);
      // Answers come in the order the messages arrived; the greeting before all of them.
      const answers = arrival.flatMap((e) =>
        e.kind === 'message' ? [`${chatId}:${e.messageId}`] : [],
      );
      expect({ chatId, story, said: said(chatId) }).toEqual({
        chatId,
        story,
        said: ['hello', ...answers],
      });
    }
  });
});
