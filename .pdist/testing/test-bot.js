"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.testBot = testBot;
/**
 * `testBot`: a conversation with a bot through the real runtime, in milliseconds. Client turns
 * are real Bitrix24 wire bodies (v1 or v2, as the bot is registered) parsed by the real parser;
 * the bot's effects go through the real outbox and REST client to a fake portal; time is a fake
 * clock, so a ten-minute idle timeout takes one `wait` call.
 */
const xstate_1 = require("xstate");
const store_1 = require("../store/store");
const advance_time_1 = require("./advance-time");
const chat_recorder_1 = require("./chat-recorder");
const chat_transcript_1 = require("./chat-transcript");
const chat_view_1 = require("./chat-view");
const coverage_data_1 = require("./coverage-data");
const coverage_tracker_1 = require("./coverage-tracker");
const fake_clock_1 = require("./fake-clock");
const instrument_machine_1 = require("./instrument-machine");
const start_bot_runtime_1 = require("./start-bot-runtime");
const wire_chat_1 = require("./wire-chat");
/** The runtime's default join window (`createRuntime({ joinWindowMs })`). */
const JOIN_WINDOW_MS = 1000;
const open = new Set();
const hooks = globalThis;
try {
    // A chat a test forgot to close must not keep jest alive: close the rest after the file's tests.
    hooks.afterAll?.(async () => {
        for (const chat of [...open])
            await chat.close();
    });
}
catch {
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
function testBot(declared, options = {}) {
    if (!declared || typeof declared !== 'object' || !declared.machine)
        throw new TypeError('testBot needs a bot from defineBot(...)');
    if (options.apiVersion !== undefined && options.apiVersion !== 1 && options.apiVersion !== 2)
        throw new TypeError('testBot: apiVersion must be 1 or 2');
    const bot = options.apiVersion !== undefined && options.apiVersion !== declared.apiVersion
        ? Object.freeze({ ...declared, apiVersion: options.apiVersion })
        : declared;
    const clock = options.clock ?? (0, fake_clock_1.createFakeClock)();
    const chatId = options.chatId ?? 1777;
    const lineId = options.lineId ?? 1;
    const tracker = (0, coverage_tracker_1.createCoverageTracker)({ botCode: bot.code, machine: bot.machine });
    const recorder = (0, chat_recorder_1.createChatRecorder)();
    const { effects, entries } = recorder;
    let lastObserved;
    const machine = (0, instrument_machine_1.instrumentMachine)(bot.machine, {
        start(s) {
            lastObserved = s;
            tracker.observer.start(s);
        },
        step(t, s) {
            lastObserved = s;
            tracker.observer.step(t, s);
        },
    });
    let state;
    let context;
    let done = false;
    let marks = { effects: 0, entries: 0 };
    let started;
    let current;
    let queue = Promise.resolve();
    let closed = false;
    const start = () => (started ??= (async () => {
        const rt = await (0, start_bot_runtime_1.startBotRuntime)({
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
            wire: (0, wire_chat_1.createWireChat)({
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
    const refresh = async (rt) => {
        const record = await rt.store.loadDialog((0, store_1.dialogKeyOf)(rt.portal.memberId, rt.botId, chatId));
        const snap = record?.snapshot;
        if (snap)
            [state, context, done] = [snap.value, snap.context, false];
        else if (record && lastObserved?.status === 'done')
            [state, context, done] = [lastObserved.value, lastObserved.context, true];
    };
    // Actions run one at a time, in call order, even if a test forgets an `await`.
    const act = (entry, run) => {
        const next = queue.then(async () => {
            if (closed)
                throw new Error('testBot: this chat is closed');
            const s = await start();
            open.add(chat);
            marks = { effects: effects.length, entries: entries.length };
            const logMark = recorder.logs.length;
            if (entry)
                entries.push(entry);
            await run(s);
            await s.rt.runtime.idle();
            // A session's first message waits for its join; none comes within this step, so the
            // window passes as it would on a real portal (and the message is answered).
            if (await s.rt.store.nextInbox((0, store_1.dialogKeyOf)(s.rt.portal.memberId, s.rt.botId, chatId)))
                await (0, advance_time_1.advanceTime)({ runtime: s.rt.runtime, store: s.rt.store, clock, ms: JOIN_WINDOW_MS });
            await refresh(s.rt);
            const timedOut = recorder.logs
                .slice(logMark)
                .find((l) => l.reason === 'timeout' && l.msg.startsWith('turn failed'));
            if (timedOut) {
                throw new Error(`testBot: turn timeout: ${timedOut.error ?? 'the machine did not settle'}. ` +
                    'Work the machine invokes must end (resolve or reject) within the turn timeout.' +
                    `\n\nTranscript:\n${chat.transcript}`);
            }
        });
        queue = next.catch(() => undefined);
        return next;
    };
    const deliver = async (s, event) => {
        await s.rt.runtime.accept([event]);
    };
    const running = () => {
        if (!current)
            throw new Error('testBot: the portal starts with the first action (await chat.join() first)');
        return current;
    };
    const chat = {
        get effects() {
            return effects;
        },
        get replies() {
            return (0, chat_view_1.repliesOf)(effects);
        },
        get transcript() {
            return (0, chat_transcript_1.formatTranscript)(entries);
        },
        get conversation() {
            return (0, chat_transcript_1.formatTranscript)(entries);
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
            return (0, chat_view_1.createChatView)({
                effects: effects.slice(marks.effects),
                entries: entries.slice(marks.entries),
                state,
                allEntries: entries,
            });
        },
        get calls() {
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
        get portal() {
            return running().portal;
        },
        coverage: { states: tracker.visitedStates, transitions: tracker.visitedTransitions },
        join: (o = {}) => act(undefined, async (s) => {
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
        operator: (text, o = {}) => act({ kind: 'note', text: `operator: ${text}` }, (s) => deliver(s, s.wire.operatorMessage(text, o.operator))),
        press: (wanted) => act(undefined, async (s) => {
            const button = (0, chat_view_1.findButton)(effects, wanted);
            if ('missing' in button)
                throw new Error(`testBot: ${button.missing}\n\nTranscript:\n${chat.transcript}`);
            const registered = s.rt.portal.bots.find((b) => b.id === s.rt.botId)?.commands ?? [];
            if (!registered.some((c) => c.command === button.command)) {
                throw new Error(`testBot: the button [${button.text}] sends the command "${button.command}", which the bot does not register: ` +
                    `on a real portal pressing it does nothing. Add it to defineBot({ commands: [...] }).\n\nTranscript:\n${chat.transcript}`);
            }
            entries.push({ kind: 'press', button });
            await deliver(s, s.wire.command(button.command, button.params ?? '', 'keyboard'));
        }),
        command: (name, params = '') => {
            const command = name.replace(/^\//, '');
            return act({ kind: 'command', command, params }, (s) => deliver(s, s.wire.command(command, params, 'textarea')));
        },
        wait: (duration) => {
            const ms = (0, advance_time_1.durationMs)(duration);
            return act({ kind: 'wait', ms }, (s) => (0, advance_time_1.advanceTime)({ runtime: s.rt.runtime, store: s.rt.store, clock, ms }));
        },
        deliver: (event, deliverOptions = {}) => act(undefined, async (s) => {
            entries.push({ kind: 'note', text: `[external event ${event.type}]` });
            await s.rt.runtime.deliver([
                {
                    dialog: (0, store_1.dialogKeyOf)(s.rt.portal.memberId, s.rt.botId, chatId),
                    event,
                    ...(deliverOptions.key !== undefined ? { key: deliverOptions.key } : {}),
                },
            ]);
        }),
        failNext: (method, code, failOptions) => act(undefined, async (s) => {
            s.rt.portal.failNext(method, code, failOptions);
            entries.push({ kind: 'failNext', method, code });
        }),
        matches: (value) => state !== undefined && (0, xstate_1.matchesState)(value, state),
        async close() {
            if (closed)
                return;
            closed = true;
            open.delete(chat);
            await queue;
            const s = started && (await started.catch(() => undefined));
            if (!s)
                return;
            if (options.coverage !== false)
                (0, coverage_data_1.writeCoverageRecord)({ record: tracker.record() });
            await s.rt.close();
        },
    };
    return chat;
}
