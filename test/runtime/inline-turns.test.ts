/**
 * Inline turns: an idle dialog's event is processed as it arrives and acknowledged once its turn is
 * committed; whatever cannot be done that way goes through the inbox, with the same guarantees.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestClient } from '../../src/bitrix/types';
import { inlineTurnsFromEnv } from '../../src/config/runtime-env';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import type { EventPayload } from '../../src/runtime/inbox-payload';
import { memoryStore } from '../../src/store/memory-store';
import { sqliteStore } from '../../src/store/sqlite-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { leadBot } from '../helpers/lead-bot';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { echoBot, lookupBot } from '../helpers/test-bots';

const stores: Array<[string, () => Store]> = [
  ['memory', () => memoryStore()],
  ['SQLite', () => sqliteStore({ path: join(dir, 'state.db') })],
];
let dir: string;

describe.each(stores)('inline turns (%s store)', (_name, makeStore) => {
  let clock: FakeClock;
  let portals: RecordingPortals;
  let store: Store;
  let runtime: Runtime | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-inline-'));
    clock = fakeClock();
    portals = recordingPortals();
    store = makeStore();
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (
    options: Partial<Parameters<typeof createRuntime>[0]> = {},
  ): Promise<Runtime> => {
    runtime = createRuntime({
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
      ...options,
    });
    await runtime.start();
    return runtime;
  };
  const messages = (): unknown[] => portals.calls('member-1').map((c) => c.params.MESSAGE);

  it('commits the turn before acknowledging the event, which never waits in the inbox', async () => {
    const rt = await start();
    const key = dialogKeyOf('member-1', 571, 10);
    const [result] = await rt.accept([messageEvent({ chatId: 10 }, 1)]);
    expect(result?.status).toBe('accepted');
    // Acknowledged: the turn is durable already, with its effect in the outbox.
    expect((await store.loadDialog(key))?.revision).toBe(1);
    expect(await store.stats()).toMatchObject({ inboxDepth: 0, outboxDepth: 1 });
    await rt.idle();
    expect(messages()).toEqual(['10:1']);
  });

  it('answers a redelivered event as a duplicate and runs no turn for it', async () => {
    const rt = await start();
    const key = dialogKeyOf('member-1', 571, 11);
    const event = messageEvent({ chatId: 11 }, 1);
    expect((await rt.accept([event]))[0]?.status).toBe('accepted');
    expect(await rt.accept([event])).toEqual([{ status: 'duplicate' }]);
    await rt.idle();
    expect((await store.loadDialog(key))?.revision).toBe(1);
    expect(messages()).toEqual(['11:1']);
  });

  it('makes an invoked REST call only once the event is durable, and acknowledges without waiting for it', async () => {
    let finish!: (id: number) => void;
    let depthAtCall: number | undefined;
    let reached!: () => void;
    const called = new Promise<void>((resolve) => (reached = resolve));
    const calls: string[] = [];
    const clients = (portalId: string): RestClient => {
      const recording = portals.clients(portalId);
      return {
        portalId,
        batch: (c, o) => recording.batch(c, o),
        async call<T>(
          method: string,
          params?: Record<string, unknown>,
          o?: { signal?: AbortSignal },
        ) {
          if (method !== 'crm.lead.add') return recording.call<T>(method, params, o);
          calls.push(method);
          depthAtCall = (await store.stats()).inboxDepth;
          const answer = new Promise<T>((resolve) => (finish = (id) => resolve(id as T)));
          reached();
          return answer;
        },
      };
    };
    const rt = await start({ bots: [leadBot()], clients, turnTimeoutMs: 60_000 });
    const key = dialogKeyOf('member-1', 571, 12);
    const [result] = await rt.accept([
      messageEvent({ chatId: 12, botCode: 'lead_bot' }, 1, 'Anna'),
    ]);
    // Acknowledged while the call is still running: the event is in the inbox.
    expect(result?.status).toBe('accepted');
    await called;
    expect(depthAtCall).toBe(1);
    expect(await store.loadDialog(key)).toBeUndefined();
    finish(42);
    await rt.idle();
    // The turn consumed the item it was appended as; the call was made once.
    expect(calls).toEqual(['crm.lead.add']);
    expect(await store.stats()).toMatchObject({ inboxDepth: 0 });
    expect((await store.loadDialog(key))?.revision).toBe(1);
    expect(messages()).toEqual(['saving', 'lead 42']);
  });

  it('appends and acknowledges the event of a turn that runs longer than the budget', async () => {
    let answer: ((status: string) => void) | undefined;
    const slow = lookupBot(() => new Promise<string>((resolve) => (answer = resolve)));
    // The budget runs in real time (the sender waits in real time), whatever the runtime's clock.
    const rt = await start({ bots: [slow], inlineTurns: { budgetMs: 1 } });
    const key = dialogKeyOf('member-1', 571, 13);
    const [result] = await rt.accept([messageEvent({ chatId: 13, botCode: slow.code }, 1, 'A-1')]);
    // Acknowledged while the lookup still runs: the event waits in the inbox for its turn's commit.
    expect(result?.status).toBe('accepted');
    expect(answer).toBeDefined();
    expect(await store.stats()).toMatchObject({ inboxDepth: 1 });
    expect(await store.loadDialog(key)).toBeUndefined();
    answer?.('shipped');
    await rt.idle();
    expect(await store.stats()).toMatchObject({ inboxDepth: 0 });
    expect((await store.loadDialog(key))?.revision).toBe(1);
    expect(messages()).toEqual(['status: shipped']);
  });

  it('puts an event behind an older item of its dialog that waits in the inbox', async () => {
    const rt = await start();
    const chat = { chatId: 14 };
    // An item appended before the event but not scheduled yet (as a refused effect's item is, for a moment).
    const older: EventPayload = { kind: 'event', event: messageEvent(chat, 1) };
    await store.appendInbox(
      [{ dialogKey: dialogKeyOf('member-1', 571, 14), dedupeKey: 'older', payload: older }],
      { now: clock.now() },
    );
    expect((await rt.accept([messageEvent(chat, 2)]))[0]?.status).toBe('accepted');
    await rt.idle();
    expect(messages()).toEqual(['14:1', '14:2']);
    expect(await store.stats()).toMatchObject({ inboxDepth: 0 });
  });

  it('keeps the arrival order of events that come while a dialog runs inline', async () => {
    const rt = await start();
    const chat = { chatId: 15 };
    await Promise.all([1, 2, 3, 4].map((n) => rt.accept([messageEvent(chat, n)])));
    await rt.idle();
    expect(messages()).toEqual(['15:1', '15:2', '15:3', '15:4']);
  });

  it('sends events through the inbox beyond maxConcurrent inline turns, and with inlineTurns: false', async () => {
    let appends = 0;
    const append = store.appendInbox.bind(store);
    store.appendInbox = (...a) => {
      appends += 1;
      return append(...a);
    };
    const rt = await start({ inlineTurns: { maxConcurrent: 1 } });
    await Promise.all([21, 22, 23].map((chatId) => rt.accept([messageEvent({ chatId }, chatId)])));
    await rt.idle();
    expect(appends).toBe(2);
    expect(messages().sort()).toEqual(['21:21', '22:22', '23:23']);
    await rt.stop();

    appends = 0;
    const queued = await start({ inlineTurns: false });
    await queued.accept([messageEvent({ chatId: 24 }, 24)]);
    expect(appends).toBe(1);
    await queued.idle();
    expect(messages()).toContain('24:24');
  });
});

it('refuses a malformed inlineTurns option with a clear error', () => {
  expect(() =>
    createRuntime({
      bots: [echoBot],
      store: memoryStore(),
      clients: recordingPortals().clients,
      inlineTurns: { maxConcurrent: 0 },
    }),
  ).toThrow(/inlineTurns.maxConcurrent must be a positive integer/);
});

it('reads OPENLINES_INLINE_TURNS (on, off, unset) and refuses anything else by name', () => {
  expect(inlineTurnsFromEnv({ OPENLINES_INLINE_TURNS: 'off' })).toBe(false);
  expect(inlineTurnsFromEnv({ OPENLINES_INLINE_TURNS: 'on' })).toBe(true);
  expect(inlineTurnsFromEnv({})).toBeUndefined();
  expect(() => inlineTurnsFromEnv({ OPENLINES_INLINE_TURNS: 'sometimes' })).toThrow(
    /OPENLINES_INLINE_TURNS: must be "on" or "off"/,
  );
});
