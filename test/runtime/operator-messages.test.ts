/**
 * Issue 8, item 2: in an open-line chat the bot also receives what operators write
 * (real-payloads 03, `IS_CONNECTOR=N`). Those messages are `operator.message` events, never the
 * client's `message`, and never start a conversation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assign, setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { isDialogEvent, type DialogEvent, type MessageEvent } from '../../src/events/inbound-event';
import { parseEventBody } from '../../src/events/parse-event-body';
import { isOperatorMessage, toBotEvent } from '../../src/runtime/bot-event';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { joinEvent, messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { echoBot } from '../helpers/test-bots';

const REAL = join(__dirname, '..', 'fixtures', 'real');

function realEvent(file: string): DialogEvent {
  const body = readFileSync(join(REAL, file), 'utf8');
  const event = parseEventBody({ body, contentType: 'application/x-www-form-urlencoded' });
  if (!isDialogEvent(event)) throw new Error(`${file} is not a dialog event`);
  return event;
}

/** A message written by an employee (not a connector user) in the chat. */
function operatorMessage(chat: { chatId: number }, messageId: number, text: string): MessageEvent {
  return {
    ...messageEvent(chat, messageId, text),
    author: { id: 42, name: 'Olga Smirnova', firstName: 'Olga', isConnector: false },
  };
}

/** Records every event type it gets; replies to client messages; goes quiet on an operator's. */
const recorderMachine = setup({
  types: {
    context: {} as { seen: string[] },
    events: {} as BotEvent,
    input: {} as DialogInput,
  },
}).createMachine({
  id: 'recorder',
  context: { seen: [] },
  initial: 'talking',
  on: {
    '*': { actions: assign({ seen: ({ context, event }) => [...context.seen, event.type] }) },
  },
  states: {
    talking: {
      on: {
        join: { actions: say('hello') },
        message: {
          actions: [
            assign({ seen: ({ context, event }) => [...context.seen, event.type] }),
            say(({ event }) => `you said ${event.text}`),
          ],
        },
        'operator.message': {
          target: 'quiet',
          actions: assign({
            seen: ({ context, event }) => [
              ...context.seen,
              `${event.type}:${event.author.id}:${event.author.name ?? ''}:${event.text}`,
            ],
          }),
        },
      },
    },
    quiet: {},
  },
});

describe('isOperatorMessage', () => {
  it('tells the operator of real-payloads 03 from the client of 09a and 02', () => {
    const operator = realEvent('03-irishome-v1-messageadd-openline-operator.wire.txt');
    expect(isOperatorMessage(operator)).toBe(true);
    expect(toBotEvent(operator)).toMatchObject({
      type: 'operator.message',
      text: '12323',
      messageId: 3355770,
      author: { id: 13128, name: 'Альфа Учет Просто', isConnector: false },
    });
    for (const file of [
      '09a-irishome-race-first-message.wire.txt',
      '02-irishome-v1-messageadd-openline-client.wire.txt',
    ]) {
      const client = realEvent(file);
      expect(isOperatorMessage(client)).toBe(false);
      expect(toBotEvent(client)).toMatchObject({ type: 'message' });
    }
  });

  it('counts a message without author data, or outside open lines, as the client’s', () => {
    const { author: _author, ...anonymous } = operatorMessage({ chatId: 1 }, 1, 'x');
    expect(isOperatorMessage(anonymous)).toBe(false);
    expect(
      isOperatorMessage({ ...operatorMessage({ chatId: 1 }, 1, 'x'), isOpenLine: false }),
    ).toBe(false);
  });

  it('delivers it as `message` with operatorMessages: "message"', () => {
    const operator = realEvent('03-irishome-v1-messageadd-openline-operator.wire.txt');
    expect(toBotEvent(operator, { operatorMessages: 'message' })).toMatchObject({
      type: 'message',
      text: '12323',
    });
  });
});

describe('operator messages in the runtime (#8)', () => {
  let store: Store;
  let clock: FakeClock;
  let portals: RecordingPortals;
  let runtime: Runtime | undefined;

  beforeEach(() => {
    store = memoryStore();
    clock = fakeClock();
    portals = recordingPortals();
  });
  afterEach(async () => {
    await runtime?.stop();
  });

  const start = async (bot: Parameters<typeof createRuntime>[0]['bots'][number]) => {
    runtime = createRuntime({
      // A first message starts its conversation at once: these tests are not about the join race.
      joinWindowMs: 0,
      bots: [bot],
      store,
      clients: portals.clients,
      clock,
    });
    await runtime.start();
    return runtime;
  };
  const texts = () => portals.calls('member-1').map((c) => c.params.MESSAGE);

  it('reaches a running machine as operator.message with the author and text', async () => {
    const rt = await start(
      defineBot({ code: 'recorder', name: 'Recorder', version: '1', machine: recorderMachine }),
    );
    const chat = { chatId: 31 };
    await rt.accept([joinEvent(chat), messageEvent(chat, 1, 'hi')]);
    await rt.idle();
    await rt.accept([operatorMessage(chat, 2, 'Olga here'), messageEvent(chat, 3, 'still there?')]);
    await rt.idle();
    expect(texts()).toEqual(['hello', 'you said hi']);
    const record = await store.loadDialog(dialogKeyOf('member-1', 571, 31));
    const snap = record?.snapshot as { value: unknown; context: { seen: string[] } };
    expect(snap.value).toBe('quiet');
    // In `quiet` only the root's catch-all records the client's message: the bot said nothing.
    expect(snap.context.seen).toEqual([
      'message',
      'operator.message:42:Olga Smirnova:Olga here',
      'message',
    ]);
  });

  it('never starts a conversation', async () => {
    const rt = await start(echoBot);
    const chat = { chatId: 32 };
    await rt.accept([operatorMessage(chat, 1, 'hello from the operator')]);
    await rt.idle();
    expect(texts()).toEqual([]);
    expect(await store.loadDialog(dialogKeyOf('member-1', 571, 32))).toBeUndefined();
    expect(await store.nextInbox(dialogKeyOf('member-1', 571, 32))).toBeUndefined();
  });

  it('is ignored by a machine that does not handle it', async () => {
    const rt = await start(echoBot);
    const chat = { chatId: 33 };
    await rt.accept([joinEvent(chat), operatorMessage(chat, 1, 'x'), messageEvent(chat, 2)]);
    await rt.idle();
    expect(texts()).toEqual(['hello', '33:2']);
  });

  it('is an ordinary message again with defineBot({ operatorMessages: "message" })', async () => {
    const rt = await start(defineBot({ ...echoBot, operatorMessages: 'message' }));
    const chat = { chatId: 34 };
    await rt.accept([operatorMessage(chat, 7, 'x')]);
    await rt.idle();
    expect(texts()).toEqual(['34:7']);
  });
});
