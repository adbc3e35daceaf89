/**
 * `prompt`: ask, validate with a zod schema or a parse function, re-ask with its own text up to N
 * times, then give up; the parsed value lands in the context. Driven through the test kit.
 */
import { setup } from 'xstate';
import { z } from 'zod';
import { defineBot } from '../../src/dsl/define-bot';
import { say, toOperator } from '../../src/dsl/effect-actions';
import { textMatches } from '../../src/dsl/guards';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { prompt } from '../../src/dsl/prompt';
import { checkFlow } from '../../src/testing/check-flow';
import { testBot, type BotChat } from '../../src/testing/test-bot';

interface Ctx {
  age?: number;
  email?: string;
}

function formBot(retries?: number) {
  const machine = setup({
    types: { context: {}, events: {} as BotEvent, input: {} as DialogInput },
    guards: { wantsHuman: textMatches(/human/i) },
    delays: { idle: 60_000 },
  }).createMachine({
    id: 'form',
    context: {},
    initial: 'start',
    states: {
      start: { on: { join: 'age' } },
      age: prompt<Ctx, number>({
        ask: 'How old are you?',
        retry: ({ context }) => `A number, please${context.email ? '' : ' (digits)'}.`,
        // A parse function: the value's type (number) comes from it.
        parse: (text) => (/^\d{1,3}$/.test(text.trim()) ? Number(text) : undefined),
        save: ({ value }) => ({ age: value }),
        ...(retries !== undefined ? { retries } : {}),
        done: '#form.email',
        fail: { target: '#form.operator', actions: say('Let me find a person.') },
        idle: { after: 'idle', target: '#form.bye' },
        message: [{ guard: 'wantsHuman', target: '#form.operator' }],
      }),
      email: prompt<Ctx, string>({
        ask: 'Your e-mail?',
        retry: 'That is not an e-mail address.',
        // A zod schema: trimmed and lower-cased by the schema itself.
        parse: z.string().trim().toLowerCase().pipe(z.email()),
        save: ({ value }) => ({ email: value }),
        done: { target: '#form.thanks', actions: say(({ context }) => `Saved ${context.email}.`) },
        fail: '#form.operator',
        idle: { after: 'idle', target: '#form.bye' },
      }),
      thanks: { type: 'final' },
      operator: { type: 'final', entry: toOperator() },
      bye: { type: 'final', entry: say('Bye.') },
    },
  });
  return defineBot({ code: 'form_bot', name: 'Form', version: '1', machine });
}

describe('prompt', () => {
  let chat: BotChat;
  afterEach(async () => {
    await chat.close();
  });

  it('stores the parsed value of each answer in the context, typed by its parser', async () => {
    chat = testBot(formBot(), { coverage: false });
    await chat.join();
    expect(chat.replies).toEqual(['How old are you?']);
    await chat.send(' 42 ');
    expect(chat.last.replies).toEqual(['Your e-mail?']);
    await chat.send('  Anna@Example.COM ');
    expect(chat.context).toEqual({ age: 42, email: 'anna@example.com' });
    expect(chat.last.replies).toEqual(['Saved anna@example.com.']);
    expect(chat.done).toBe(true);
  });

  it('re-asks with its own text up to `retries` times, then goes to `fail`', async () => {
    chat = testBot(formBot(2), { coverage: false });
    await chat.join();
    await chat.send('old');
    expect(chat.last.replies).toEqual(['A number, please (digits).']);
    expect(chat.state).toEqual({ age: { waiting: 'attempt1' } });
    await chat.send('very old');
    expect(chat.last.replies).toEqual(['A number, please (digits).']);
    await chat.send('ancient');
    expect(chat.last.replies).toEqual(['Let me find a person.']);
    expect(chat.calls.map((c) => c.method)).toContain('imopenlines.bot.session.operator');
    expect(chat.context).toEqual({});
  });

  it('gives up at the first wrong answer with retries: 0', async () => {
    chat = testBot(formBot(0), { coverage: false });
    await chat.join();
    await chat.send('no');
    expect(chat.last.replies).toEqual(['Let me find a person.']);
  });

  it('tries the message transitions first, asks again on a button press, and bounds silence', async () => {
    chat = testBot(formBot(), { coverage: false });
    await chat.join();
    await chat.send('old');
    await chat.command('menu');
    expect(chat.last.replies).toEqual(['How old are you?']);
    // The press kept the count: one more wrong answer still gets the retry text, the next gives up.
    await chat.send('x');
    expect(chat.last.replies).toEqual(['A number, please (digits).']);
    await chat.wait({ seconds: 59 });
    expect(chat.done).toBe(false);
    await chat.wait({ seconds: 1 });
    expect(chat.last.replies).toEqual(['Bye.']);
    expect(chat.done).toBe(true);
  });

  it('lets an escape transition win over parsing', async () => {
    chat = testBot(formBot(), { coverage: false });
    await chat.join();
    await chat.send('a human please');
    expect(chat.calls.map((c) => c.method)).toContain('imopenlines.bot.session.operator');
  });

  it('passes checkFlow: every attempt state answers messages and has an idle timeout', () => {
    chat = testBot(formBot(), { coverage: false });
    const problems = checkFlow(formBot()).problems.filter(
      (p) => p.state.startsWith('age') || p.state.startsWith('email'),
    );
    expect(problems).toEqual([]);
  });

  it('refuses a parser that is neither a schema nor a function, and bad retries', () => {
    chat = testBot(formBot(), { coverage: false });
    const base = { ask: 'a', retry: 'b', done: '#x.y', fail: '#x.z' };
    expect(() => prompt({ ...base, parse: 42 as never })).toThrow(/parse must be a zod schema/);
    expect(() => prompt({ ...base, parse: () => 1, retries: -1 })).toThrow(/retries must be/);
  });
});
