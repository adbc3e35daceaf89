/**
 * `testBot`: a conversation with a bot through the real runtime, in milliseconds. Client turns
 * are real Bitrix24 wire bodies (v1 or v2, as the bot is registered) parsed by the real parser;
 * the bot's effects go through the real outbox and REST client to a fake portal; time is a fake
 * clock, so a ten-minute idle timeout takes one `wait` call.
 */
import { matchesState, type StateValue } from 'xstate';
import type { BotDefinition } from '../dsl/define-bot';
import type { DialogEvent } from '../events/inbound-event';
import { dialogKeyOf } from '../store/store';
import { advanceTime, durationMs } from './advance-time';
import type { BotChat, TestBotOptions } from './bot-chat';
import { createChatRecorder } from './chat-recorder';
import { formatTranscript, type TranscriptEntry } from './chat-transcript';
import { createChatView, findButton, repliesOf } from './chat-view';
import { writeCoverageRecord } from './coverage-data';
import { createCoverageTracker } from './coverage-tracker';
import { createFakeClock } from './fake-clock';
import type { CallRecord, FakePortalApi } from './fake-portal';
import { instrumentMachine, type ObservedSnapshot } from './instrument-machine';
import { startBotRuntime, type BotRuntime } from './start-bot-runtime';
import { createWireChat, type WireChat } from './wire-chat';

export type { BotChat, TestBotOptions, WaitDuration } from './bot-chat';
export type { ChatClient } from './wire-chat';
export type { RuntimeLogLine } from './start-bot-runtime';
export type { InvokedRestCall } from './watch-rest-client';

type Started = { rt: BotRuntime; wire: WireChat };

/** The runtime's default join window (`createRuntime({ joinWindowMs })`). */
const JOIN_WINDOW_MS = 1000;

const open = new Set<BotChat>();
const hooks = globalThis as { afterAll?: (fn: () => Promise<void>) => void };
try {
  // A chat a test forgot to close must not keep jest alive: close the rest after the file's tests.
  hooks.afterAll?.(async () => {
    for (const chat of [...open]) await chat.close();
  });
} catch {
  // Imported outside a test file's top level: nothing to hook into.
}

/**
 * Starts a test conversation with `bot`. Nothing runs until the first action.
 *
 * @example
 * const chat = testBot(createSupportBot());
 * await chat.join();
 * await chat.press('order');
 * await chat.send('12345');
 * expect(chat).toHaveReplied(/in transit/);
 * await chat.wait({ minutes: 10 });
 * expect(chat).toHaveFinished();
 * await chat.close();
 */
export function testBot(declared: BotDefinition, options: TestBotOptions = {}): BotChat {
  if (!declared || typeof declared !== 'object' || !declared.machine)
    throw new TypeError('testBot needs a bot from defineBot(...)');
  if (options.apiVersion !== undefined && options.apiVersion !== 1 && options.apiVersion !== 2)
    throw new TypeError('testBot: apiVersion must be 1 or 2');
  const bot: BotDefinition =
    options.apiVersion !== undefined && options.apiVersion !== declared.apiVersion
      ? Object.freeze({ ...declared, apiVersion: options.apiVersion })
      : declared;
  const clock = options.clock ?? createFakeClock();
  const chatId = options.chatId ?? 1777;
  const lineId = options.lineId ?? 1;
  const tracker = createCoverageTracker({ botCode: bot.code, machine: bot.machine });
  const recorder = createChatRecorder();
  const { effects, entries } = recorder;
  let lastObserved: ObservedSnapshot | undefined;
  const machine = instrumentMachine(bot.machine, {
    start(s) {
      lastObserved = s;
      tracker.observer.start(s);
    },
    step(t, s) {
      lastObserved = s;
      tracker.observer.step(t, s);
    },
  });
  let state: StateValue | undefined;
  let context: unknown;
  let done = false;
  let marks = { effects: 0, entries: 0 };
  let started: Promise<Started> | undefined;
  let current: BotRuntime | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const start = () =>
    (started ??= (async () => {
      const rt = await startBotRuntime({
        bot: Object.freeze({ ...bot, machine }),
        clock,
        chatId,
        lineId,
        onSettled: (effect, outcome) => recorder.settled(effect, outcome),
        onLog: (line) => recorder.logged(line),
        onInvoked: (call) => recorder.invoked(call),
        ...(options.nock ? { nock: options.nock } : {}),
        ...(options.lines ? { lines: options.lines } : {}),
        ...(options.turnTimeoutMs !== undefined ? { turnTimeoutMs: options.turnTimeoutMs } : {}),
      });
      current = rt;
      return {
        rt,
        wire: createWireChat({
          bot,
          botId: rt.botId,
          portal: rt.portal,
          chatId,
          lineId,
          client: options.client,
          ...(options.connector !== undefined ? { connector: options.connector } : {}),
          ...(options.language !== undefined ? { language: options.language } : {}),
          ...(options.crm !== undefined ? { crm: options.crm } : {}),
        }),
      };
    })());

  // After a final state the runtime stores no snapshot; the last one the machine reported says where it ended.
  const refresh = async (rt: BotRuntime): Promise<void> => {
    const record = await rt.store.loadDialog(dialogKeyOf(rt.portal.memberId, rt.botId, chatId));
    const snap = record?.snapshot as { value: StateValue; context: unknown } | null | undefined;
    if (snap) [state, context, done] = [snap.value, snap.context, false];
    else if (record && lastObserved?.status === 'done')
      [state, context, done] = [lastObserved.value, lastObserved.context, true];
  };

  // Actions run one at a time, in call order, even if a test forgets an `await`.
  const act = (
    entry: TranscriptEntry | undefined,
    run: (s: Started) => Promise<void>,
  ): Promise<void> => {
    const next = queue.then(async () => {
      if (closed) throw new Error('testBot: this chat is closed');
      const s = await start();
      open.add(chat);
      marks = { effects: effects.length, entries: entries.length };
      const logMark = recorder.logs.length;
      if (entry) entries.push(entry);
      await run(s);
      await s.rt.runtime.idle();
      // A session's first message waits for its join; none comes within this step, so the
      // window passes as it would on a real portal (and the message is answered).
      if (await s.rt.store.nextInbox(dialogKeyOf(s.rt.portal.memberId, s.rt.botId, chatId)))
        await advanceTime({ runtime: s.rt.runtime, store: s.rt.store, clock, ms: JOIN_WINDOW_MS });
      await refresh(s.rt);
      const timedOut = recorder.logs
        .slice(logMark)
        .find((l) => l.reason === 'timeout' && l.msg.startsWith('turn failed'));
      if (timedOut) {
        throw new Error(
          `testBot: turn timeout: ${timedOut.error ?? 'the machine did not settle'}. ` +
            'Work the machine invokes must end (resolve or reject) within the turn timeout.' +
            `\n\nTranscript:\n${chat.transcript}`,
        );
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
  const deliver = async (s: Started, event: DialogEvent): Promise<void> => {
    await s.rt.runtime.accept([event]);
  };
  const running = (): BotRuntime => {
    if (!current)
      throw new Error('testBot: the portal starts with the first action (await chat.join() first)');
    return current;
  };

  const chat: BotChat = {
    get effects() {
      return effects;
    },
    get replies() {
      return repliesOf(effects);
    },
    get transcript() {
      return formatTranscript(entries);
    },
    get conversation() {
      return formatTranscript(entries);
    },
    get state() {
      return state;
    },
    get context() {
      return context;
    },
    get done() {
      return done;
    },
    get last() {
      return createChatView({
        effects: effects.slice(marks.effects),
        entries: entries.slice(marks.entries),
        state,
        allEntries: entries,
      });
    },
    get calls(): readonly CallRecord[] {
      const rt = running();
      return rt.portal.calls.slice(rt.firstCall);
    },
    get logs() {
      return recorder.logs;
    },
    get invokedCalls() {
      return recorder.invokedCalls;
    },
    clock,
    get portal(): FakePortalApi {
      return running().portal;
    },
    coverage: { states: tracker.visitedStates, transitions: tracker.visitedTransitions },
    join: (o = {}) =>
      act(undefined, async (s) => {
        const { event, label } = s.wire.join(o.client === undefined ? options.client : o.client);
        s.rt.portal.setSession(chatId, 'bot');
        if (o.after !== undefined) {
          // The session's first message overtakes its join (same session id).
          entries.push({ kind: 'client', text: o.after });
          await deliver(s, s.wire.message(o.after));
        }
        entries.push({ kind: 'join', ...(label ? { client: label } : {}) });
        await deliver(s, event);
      }),
    send: (text) => act({ kind: 'client', text }, (s) => deliver(s, s.wire.message(text))),
    operator: (text, o = {}) =>
      act({ kind: 'note', text: `operator: ${text}` }, (s) =>
        deliver(s, s.wire.operatorMessage(text, o.operator)),
      ),
    press: (wanted) =>
      act(undefined, async (s) => {
        const button = findButton(effects, wanted);
        if ('missing' in button)
          throw new Error(`testBot: ${button.missing}\n\nTranscript:\n${chat.transcript}`);
        const registered = s.rt.portal.bots.find((b) => b.id === s.rt.botId)?.commands ?? [];
        if (!registered.some((c) => c.command === button.command)) {
          throw new Error(
            `testBot: the button [${button.text}] sends the command "${button.command}", which the bot does not register: ` +
              `on a real portal pressing it does nothing. Add it to defineBot({ commands: [...] }).\n\nTranscript:\n${chat.transcript}`,
          );
        }
        entries.push({ kind: 'press', button });
        await deliver(s, s.wire.command(button.command, button.params ?? '', 'keyboard'));
      }),
    command: (name, params = '') => {
      const command = name.replace(/^\//, '');
      return act({ kind: 'command', command, params }, (s) =>
        deliver(s, s.wire.command(command, params, 'textarea')),
      );
    },
    wait: (duration) => {
      const ms = durationMs(duration);
      return act({ kind: 'wait', ms }, (s) =>
        advanceTime({ runtime: s.rt.runtime, store: s.rt.store, clock, ms }),
      );
    },
    deliver: (event, deliverOptions = {}) =>
      act(undefined, async (s) => {
        entries.push({ kind: 'note', text: `[external event ${event.type}]` });
        await s.rt.runtime.deliver([
          {
            dialog: dialogKeyOf(s.rt.portal.memberId, s.rt.botId, chatId),
            event,
            ...(deliverOptions.key !== undefined ? { key: deliverOptions.key } : {}),
          },
        ]);
      }),
    failNext: (method, code, failOptions) =>
      act(undefined, async (s) => {
        s.rt.portal.failNext(method, code, failOptions);
        entries.push({ kind: 'failNext', method, code });
      }),
    matches: (value) => state !== undefined && matchesState(value, state),
    async close() {
      if (closed) return;
      closed = true;
      open.delete(chat);
      await queue;
      const s = started && (await started.catch(() => undefined));
      if (!s) return;
      if (options.coverage !== false) writeCoverageRecord({ record: tracker.record() });
      await s.rt.close();
    },
  };
  return chat;
}
