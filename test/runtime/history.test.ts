/**
 * The runtime writes each dialog's history with its turns: inbound items, the state after each
 * turn, effects with their REST calls and outcomes, timers. Retention and the off switch.
 */
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import type { EffectOutcomeData, InboundData, TurnData } from '../../src/runtime/history';
import { memoryStore } from '../../src/store/memory-store';
import { sqliteStore } from '../../src/store/sqlite-store';
import { dialogKeyOf, type HistoryEntry, type Store } from '../../src/store/store';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';

const KEY = (chatId: number) => dialogKeyOf('member-1', 571, chatId);

describe.each([
  ['memory', () => memoryStore()],
  ['sqlite', () => sqliteStore({ path: ':memory:' })],
])('runtime history (%s store)', (_name, makeStore) => {
  let store: Store;
  let clock: FakeClock;
  let portals: RecordingPortals;
  let runtime: Runtime | undefined;

  const start = async (
    history: Parameters<typeof createRuntime>[0]['history'],
    refuse?: (text: unknown) => { error: string; description?: string } | undefined,
  ): Promise<Runtime> => {
    portals = recordingPortals({ refuse: (call) => refuse?.(call.params.MESSAGE) });
    runtime = createRuntime({
      // A first message is answered at once: these tests are not about the join race (#8).
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
      ...(history !== undefined ? { history } : {}),
      dispatcher: { maxAttempts: 2, retryBaseMs: 10, retryMaxMs: 10 },
    });
    await runtime.start();
    return runtime;
  };

  const read = (chatId: number): Promise<HistoryEntry[]> => store.readHistory!(KEY(chatId));

  beforeEach(() => {
    store = makeStore();
    clock = fakeClock();
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await store.close();
  });

  it('records the inbound event, the turn with its REST call, the armed timer and the outcome', async () => {
    const rt = await start(undefined);
    await rt.accept([joinEvent({ chatId: 1 })]);
    await rt.idle();
    await rt.accept([messageEvent({ chatId: 1 }, 7)]);
    await rt.idle();
    const entries = await read(1);
    expect(entries.map((e) => e.kind)).toEqual([
      'inbound',
      'turn',
      'effect',
      'inbound',
      'turn',
      'effect',
    ]);
    const join = entries[0]!.data as InboundData;
    expect(join).toMatchObject({ source: 'event', event: { kind: 'join' } });
    const firstTurn = entries[1]!.data as TurnData;
    expect(firstTurn).toMatchObject({
      revision: 1,
      status: 'ok',
      state: 'waiting',
      effects: [
        {
          index: 0,
          effect: { type: 'say', text: 'hello' },
          call: {
            method: 'imopenlines.bot.session.message.send',
            params: { CHAT_ID: 1, NAME: 'DEFAULT', MESSAGE: 'hello' },
          },
        },
      ],
    });
    expect(firstTurn.timers).toEqual([
      expect.objectContaining({ deadline: clock.now() + 600_000, armed: true }),
    ]);
    expect(entries[2]!.data as EffectOutcomeData).toMatchObject({
      turn: 1,
      index: 0,
      outcome: 'sent',
      method: 'imopenlines.bot.session.message.send',
      attempt: 1,
    });
    const message = entries[3]!.data as InboundData;
    expect(message).toMatchObject({ source: 'event', event: { kind: 'message', messageId: 7 } });
    expect(entries[4]!.data).toMatchObject({ revision: 2, state: 'idle', timers: [] });
  });

  it('records a fired timer as the inbound item of its turn', async () => {
    const rt = await start(undefined);
    await rt.accept([joinEvent({ chatId: 2 })]);
    await rt.idle();
    clock.advance(600_000);
    await rt.runDueTimers();
    await rt.idle();
    const entries = await read(2);
    const inbound = entries.filter((e) => e.kind === 'inbound').map((e) => e.data as InboundData);
    expect(inbound[1]).toMatchObject({ source: 'timer', deadline: expect.any(Number) });
    const turns = entries.filter((e) => e.kind === 'turn').map((e) => e.data as TurnData);
    expect(turns[1]).toMatchObject({ state: 'idle', effects: [{ effect: { text: 'timeout' } }] });
  });

  it('records a refused call with its code, a retry, and a dead letter after the last attempt', async () => {
    const rt = await start(undefined, (text) =>
      text === 'hello'
        ? { error: 'CHAT_ID_ERROR', description: 'no such chat' }
        : text === '3:1'
          ? // Transient, and not the rate limit (which never dead-letters an effect).
            { error: 'INTERNAL_SERVER_ERROR' }
          : undefined,
    );
    await rt.accept([joinEvent({ chatId: 3 })]);
    await rt.idle();
    await rt.accept([messageEvent({ chatId: 3 }, 1)]);
    await rt.idle();
    clock.advance(50);
    await rt.idle();
    const outcomes = (await read(3))
      .filter((e) => e.kind === 'effect')
      .map((e) => e.data as EffectOutcomeData);
    expect(outcomes).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        code: 'CHAT_ID_ERROR',
        description: 'no such chat',
        turn: 1,
        index: 0,
      }),
      expect.objectContaining({ outcome: 'retried', code: 'INTERNAL_SERVER_ERROR', attempt: 1 }),
      expect.objectContaining({ outcome: 'dead', code: 'INTERNAL_SERVER_ERROR', attempt: 2 }),
    ]);
    expect((await store.deadLetters(10)).map((d) => d.error)).toEqual(['INTERNAL_SERVER_ERROR']);
  });

  it('with a limit of 20 entries, a dialog of 100 events keeps the last 20', async () => {
    const rt = await start({ maxEntries: 20 });
    for (let n = 1; n <= 100; n++) {
      await rt.accept([messageEvent({ chatId: 4 }, n)]);
      await rt.idle();
    }
    const entries = await read(4);
    expect(entries).toHaveLength(20);
    // Each event leaves inbound, turn and the reply's outcome: the last 20 end with event 100's.
    const inbound = entries
      .filter((e) => e.kind === 'inbound')
      .map((e) => (e.data as { event: { messageId: number } }).event.messageId);
    expect(inbound.at(-1)).toBe(100);
    expect(inbound[0]).toBeGreaterThan(90);
    expect(entries.at(-1)!.data).toMatchObject({ outcome: 'sent', turn: 100 });
    expect(portals.calls('member-1')).toHaveLength(100);
  });

  it('with history off, nothing is written', async () => {
    const rt = await start(false);
    await rt.accept([joinEvent({ chatId: 5 }), messageEvent({ chatId: 5 }, 1)]);
    await rt.idle();
    expect(portals.calls('member-1')).toHaveLength(2);
    expect(await read(5)).toEqual([]);
    const [listed] = await store.listDialogs!({ limit: 10 });
    expect(listed?.revision).toBe(2);
  });

  it('refuses an invalid history option', () => {
    expect(() =>
      createRuntime({
        bots: [echoBot],
        store,
        clients: recordingPortals().clients,
        history: { maxEntries: -1 },
      }),
    ).toThrow(/history.maxEntries/);
  });
});
