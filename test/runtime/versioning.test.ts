/**
 * Issue 3 acceptance: a snapshot of another bot version is migrated, or the dialog restarts with a warning; never a crash.
 */
import { setup } from 'xstate';
import { defineBot, type MigrateFn } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { createLogger } from '../../src/logger';
import { createRuntime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { messageEvent } from '../helpers/dialog-events';
import { fakeClock } from '../helpers/fake-clock';
import { recordingPortals } from '../helpers/recording-client';

const types = { events: {} as BotEvent, input: {} as DialogInput };
const v1 = setup({ types }).createMachine({
  id: 'shop',
  initial: 'asking',
  states: {
    asking: { on: { message: { target: 'ordering', actions: say('v1: which order?') } } },
    ordering: { on: { message: { actions: say('v1: checking') } } },
  },
});
// v2 renamed `ordering` to `checkingOrder`.
const v2 = setup({ types }).createMachine({
  id: 'shop',
  initial: 'asking',
  states: {
    asking: { on: { message: { target: 'checkingOrder', actions: say('v2: which order?') } } },
    checkingOrder: { on: { message: { actions: say('v2: checking') } } },
  },
});

const chat = { chatId: 77, botCode: 'shop_bot' };
const key = dialogKeyOf('member-1', 571, 77);

function captureLogs() {
  const lines: Array<{ level: number; msg: string; reason?: string }> = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as (typeof lines)[number]) },
  });
  return { logger, warnings: () => lines.filter((l) => l.level === 40) };
}

async function runV1(store: Store, portals: ReturnType<typeof recordingPortals>): Promise<void> {
  const rt = createRuntime({
    // A first message starts its conversation at once: these tests are not about the join race.
    joinWindowMs: 0,
    bots: [defineBot({ code: 'shop_bot', name: 'Shop', version: '1', machine: v1 })],
    store,
    clients: portals.clients,
    clock: fakeClock(),
  });
  await rt.start();
  await rt.accept([messageEvent(chat, 1)]);
  await rt.idle();
  await rt.stop();
}

async function runV2(
  store: Store,
  portals: ReturnType<typeof recordingPortals>,
  migrate?: MigrateFn,
) {
  const logs = captureLogs();
  const bot = defineBot({
    code: 'shop_bot',
    name: 'Shop',
    version: '2',
    machine: v2,
    ...(migrate ? { migrate } : {}),
  });
  const rt = createRuntime({
    // A first message starts its conversation at once: these tests are not about the join race.
    joinWindowMs: 0,
    bots: [bot],
    store,
    clients: portals.clients,
    clock: fakeClock(),
    logger: logs.logger,
  });
  await rt.start();
  await rt.accept([messageEvent(chat, 2)]);
  await rt.idle();
  await rt.stop();
  return logs;
}

describe('createRuntime (versioning)', () => {
  it('migrates a v1 snapshot in a state that v2 renamed', async () => {
    const store = memoryStore();
    const portals = recordingPortals();
    await runV1(store, portals);
    expect(await store.loadDialog(key)).toMatchObject({
      botVersion: '1',
      snapshot: { value: 'ordering' },
    });

    const seen: Array<{ fromVersion: string; toVersion: string }> = [];
    const logs = await runV2(store, portals, ({ snapshot, fromVersion, toVersion }) => {
      seen.push({ fromVersion, toVersion });
      const s = snapshot as { value: unknown };
      return { ...s, value: s.value === 'ordering' ? 'checkingOrder' : s.value };
    });

    expect(seen).toEqual([{ fromVersion: '1', toVersion: '2' }]);
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual([
      'v1: which order?',
      'v2: checking',
    ]);
    expect(await store.loadDialog(key)).toMatchObject({
      botVersion: '2',
      snapshot: { value: 'checkingOrder' },
    });
    expect(logs.warnings()).toEqual([]);
  });

  it('restarts from the initial state with a warning when there is no migrate', async () => {
    const store = memoryStore();
    const portals = recordingPortals();
    await runV1(store, portals);
    const logs = await runV2(store, portals);
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual([
      'v1: which order?',
      'v2: which order?',
    ]);
    expect(await store.loadDialog(key)).toMatchObject({
      botVersion: '2',
      snapshot: { value: 'checkingOrder' },
      meta: { conversation: 2 },
    });
    expect(logs.warnings()).toEqual([
      expect.objectContaining({
        msg: 'dialog restarted from the initial state',
        reason: expect.stringMatching(/no migrate/),
      }),
    ]);
  });

  it('restarts with a warning when migrate throws or returns a snapshot xstate cannot restore', async () => {
    for (const migrate of [
      () => {
        throw new Error('cannot');
      },
      (): unknown => ({ value: 'noSuchState', context: {}, status: 'active', children: {} }),
    ]) {
      const store = memoryStore();
      const portals = recordingPortals();
      await runV1(store, portals);
      const logs = await runV2(store, portals, migrate);
      expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual([
        'v1: which order?',
        'v2: which order?',
      ]);
      expect(logs.warnings()).toHaveLength(1);
      expect((await store.stats()).inboxDepth).toBe(0);
    }
  });

  it('restarts with a warning when a same-version snapshot is corrupt', async () => {
    const store = memoryStore();
    const portals = recordingPortals();
    await runV1(store, portals);
    const record = await store.loadDialog(key);
    await store.commitTurn(key, {
      expectedRevision: record!.revision,
      snapshot: { value: 42, garbage: true },
      botVersion: '1',
      meta: record!.meta,
      effects: [],
      timers: [],
      now: 0,
    });
    const logs = captureLogs();
    const rt = createRuntime({
      // A first message starts its conversation at once: these tests are not about the join race.
      joinWindowMs: 0,
      bots: [defineBot({ code: 'shop_bot', name: 'Shop', version: '1', machine: v1 })],
      store,
      clients: portals.clients,
      clock: fakeClock(),
      logger: logs.logger,
    });
    await rt.start();
    await rt.accept([messageEvent(chat, 2)]);
    await rt.idle();
    await rt.stop();
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual([
      'v1: which order?',
      'v1: which order?',
    ]);
    expect(logs.warnings()).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/cannot be restored/) }),
    ]);
  });
});
