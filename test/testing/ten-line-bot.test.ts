/**
 * The README's first example (docs/examples/ten-line-bot.ts): it hands over, and a refused
 * hand-off reaches the machine as `effect.failed`, which it handles.
 */
import tenLineBot from '../../docs/examples/ten-line-bot';
import { checkFlow } from '../../src/testing/check-flow';
import { testBot, type BotChat } from '../../src/testing/test-bot';

describe('the README first example', () => {
  let chat: BotChat;
  afterEach(async () => {
    await chat.close();
  });

  it('hands over to an operator and ends a minute later', async () => {
    chat = testBot(tenLineBot, { coverage: false });
    await chat.join();
    await chat.press('Talk to a human');
    expect(chat.replies).toContain('Connecting you with an operator.');
    expect(chat.calls.map((c) => c.method)).toContain('imopenlines.bot.session.operator');
    await chat.wait({ minutes: 1 });
    expect(chat.done).toBe(true);
  });

  it('takes the chat back when the portal refuses the hand-off', async () => {
    chat = testBot(tenLineBot, { coverage: false });
    await chat.join();
    await chat.failNext('imopenlines.bot.session.operator', 'WRONG_CHAT');
    await chat.send('operator please');
    expect(chat.replies.slice(-1)).toEqual(['No operator is free right now, sorry.']);
    expect(chat.state).toBe('bot');
    expect(chat.done).toBe(false);
  });

  it('passes checkFlow apart from the accepted findings of a ten-line example', () => {
    const kinds = checkFlow(tenLineBot).problems.map((p) => `${p.kind} ${p.state}`);
    expect(kinds).not.toContainEqual(expect.stringMatching(/^dead-end|^missing-implementation/));
  });
});
