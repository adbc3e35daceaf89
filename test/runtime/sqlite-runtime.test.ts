/**
 * The runtime on the real SQLite store: restarts reopen the database file, as a new process would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { sqliteStore } from '../../src/store/sqlite-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock } from '../helpers/fake-clock';
import { recordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';

describe('createRuntime (SQLite store)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-runtime-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps dialogs, order and a durable timer across a restart on the same database file', async () => {
    const clock = fakeClock();
    const portals = recordingPortals();
    const path = join(dir, 'state.db');
    const boot = async (): Promise<{ store: Store; runtime: Runtime }> => {
      const store = sqliteStore({ path });
      const runtime = createRuntime({
        // A first message starts its conversation at once: these tests are not about the join race.
        joinWindowMs: 0,
        bots: [echoBot],
        store,
        clients: portals.clients,
        clock,
      });
      await runtime.start();
      return { store, runtime };
    };

    const first = await boot();
    await Promise.all(
      Array.from({ length: 20 }, async (_, d) => {
        const chat = { chatId: 500 + d };
        await first.runtime.accept([joinEvent(chat)]);
        for (let m = 0; m < 5; m++) await first.runtime.accept([messageEvent(chat, d * 10 + m)]);
      }),
    );
    await first.runtime.idle();
    // One more dialog that only joined: its 10-minute timer is armed.
    await first.runtime.accept([joinEvent({ chatId: 999 })]);
    await first.runtime.idle();
    await first.runtime.stop();
    await first.store.close();

    clock.advance(600_000);
    const second = await boot();
    await second.runtime.idle();
    for (let d = 0; d < 20; d++) {
      const record = await second.store.loadDialog(dialogKeyOf('member-1', 571, 500 + d));
      expect((record?.snapshot as { context: { seen: number[] } }).context.seen).toEqual(
        [0, 1, 2, 3, 4].map((m) => d * 10 + m),
      );
      expect(
        portals
          .calls('member-1')
          .filter((c) => c.params.CHAT_ID === 500 + d)
          .map((c) => c.params.MESSAGE),
      ).toEqual(['hello', ...[0, 1, 2, 3, 4].map((m) => `${500 + d}:${d * 10 + m}`)]);
    }
    expect(
      portals
        .calls('member-1')
        .filter((c) => c.params.CHAT_ID === 999)
        .map((c) => c.params.MESSAGE),
    ).toEqual(['hello', 'timeout']);
    // The first 20 dialogs left `waiting` with their first message: none of their timers fired.
    expect(portals.all().filter((c) => c.params.MESSAGE === 'timeout')).toHaveLength(1);
    await second.runtime.stop();
    await second.store.close();
  });
});

describe('turn reads (SQLite store)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-runtime-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['through the inbox', false, { nextTurn: 3, nextInbox: 0, loadDialog: 0, appendInbox: 3 }],
    // Inline: the event is not written to the inbox or read back; the dialog is read once.
    ['inline', true, { nextTurn: 0, nextInbox: 0, loadDialog: 3, appendInbox: 0 }],
  ])(
    'reads once per turn, with no read that only finds the inbox empty (%s)',
    async (_how, inlineTurns, expected) => {
      const clock = fakeClock();
      const portals = recordingPortals();
      const store = sqliteStore({ path: join(dir, 'state.db') });
      const calls = { nextTurn: 0, nextInbox: 0, loadDialog: 0, appendInbox: 0 };
      const counted: Store = new Proxy(store, {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (prop in calls) calls[prop as keyof typeof calls] += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      const runtime = createRuntime({
        inlineTurns,
        joinWindowMs: 0,
        bots: [echoBot],
        store: counted,
        clients: portals.clients,
        clock,
      });
      await runtime.start();
      const chat = { chatId: 700 };
      // Each item arrives once the dialog is idle: each run reads once and stops after its item.
      for (const event of [joinEvent(chat), messageEvent(chat, 1), messageEvent(chat, 2)]) {
        await runtime.accept([event]);
        await runtime.idle();
      }
      expect(calls).toEqual(expected);
      // Items arriving while the dialog runs are processed too (their arrival schedules it again);
      // inline, the second waits in the inbox until the first one's turn is committed.
      await Promise.all([
        runtime.accept([messageEvent(chat, 3)]),
        runtime.accept([messageEvent(chat, 4)]),
      ]);
      await runtime.idle();
      expect(
        portals
          .calls('member-1')
          .filter((c) => c.params.CHAT_ID === 700)
          .map((c) => c.params.MESSAGE),
      ).toEqual(['hello', '700:1', '700:2', '700:3', '700:4']);
      await runtime.stop();
      await store.close();
    },
  );
});
