import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { echoBot, lookupBot } from '../helpers/test-bots';

describe('createRuntime', () => {
  let store: Store;
  let clock: FakeClock;
  let portals: RecordingPortals;
  let runtime: Runtime;

  beforeEach(async () => {
    store = memoryStore();
    clock = fakeClock();
    portals = recordingPortals();
    runtime = createRuntime({
      // A first message starts its conversation at once: these tests are not about the join race.
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock,
    });
    await runtime.start();
  });
  afterEach(async () => {
    await runtime.stop();
  });

  it('runs a conversation: join, messages, replies in order', async () => {
    const chat = { chatId: 1777 };
    await runtime.accept([joinEvent(chat), messageEvent(chat, 1), messageEvent(chat, 2)]);
    await runtime.idle();
    expect(portals.calls('member-1')).toEqual([
      {
        method: 'imopenlines.bot.session.message.send',
        params: { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: 'hello' },
      },
      {
        method: 'imopenlines.bot.session.message.send',
        params: { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: '1777:1' },
      },
      {
        method: 'imopenlines.bot.session.message.send',
        params: { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: '1777:2' },
      },
    ]);
    const record = await store.loadDialog(dialogKeyOf('member-1', 571, 1777));
    expect(record).toMatchObject({
      botVersion: '1',
      meta: {
        botCode: 'echo_bot',
        conversation: 1,
        input: { chatId: 1777, dialogId: 'chat1777', lineId: 3 },
      },
    });
    expect((record?.snapshot as { context: unknown }).context).toEqual({
      chatId: 1777,
      seen: [1, 2],
    });
  });

  it('starts a conversation for a message in a chat without one', async () => {
    await runtime.accept([messageEvent({ chatId: 5 }, 9)]);
    await runtime.idle();
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual(['5:9']);
  });

  it("starts a fresh conversation on a new session's join, ending the previous one", async () => {
    const chat = { chatId: 6 };
    const next = { sessionId: 2006 };
    await runtime.accept([
      joinEvent(chat, 1),
      messageEvent(chat, 1),
      { ...joinEvent(chat, 2), ...next },
      { ...messageEvent(chat, 2), ...next },
    ]);
    await runtime.idle();
    const record = await store.loadDialog(dialogKeyOf('member-1', 571, 6));
    expect((record?.snapshot as { context: unknown }).context).toEqual({ chatId: 6, seen: [2] });
    expect(record?.meta).toMatchObject({ conversation: 2 });
  });

  it('treats a redelivered event as a no-op', async () => {
    const chat = { chatId: 7 };
    const first = await runtime.accept([joinEvent(chat), messageEvent(chat, 1)]);
    await runtime.idle();
    const before = await store.loadDialog(dialogKeyOf('member-1', 571, 7));
    const again = await runtime.accept([joinEvent(chat), messageEvent(chat, 1)]);
    await runtime.idle();
    expect(first.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(again).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
    expect(await store.loadDialog(dialogKeyOf('member-1', 571, 7))).toEqual(before);
    expect(portals.calls('member-1')).toHaveLength(2);
  });

  it('waits for invoked work to settle before committing', async () => {
    let resolve!: (v: string) => void;
    const bot = lookupBot(() => new Promise<string>((r) => (resolve = r)));
    const rt = createRuntime({
      joinWindowMs: 0,
      bots: [bot],
      store: memoryStore(),
      clients: portals.clients,
      clock,
    });
    await rt.start();
    await rt.accept([messageEvent({ chatId: 8, botCode: 'lookup_bot' }, 1, 'A-1')]);
    await new Promise((r) => setImmediate(r));
    expect(portals.calls('member-1')).toHaveLength(0);
    resolve('shipped');
    await rt.idle();
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual(['status: shipped']);
    await rt.stop();
  });

  it('fails a turn whose invoked work outlives the turn timeout, and sends the fallback', async () => {
    const bot = lookupBot(() => new Promise<string>(() => undefined));
    const store2 = memoryStore();
    const rt = createRuntime({
      joinWindowMs: 0,
      bots: [bot],
      store: store2,
      clients: portals.clients,
      clock,
      turnTimeoutMs: 1000,
    });
    await rt.start();
    await rt.accept([messageEvent({ chatId: 9, botCode: 'lookup_bot' }, 1, 'A-1')]);
    await new Promise((r) => setImmediate(r));
    clock.advance(1000);
    await rt.idle();
    expect(portals.calls('member-1').map((c) => c.method)).toEqual([
      'imopenlines.bot.session.message.send',
      'imopenlines.bot.session.operator',
    ]);
    expect((await store2.stats()).inboxDepth).toBe(0);
    await rt.stop();
  });

  it.each([
    ['inline', true],
    ['through the inbox', false],
  ])(
    'retries a dialog whose commit failed in the store, without losing the event (%s)',
    async (_how, inlineTurns) => {
      const flaky = memoryStore();
      let failNext = true;
      const commitTurn = flaky.commitTurn.bind(flaky);
      flaky.commitTurn = async (key, commit) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        return commitTurn(key, commit);
      };
      const commitInline = flaky.commitInlineTurn!.bind(flaky);
      flaky.commitInlineTurn = async (key, commit) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        return commitInline(key, commit);
      };
      const rt = createRuntime({
        inlineTurns,
        joinWindowMs: 0,
        bots: [echoBot],
        store: flaky,
        clients: portals.clients,
        clock,
      });
      await rt.start();
      await rt.accept([messageEvent({ chatId: 11 }, 1)]);
      await rt.idle();
      expect(portals.calls('member-1')).toHaveLength(0);
      expect(failNext).toBe(false);
      // The event waits in the inbox for the retry.
      expect((await flaky.stats()).inboxDepth).toBe(1);
      clock.advance(1000);
      await rt.idle();
      expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual(['11:1']);
      await rt.stop();
    },
  );

  it('recovers inbox items accepted before a restart', async () => {
    const shared = memoryStore();
    const down = createRuntime({
      joinWindowMs: 0,
      bots: [echoBot],
      store: shared,
      clients: portals.clients,
      clock,
    });
    await down.accept([messageEvent({ chatId: 12 }, 1), messageEvent({ chatId: 13 }, 2)]);
    await down.stop();
    const up = createRuntime({
      joinWindowMs: 0,
      bots: [echoBot],
      store: shared,
      clients: portals.clients,
      clock,
    });
    await up.start();
    await up.idle();
    expect(
      portals
        .calls('member-1')
        .map((c) => c.params.MESSAGE)
        .sort(),
    ).toEqual(['12:1', '13:2']);
    await up.stop();
  });

  it('rejects bad options and bad events with typed errors', async () => {
    expect(() =>
      createRuntime({
        joinWindowMs: 0,
        bots: [echoBot, echoBot],
        store,
        clients: portals.clients,
      }),
    ).toThrow(/two bots/);
    expect(() =>
      createRuntime({
        joinWindowMs: 0,
        bots: [echoBot],
        store,
        clients: portals.clients,
        turnTimeoutMs: 5000,
        leaseMs: 100,
      }),
    ).toThrow(/leaseMs/);
    await expect(runtime.accept([{ kind: 'app.install' } as never])).rejects.toMatchObject({
      code: 'CONFIG',
    });
  });

  it('rejects events after stop', async () => {
    await runtime.stop();
    await expect(runtime.accept([messageEvent({ chatId: 1 }, 1)])).rejects.toMatchObject({
      code: 'RUNTIME_STOPPED',
    });
  });
});
