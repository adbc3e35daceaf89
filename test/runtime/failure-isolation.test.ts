/**
 * Issue 3 acceptance: a machine that throws in an action gets the fallback; the other dialogs go on.
 */
import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { say, toOperator } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { createLogger } from '../../src/logger';
import { createRuntime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf } from '../../src/store/store';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock } from '../helpers/fake-clock';
import { recordingPortals } from '../helpers/recording-client';
import { echoBot, echoMachine } from '../helpers/test-bots';

const APOLOGY = 'Sorry, something went wrong on our side. Let me connect you with an operator.';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    logger: createLogger({
      level: 'info',
      destination: {
        write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>),
      },
    }),
  };
}

describe('createRuntime (failure isolation)', () => {
  it('gives a throwing dialog the fallback while 100 other dialogs finish normally', async () => {
    const store = memoryStore();
    const portals = recordingPortals();
    const logs = capture();
    const runtime = createRuntime({
      // A first message starts its conversation at once: these tests are not about the join race.
      joinWindowMs: 0,
      bots: [echoBot],
      store,
      clients: portals.clients,
      clock: fakeClock(),
      logger: logs.logger,
    });
    await runtime.start();

    const broken = { chatId: 1 };
    await Promise.all([
      (async () => {
        await runtime.accept([joinEvent(broken)]);
        await runtime.accept([messageEvent(broken, 1, 'boom')]);
        await runtime.accept([messageEvent(broken, 2)]);
      })(),
      ...Array.from({ length: 100 }, async (_, i) => {
        const chat = { chatId: 100 + i };
        await runtime.accept([joinEvent(chat)]);
        for (let m = 0; m < 3; m++) await runtime.accept([messageEvent(chat, 1000 + i * 10 + m)]);
      }),
    ]);
    await runtime.idle();

    expect(portals.calls('member-1').filter((c) => c.params.CHAT_ID === 1)).toEqual([
      {
        method: 'imopenlines.bot.session.message.send',
        params: { CHAT_ID: 1, NAME: 'DEFAULT', MESSAGE: 'hello' },
      },
      {
        method: 'imopenlines.bot.session.message.send',
        params: { CHAT_ID: 1, NAME: 'DEFAULT', MESSAGE: APOLOGY },
      },
      { method: 'imopenlines.bot.session.operator', params: { CHAT_ID: 1 } },
      // The item was consumed (no poison loop) and the dialog goes on from where it was.
      {
        method: 'imopenlines.bot.session.message.send',
        params: { CHAT_ID: 1, NAME: 'DEFAULT', MESSAGE: '1:2' },
      },
    ]);
    for (let i = 0; i < 100; i++) {
      const chatId = 100 + i;
      expect(
        portals
          .calls('member-1')
          .filter((c) => c.params.CHAT_ID === chatId)
          .map((c) => c.params.MESSAGE),
      ).toEqual(['hello', ...[0, 1, 2].map((m) => `${chatId}:${1000 + i * 10 + m}`)]);
    }
    expect((await store.stats()).inboxDepth).toBe(0);
    const failures = logs.lines.filter((l) => l.msg === 'turn failed; dialog gets the fallback');
    expect(failures).toEqual([
      expect.objectContaining({
        dialog: dialogKeyOf('member-1', 571, 1),
        bot: 'echo_bot',
        portal: 'member-1',
        code: 'TURN_ERROR',
        reason: 'error',
        error: expect.stringMatching(/the bot author made a mistake/),
      }),
    ]);
    await runtime.stop();
  });

  it('uses the runtime fallback, the bot fallback over it, or none when disabled', async () => {
    const cases = [
      {
        runtimeFallback: [{ type: 'toOperator' as const }],
        botFallback: undefined,
        expected: ['imopenlines.bot.session.operator'],
      },
      {
        runtimeFallback: [{ type: 'toOperator' as const }],
        botFallback: [{ type: 'finish' as const }],
        expected: ['imopenlines.bot.session.finish'],
      },
      { runtimeFallback: false as const, botFallback: undefined, expected: [] },
      {
        runtimeFallback: undefined,
        botFallback: () => [{ type: 'say' as const, text: 'oops' }],
        expected: ['imopenlines.bot.session.message.send'],
      },
    ];
    for (const c of cases) {
      const portals = recordingPortals();
      const bot = defineBot({
        code: 'echo_bot',
        name: 'Echo',
        version: '1',
        machine: echoMachine,
        ...(c.botFallback ? { fallback: c.botFallback } : {}),
      });
      const runtime = createRuntime({
        joinWindowMs: 0,
        bots: [bot],
        store: memoryStore(),
        clients: portals.clients,
        clock: fakeClock(),
        ...(c.runtimeFallback !== undefined ? { fallback: c.runtimeFallback } : {}),
      });
      await runtime.start();
      await runtime.accept([messageEvent({ chatId: 3 }, 1, 'boom')]);
      await runtime.idle();
      expect(portals.calls('member-1').map((c2) => c2.method)).toEqual(c.expected);
      await runtime.stop();
    }
  });

  it('delivers a refused effect to the machine as effect.failed', async () => {
    const machine = setup({
      types: { events: {} as BotEvent, input: {} as DialogInput },
    }).createMachine({
      on: {
        message: { actions: toOperator() },
        'effect.failed': {
          actions: say(
            ({ event }) => `no luck: ${event.method} ${event.code} (${event.description ?? ''})`,
          ),
        },
      },
    });
    const portals = recordingPortals({
      refuse: (call) =>
        call.method === 'imopenlines.bot.session.operator'
          ? { error: 'OPERATOR_WRONG', description: 'no operators' }
          : undefined,
    });
    const store = memoryStore();
    const runtime = createRuntime({
      joinWindowMs: 0,
      bots: [defineBot({ code: 'op_bot', name: 'Op', version: '1', machine })],
      store,
      clients: portals.clients,
      clock: fakeClock(),
    });
    await runtime.start();
    await runtime.accept([messageEvent({ chatId: 4 }, 1)]);
    await runtime.idle();
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE ?? c.method)).toEqual([
      'imopenlines.bot.session.operator',
      'no luck: imopenlines.bot.session.operator OPERATOR_WRONG (no operators)',
    ]);
    expect(await store.stats()).toMatchObject({ inboxDepth: 0, outboxDepth: 0 });
    await runtime.stop();
  });

  it('does not loop when the fallback itself is refused and the machine throws on effect.failed', async () => {
    const portals = recordingPortals({
      refuse: (call) =>
        call.method === 'imopenlines.bot.session.operator'
          ? { error: 'OPERATOR_WRONG' }
          : undefined,
    });
    const machine = setup({
      types: { events: {} as BotEvent, input: {} as DialogInput },
    }).createMachine({
      on: {
        '*': {
          actions: () => {
            throw new Error('always');
          },
        },
      },
    });
    const store = memoryStore();
    const runtime = createRuntime({
      joinWindowMs: 0,
      bots: [defineBot({ code: 'bad_bot', name: 'Bad', version: '1', machine })],
      store,
      clients: portals.clients,
      clock: fakeClock(),
    });
    await runtime.start();
    await runtime.accept([messageEvent({ chatId: 4 }, 1)]);
    await runtime.idle();
    expect(portals.calls('member-1').map((c) => c.method)).toEqual([
      'imopenlines.bot.session.message.send',
      'imopenlines.bot.session.operator',
    ]);
    expect(await store.stats()).toMatchObject({ inboxDepth: 0, outboxDepth: 0 });
    await runtime.stop();
  });
});
