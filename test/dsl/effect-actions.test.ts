import { assign, createActor, setup } from 'xstate';
import { EFFECT_EVENT, type Effect, type EffectEmitted } from '../../src/dsl/effect';
import {
  callRest,
  finish,
  greet,
  say,
  toOperator,
  transfer,
  typing,
  type BotEmitted,
} from '../../src/dsl/effect-actions';
import { isCommand, textMatches } from '../../src/dsl/guards';
import { keyboard } from '../../src/dsl/keyboard';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';

const input: DialogInput = {
  portal: { memberId: 'm1', domain: 'x.bitrix24.com' },
  bot: { id: 7, code: 'b', apiVersion: 2 },
  chatId: 1777,
  dialogId: 'chat1777',
  crm: {},
};

const menu = keyboard()
  .button('Order status', { command: 'order' })
  .button('Human', { command: 'operator' })
  .build();

// A machine that does not declare `emitted`: the effect actions must type-check as is.
const machine = setup({
  types: {
    context: {} as { name: string; count: number },
    events: {} as BotEvent,
    input: {} as DialogInput,
  },
}).createMachine({
  id: 'bot',
  context: ({ input }) => ({ name: `chat ${input.chatId}`, count: 0 }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        join: {
          target: 'menu',
          actions: [
            greet(),
            typing(),
            say(({ context }) => `Hi ${context.name}`, { keyboard: menu }),
          ],
        },
      },
    },
    menu: {
      on: {
        message: [
          { guard: textMatches(/human/i), actions: [say('Connecting…'), toOperator()] },
          {
            actions: [
              assign({ count: ({ context }) => context.count + 1 }),
              say(({ event }) => `You said: ${event.text}`, {
                via: 'bot',
                keyboard: ({ context }) => (context.count > 1 ? menu : undefined),
              }),
            ],
          },
        ],
        command: [
          { guard: isCommand('operator'), actions: transfer({ lineId: 3 }, { leave: true }) },
          {
            guard: isCommand('user'),
            actions: transfer(({ event }) => ({ userId: Number(event.params) })),
          },
          {
            guard: isCommand('lead'),
            actions: callRest('crm.lead.add', ({ context }) => ({
              fields: { TITLE: context.name },
            })),
          },
          { guard: isCommand('bye'), target: 'done', actions: finish() },
        ],
      },
    },
    done: { type: 'final' },
  },
});

function run(events: BotEvent[]): Effect[] {
  const out: Effect[] = [];
  const actor = createActor(machine, { input });
  actor.on(EFFECT_EVENT, (e) => out.push((e as unknown as EffectEmitted).effect));
  actor.start();
  for (const e of events) actor.send(e);
  actor.stop();
  return out;
}

describe('say', () => {
  it('emits say effects with computed text and keyboard', () => {
    const effects = run([
      { type: 'join' },
      { type: 'message', text: 'hello', messageId: 1, files: [] },
      { type: 'message', text: 'again', messageId: 2, files: [] },
    ]);
    expect(effects).toEqual([
      { type: 'greet' },
      { type: 'typing' },
      { type: 'say', text: 'Hi chat 1777', keyboard: menu },
      { type: 'say', text: 'You said: hello', via: 'bot' },
      { type: 'say', text: 'You said: again', via: 'bot', keyboard: menu },
    ]);
  });

  it('rejects a text that is neither a string nor a function', () => {
    expect(() => say(42 as unknown as string)).toThrow(TypeError);
  });

  it('accepts a keyboard builder and builds it', () => {
    const m = setup({ types: { events: {} as BotEvent } }).createMachine({
      entry: say('pick', { keyboard: keyboard().button('A', { command: 'a' }) }),
    });
    const out: Effect[] = [];
    const a = createActor(m);
    a.on(EFFECT_EVENT, (e) => out.push((e as unknown as EffectEmitted).effect));
    a.start();
    expect(out).toEqual([
      { type: 'say', text: 'pick', keyboard: { rows: [[{ text: 'A', command: 'a' }]] } },
    ]);
  });

  it('type-checks in a machine that declares its own emitted events through BotEmitted', () => {
    const m = setup({
      types: { events: {} as BotEvent, emitted: {} as BotEmitted | { type: 'custom' } },
    }).createMachine({
      entry: [say('x'), toOperator()],
    });
    const out: Effect[] = [];
    const a = createActor(m);
    a.on(EFFECT_EVENT, (e) => out.push(e.effect));
    a.start();
    expect(out.map((e) => e.type)).toEqual(['say', 'toOperator']);
  });
});

describe('toOperator', () => {
  it('emits toOperator after the text reply, in order', () => {
    const effects = run([
      { type: 'join' },
      { type: 'message', text: 'a HUMAN please', messageId: 1, files: [] },
    ]);
    expect(effects.slice(3)).toEqual([
      { type: 'say', text: 'Connecting…' },
      { type: 'toOperator' },
    ]);
  });
});

describe('transfer', () => {
  it('emits a transfer to a line with leave, or to a computed user', () => {
    const cmd = (command: string, params = ''): BotEvent => ({
      type: 'command',
      command,
      params,
      source: 'keyboard',
    });
    expect(run([{ type: 'join' }, cmd('operator')]).slice(3)).toEqual([
      { type: 'transfer', to: { lineId: 3 }, leave: true },
    ]);
    expect(run([{ type: 'join' }, cmd('user', '15')]).slice(3)).toEqual([
      { type: 'transfer', to: { userId: 15 } },
    ]);
  });

  it('makes the machine error on an invalid computed target', () => {
    const m = setup({}).createMachine({ entry: transfer(() => ({ userId: -1 })) });
    const a = createActor(m);
    const errors: unknown[] = [];
    a.subscribe({ error: (e) => errors.push(e) });
    a.start();
    expect(a.getSnapshot().status).toBe('error');
    expect(String(errors[0])).toMatch(/positive integer/);
  });
});

describe('callRest', () => {
  it('emits a call effect with computed params', () => {
    const effects = run([
      { type: 'join' },
      { type: 'command', command: 'lead', params: '', source: 'slash' },
    ]);
    expect(effects.slice(3)).toEqual([
      { type: 'call', method: 'crm.lead.add', params: { fields: { TITLE: 'chat 1777' } } },
    ]);
  });

  it('rejects a method name that is not one', () => {
    expect(() => callRest('crm lead; drop')).toThrow(TypeError);
  });
});

describe('finish', () => {
  it('emits finish and lets the machine reach its final state', () => {
    const effects = run([
      { type: 'join' },
      { type: 'command', command: 'bye', params: '', source: 'keyboard' },
    ]);
    expect(effects.slice(3)).toEqual([{ type: 'finish' }]);
  });
});
